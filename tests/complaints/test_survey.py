"""满意度测评: the office opens a period; a unit's QR link takes answers without login, one per phone (or
device) per unit; bursts and copied comments are set aside for the office, not dropped; results are
published only from the minimum count up; the link, QR code and poster are the office's."""

import pytest
from django.db import IntegrityError
from django.test import Client

from tests.conftest import login
from zuofeng.audit.models import AuditEntry
from zuofeng.complaints.models import ResponseStatus, SurveyPeriod, SurveyResponse
from zuofeng.complaints.selectors.survey import survey_results, survey_unit_scores
from zuofeng.complaints.services.survey import survey_open, survey_token

pytestmark = pytest.mark.django_db
GOOD = {"item_0": "satisfied", "item_1": "basically", "item_2": "satisfied", "item_3": "unsatisfied"}


@pytest.fixture
def period(campaign, people):
    campaign.definition = {"complaints": {"survey": {"min_responses": 3}}}
    campaign.save()
    return survey_open(actor=people.office, campaign=campaign, name="2018年第四季度满意度测评", by_device=False)


def _answer(period, unit, phone, address="10.0.0.1", **extra):
    client = Client(REMOTE_ADDR=address)
    return client.post(f"/complaints/s/{survey_token(period, unit)}/", {**GOOD, "phone": phone, **extra})


def test_a_period_takes_its_items_and_threshold_from_the_definition(period):
    assert period.items == ["服务态度", "办事效率", "廉洁自律", "有无推诿扯皮"]
    assert period.min_responses == 3
    assert AuditEntry.objects.filter(action="survey.open").count() == 1


def test_results_are_published_only_from_the_minimum_count(period, org):
    for n in range(2):
        assert "感谢您的评价" in _answer(period, org.dept_a, f"1390000000{n}", address=f"10.0.0.{n}").content.decode()
    [result] = survey_results(period)
    assert (result.counted, result.published) == (2, False)
    assert survey_unit_scores(period) == {}
    assert '<td data-label="单位">区财政局</td>' not in Client().get("/complaints/stats/").content.decode()
    _answer(period, org.dept_a, "13900000009", address="10.0.0.9")
    [result] = survey_results(period)
    assert (result.counted, result.published) == (3, True)
    assert result.items == {"服务态度": 100.0, "办事效率": 100.0, "廉洁自律": 100.0, "有无推诿扯皮": 0.0}
    assert survey_unit_scores(period) == {org.dept_a.pk: 75.0}
    stats = Client().get("/complaints/stats/").content.decode()
    # Each cell named: on a phone the table stacks, one block per unit (.zf-stack).
    assert (
        '<td data-label="单位">区财政局</td><td data-label="有效测评">3</td><td data-label="服务态度">100.0%</td>'
        '<td data-label="办事效率">100.0%</td><td data-label="廉洁自律">100.0%</td>'
        '<td data-label="有无推诿扯皮">0.0%</td><td data-label="总体满意率">75.0%</td>'
    ) in stats


def test_one_answer_per_phone_per_unit(period, org):
    _answer(period, org.dept_a, "13900000001")
    again = _answer(period, org.dept_a, "139 0000 0001", address="10.9.9.9")
    assert again.context["form"].non_field_errors() == ["您已对该单位作过本次测评，每人每个单位只能测评一次。"]
    _answer(period, org.dept_b, "13900000001")  # another unit is another survey
    assert SurveyResponse.objects.count() == 2


def test_the_database_holds_one_per_phone_even_past_the_service(period, org):
    SurveyResponse.objects.create(period=period, unit=org.dept_a, phone_digest="x", submitted_at="2018-10-15T09:00Z")
    with pytest.raises(IntegrityError):
        SurveyResponse.objects.create(
            period=period, unit=org.dept_a, phone_digest="x", submitted_at="2018-10-15T09:00Z"
        )


