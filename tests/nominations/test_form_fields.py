"""Field checks of the nomination form: phone, gender, 出生年月, 政治面貌, honours, 500 字, required."""

import pytest
from django.core.exceptions import ValidationError

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import CASE_DATA, STAR_DATA, STAR_POST
from zuofeng.campaigns.models import Award
from zuofeng.nominations.forms import NominationForm
from zuofeng.nominations.services.forms import (
    Field,
    check_value,
    data_errors,
    data_for_draft,
    display_value,
    form_fields,
    masked_value,
    normalise_phone,
    title_from,
)

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
case = support.case
star = support.star
wujin = support.wujin

pytestmark = pytest.mark.django_db


def field(type_: str = "text", *, required: bool = True, max_chars=None, choices=(), name: str = "栏目") -> Field:
    return Field(
        key="k", label=name, name=name, type=type_, required=required, max_chars=max_chars, choices=choices,
        lines=1, help="",
    )  # fmt: skip


def refusal(f: Field, value, year: int = 2018) -> str:
    with pytest.raises(ValidationError) as caught:
        check_value(f, value, year=year)
    return caught.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("0519-86310060", "0519-86310060"),
        ("051986310060", "0519-86310060"),
        ("（0519）86310060", "0519-86310060"),
        ("010-62345678", "010-62345678"),
        ("86310060", "86310060"),
        ("0519-86310060-801", "0519-86310060-801"),
        ("0519-86310060转801", "0519-86310060-801"),
    ],
)
def test_form_phone_accepted_and_normalised(typed, stored):
    assert normalise_phone(typed) == stored
    assert check_value(field("phone", name="联系电话"), typed, year=2018) == stored


@pytest.mark.parametrize("typed", ["12345", "12912345678", "1391234567", "139123456789", "电话", "0519-0631006"])
def test_form_phone_refused_naming_field(typed):
    assert refusal(field("phone", name="联系电话"), typed) == (
        f"“联系电话”“{typed}”不是有效的手机号码或固定电话（如 13912345678、0519-86310060）。"
    )


def test_form_required_field_missing_names_field():
    assert refusal(field(name="姓名"), "  ") == "请填写“姓名”。"
    assert check_value(field(required=False), "", year=2018) == ""
    assert check_value(field("honours", required=False), [], year=2018) == []


def test_form_max_chars_counts_like_word_and_names_overflow():
    f = field("textarea", max_chars=500, name="主要事迹")
    assert check_value(f, "作" * 499 + "GDP2018", year=2018) == "作" * 499 + "GDP2018"
    assert refusal(f, "作" * 600 + "2018") == "“主要事迹”已写 601 字，超出 101 字（限 500 字）。"


def test_form_text_without_limit_caps_at_two_hundred_characters():
    assert refusal(field(name="姓名"), "名" * 201) == "“姓名”不能超过 200 个字符。"


@pytest.mark.parametrize(("typed", "code"), [("1", "1"), ("2", "2"), ("男", "1"), ("女", "2")])
def test_form_gender_stored_as_gb_2261_code(typed, code):
    assert check_value(field("gender"), typed, year=2018) == code


def test_form_gender_unknown_refused():
    assert refusal(field("gender", name="性别"), "9") == "请选择“性别”：男或女。"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1985-06", "1985-06"), ("1985.6", "1985-06"), ("1985年6月", "1985-06"), ("1985/12", "1985-12")],
)
def test_form_birth_month_year_and_month(typed, stored):
    assert check_value(field("month"), typed, year=2018) == stored


@pytest.mark.parametrize("typed", ["1985-13", "1985-00", "1985", "1985-06-01", "六月"])
def test_form_birth_month_malformed_refused(typed):
    assert refusal(field("month", name="出生年月"), typed) == "“出生年月”须填写年和月，如 1985-06。"


@pytest.mark.parametrize("typed", ["1937-12", "2003-01"])
def test_form_birth_month_outside_working_age_refused(typed):
    assert refusal(field("month", name="出生年月"), typed) == "“出生年月”应在 1938年1月 至 2002年12月 之间。"


@pytest.mark.parametrize(
    ("typed", "code"), [("01", "01"), ("中共党员", "01"), ("中国共产党党员", "01"), ("群众", "13")]
)
def test_form_political_status_gb_4762(typed, code):
    assert check_value(field("political_status"), typed, year=2018) == code


def test_form_political_status_outside_list_refused():
    assert refusal(field("political_status", name="政治面貌"), "党员") == "“政治面貌”须从列表中选择（GB/T 4762）。"


def test_form_honours_last_three_years_accepted():
    rows = [
        {"year": "2016", "honour": "岗位能手", "body": "区人社局"},
        {"year": "2018", "honour": "优秀共产党员", "body": "区委"},
        {"year": "", "honour": "", "body": ""},
    ]
    assert check_value(field("honours"), rows, year=2018) == [
        {"year": 2016, "honour": "岗位能手", "body": "区人社局"},
        {"year": 2018, "honour": "优秀共产党员", "body": "区委"},
    ]


def test_form_honours_older_than_three_years_refused_naming_row():
    rows = [
        {"year": "2017", "honour": "岗位能手", "body": "区人社局"},
        {"year": "2015", "honour": "先进工作者", "body": "区政府"},
    ]
    assert refusal(field("honours", name="所获荣誉"), rows) == (
        "“所获荣誉”：第 2 行（2015年 先进工作者）不在近三年内，只能填写 2016—2018 年的荣誉。"
    )