def test_without_phone_one_answer_per_device_where_the_office_allows(campaign, people, org):
    period = survey_open(actor=people.office, campaign=campaign, name="窗口测评", by_device=True)
    client = Client()
    url = f"/complaints/s/{survey_token(period, org.dept_a)}/"
    client.get(url)
    assert "感谢您的评价" in client.post(url, GOOD).content.decode()
    assert "只能测评一次" in client.post(url, GOOD).content.decode()
    assert SurveyResponse.objects.get().device_key == client.cookies["zf_survey_device"].value


def test_bad_answers_name_the_field(period, org):
    response = _answer(period, org.dept_a, "123", item_3="")
    errors = response.context["form"].errors
    assert errors["item_3"] == ["请评价“有无推诿扯皮”。"]
    response = _answer(period, org.dept_a, "123")
    assert response.context["form"].errors["phone"] == ["请填写 11 位手机号码（只用于防止重复测评，不会公开）。"]
    assert SurveyResponse.objects.count() == 0


def test_a_burst_from_one_address_is_set_aside_not_dropped(period, org, people):
    for n in range(7):
        _answer(period, org.dept_a, f"1390000010{n}", address="10.1.1.1")
    statuses = list(SurveyResponse.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["counted"] * 5 + ["set_aside"] * 2
    assert survey_results(period)[0].set_aside == 2
    page = login(people.office).get(f"/complaints/surveys/{period.pk}/").content.decode()
    # Labelled cells: on a phone both tables stack, one block per unit or response (.zf-stack).
    assert '<td data-label="原因">同一网络地址 10 分钟内第 6 份</td>' in page
    assert '<td data-label="有效">5</td><td data-label="待核查">2</td>' in page
    first = SurveyResponse.objects.filter(status=ResponseStatus.SET_ASIDE).first()
    login(people.office).post(f"/complaints/surveys/responses/{first.pk}/decide", {"count": "1"})
    assert survey_results(period)[0].counted == 6


def test_identical_comments_set_aside_every_copy(period, org):
    _answer(period, org.dept_a, "13900000201", address="10.2.0.1", comment="服务非常好，点赞")
    _answer(period, org.dept_a, "13900000202", address="10.2.0.2", comment="服务非常好，点赞")
    _answer(period, org.dept_a, "13900000203", address="10.2.0.3", comment="很好")
    reasons = list(SurveyResponse.objects.order_by("pk").values_list("status", "set_aside_reason"))
    assert reasons == [
        ("set_aside", "意见与其他测评完全相同"),
        ("set_aside", "意见与其他测评完全相同"),
        ("counted", ""),
    ]


def test_a_made_up_link_is_refused(period, org):
    token = survey_token(period, org.dept_a).rsplit("-", 1)[0]
    assert Client().get(f"/complaints/s/{token}-0000000000/").status_code == 404
    other = f"{period.pk}-{org.dept_b.pk}-{survey_token(period, org.dept_a).rsplit('-', 1)[1]}"
    assert Client().get(f"/complaints/s/{other}/").status_code == 404


def test_links_qr_codes_and_posters_are_the_offices(period, org, people):
    office = login(people.office)
    page = office.get(f"/complaints/surveys/{period.pk}/").content.decode()
    assert f"/complaints/s/{survey_token(period, org.dept_a)}/" in page
    qr = office.get(f"/complaints/surveys/{period.pk}/units/{org.dept_a.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    poster = office.get(f"/complaints/surveys/{period.pk}/units/{org.dept_a.pk}/poster.pdf")
    assert poster["Content-Type"] == "application/pdf" and poster.content.startswith(b"%PDF")
    for user in (people.reviewer, people.own_clerk, people.judge, people.auditor):
        client = login(user)
        assert client.get(f"/complaints/surveys/{period.pk}/").status_code == 403
        assert client.get(f"/complaints/surveys/{period.pk}/units/{org.dept_a.pk}/qr.svg").status_code == 403
    assert Client().get("/complaints/surveys/").status_code == 302  # to the login page


def test_a_closed_period_takes_no_answers(period, org, people):
    login(people.office).post(f"/complaints/surveys/{period.pk}/close")
    assert SurveyPeriod.objects.get().is_open is False
    assert "本次测评已结束" in _answer(period, org.dept_a, "13900000001").content.decode()
    assert SurveyResponse.objects.count() == 0