def test_form_honours_longest_list_allowed_and_one_more_refused():
    row = {"year": "2018", "honour": "荣" * 30, "body": "单" * 20}
    assert len(check_value(field("honours"), [row] * 6, year=2018)) == 6
    assert refusal(field("honours", name="所获荣誉"), [row] * 7) == (
        "“所获荣誉”：最多填写 6 项（现为 7 项），请选填最重要的荣誉。"
    )
    long = {"year": "2018", "honour": "荣" * 31, "body": "单" * 21}
    assert refusal(field("honours", name="所获荣誉"), [long]) == (
        "“所获荣誉”：第 1 行荣誉名称不能超过 30 个字；第 1 行授予单位不能超过 20 个字。"
    )


def test_form_honours_incomplete_row_refused():
    message = refusal(field("honours", name="所获荣誉"), [{"year": "去年", "honour": "", "body": ""}])
    assert message == "“所获荣誉”：第 1 行须填写获奖年份；第 1 行须填写荣誉名称；第 1 行须填写授予单位。"
    assert refusal(field("honours", name="所获荣誉"), "2017 岗位能手") == "“所获荣誉”格式不正确。"


def test_form_number_date_choice():
    assert check_value(field("number"), " 12 ", year=2018) == 12
    assert refusal(field("number", name="人数"), "十二") == "“人数”须填写整数。"
    assert refusal(field("number", name="人数"), "-1") == "“人数”须在 0 至 1000000 之间。"
    assert check_value(field("date"), "2018-08-08", year=2018) == "2018-08-08"
    assert refusal(field("date", name="日期"), "8月8日") == "“日期”须填写日期，如 2018-08-08。"
    assert check_value(field("choice", choices=("甲", "乙")), "乙", year=2018) == "乙"
    assert refusal(field("choice", choices=("甲", "乙"), name="类别"), "丙") == "“类别”须从 甲、乙 中选择。"


def test_form_fields_of_star_follow_attachment_one_without_opinion(star):
    fields = form_fields(star)
    assert [(f.key, f.name, f.type) for f in fields] == [
        ("name", "姓名", "text"),
        ("position", "现任职务", "text"),
        ("gender", "性别", "gender"),
        ("birth_month", "出生年月", "month"),
        ("political_status", "政治面貌", "political_status"),
        ("phone", "联系电话", "phone"),
        ("honours", "所获荣誉", "honours"),
        ("main_text", "主要事迹", "textarea"),
    ]
    assert fields[-1].label == "主要事迹（500字以内）"
    assert fields[-1].max_chars == 500
    assert form_fields(star, include_opinion=True)[-1].type == "opinion"


def test_form_every_award_of_the_campaign_builds_a_form(wujin):
    for award in wujin.awards.exclude(form={}):
        form = NominationForm(award=award)
        assert list(form.fields) == [f.key for f in form_fields(award)]
        assert "opinion" not in form.fields


def test_form_draft_may_be_incomplete_submission_may_not(star):
    draft = NominationForm({"name": "王晓明"}, award=star)
    assert draft.is_valid()
    submitting = NominationForm({"name": "王晓明"}, award=star, submitting=True)
    assert not submitting.is_valid()
    assert submitting.errors["position"] == ["请填写“现任职务”。"]
    assert "honours" not in submitting.errors


def test_form_posted_values_normalised_and_honours_rows_read(star):
    form = NominationForm(STAR_POST, award=star, submitting=True)
    assert form.is_valid(), form.errors
    assert form.values == STAR_DATA
    assert form.honour_rows("honours") == [{"year": "2017", "honour": "优秀共产党员", "body": "中共常州市武进区委"}]


def test_form_unbound_honours_rows_from_stored_data(star):
    assert NominationForm(award=star, initial=STAR_DATA).honour_rows("honours") == [
        {"year": 2017, "honour": "优秀共产党员", "body": "中共常州市武进区委"}
    ]
    assert NominationForm(award=star).honour_rows("honours") == [{"year": "", "honour": "", "body": ""}]


def test_form_over_long_text_refused_and_kept(star):
    text = "服" * 520
    form = NominationForm({**STAR_POST, "main_text": text}, award=star, submitting=True)
    assert not form.is_valid()
    assert form.errors["main_text"] == ["“主要事迹”已写 520 字，超出 20 字（限 500 字）。"]
    assert form["main_text"].value() == text


def test_form_data_errors_and_draft_data(star, case):
    assert data_errors(star, STAR_DATA) == {}
    assert data_errors(case, CASE_DATA) == {}
    assert data_errors(star, {**STAR_DATA, "phone": "123"})["phone"].startswith("“联系电话”“123”不是")
    assert data_for_draft(star, {"phone": "139 1234 5678", "birth_month": "85年"}) == {
        "phone": "13912345678",
        "birth_month": "85年",
    }


def test_form_display_and_mask(star):
    shown = {f.key: display_value(f, STAR_DATA[f.key]) for f in form_fields(star)}
    assert shown["gender"] == "男"
    assert shown["political_status"] == "中共党员"
    assert shown["birth_month"] == "1985年6月"
    assert shown["honours"] == "2017年 优秀共产党员（中共常州市武进区委）"
    masked = {f.key: masked_value(f, STAR_DATA[f.key]) for f in form_fields(star)}
    assert (masked["phone"], masked["birth_month"], masked["name"]) == ("139****5678", "****年**月", "王晓明")
    assert masked_value(form_fields(star)[0], "") == ""


def test_form_title_from_name_or_first_text(star, case):
    assert title_from(star, STAR_DATA) == "王晓明"
    assert title_from(case, CASE_DATA) == "不见面审批"
    assert title_from(case, {"lead_section": "审批科"}) == ""
    plain = Award(form={"rows": [[{"key": "window", "label": "窗口"}]]})
    assert title_from(plain, {"window": " 综合窗口 "}) == "综合窗口"
    assert title_from(Award(form={"rows": [[{"key": "t", "label": "说明", "type": "textarea"}]]}), {"t": "x"}) == ""
