"""Fast entry on the list page: chained forms, defaults from the row above, 责任人 that is never lost."""

import re

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, Role, make_user
from zuofeng.core import clock
from zuofeng.core.pinyin import name_initials
from zuofeng.organisation.models import Person
from zuofeng.rectification.models import Measure, Problem

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"rectification:{name}", args=args)


@pytest.fixture
def staff(org):
    return {
        "张明": PersonFactory(unit=org.section_a1, name="张明", order=1),
        "李华": PersonFactory(unit=org.section_a1, name="李华", order=2),
        "赵磊": PersonFactory(unit=org.sub_a1x, name="赵磊", order=1),
    }


def measure_post(prefix, **extra):
    data = {
        f"{prefix}-text": "建立会签限时办结制度",
        f"{prefix}-standard": "会签件3个工作日内办结",
        f"{prefix}-responsible_leader": "陈副局长",
        f"{prefix}-starts_on": "2018-09-16",
        f"{prefix}-deadline": "2018-11-30",
    }
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return data


def problem_post(campaign, **extra):
    data = {
        "pnew-category": campaign.categories.get(key="duty").pk,
        "pnew-source": campaign.sources.get(key="public").pk,
        "pnew-description": "会签材料在科室间积压",
        "pnew-found_on": "2018-09-03",
    }
    data.update({f"pnew-{k}": v for k, v in extra.items()})
    return data


# --- 责任人 ---------------------------------------------------------------------------------------


def test_pinyin_initials_use_surname_readings():
    assert [name_initials(n) for n in ["张明", "曾国藩", "单雄信", "欧阳修", " 李 华 ", ""]] == [
        "zm",
        "zgf",
        "sxx",
        "oyx",
        "lh",
        "",
    ]


def test_person_initials_are_kept_on_save(org):
    person = PersonFactory(unit=org.section_a1, name="王芳")
    assert Person.objects.get(pk=person.pk).name_initials == "wf"
    person.name = "曾晓"
    person.save(update_fields=["name"])
    assert Person.objects.get(pk=person.pk).name_initials == "zx"


def test_person_outside_the_unit_is_refused_with_the_message(client_for, people, org, staff, problem_with_measure):
    problem, _ = problem_with_measure
    prefix = f"mnew{problem.pk}"
    data = measure_post(
        prefix, responsible_unit=org.sub_a1x.pk, responsible_person=staff["张明"].pk, responsible_name="张明"
    )
    response = client_for(people.own_clerk).post(url("ledger_measure_new", problem.ledger_id, problem.pk), data, **HX)
    html = response.content.decode()
    assert "原责任人 张明 不属于所选责任单位，请重新选择" in html
    assert "建立会签限时办结制度" in html  # what was typed is kept
    assert Measure.objects.filter(text="建立会签限时办结制度").count() == 0


def test_person_of_the_own_unit_when_no_unit_is_chosen(client_for, people, staff, problem_with_measure):
    problem, _ = problem_with_measure
    prefix = f"mnew{problem.pk}"
    data = measure_post(prefix, responsible_person=staff["张明"].pk, responsible_name="张明")
    client_for(people.own_clerk).post(url("ledger_measure_new", problem.ledger_id, problem.pk), data, **HX)
    saved = Measure.objects.get(text="建立会签限时办结制度")
    assert (saved.responsible_person, saved.responsible_unit, saved.responsible_name) == (staff["张明"], None, "")


def test_typed_name_links_the_one_person_of_that_name(client_for, people, org, staff, problem_with_measure):
    problem, _ = problem_with_measure
    c = client_for(people.own_clerk)
    new_url = url("ledger_measure_new", problem.ledger_id, problem.pk)
    c.post(new_url, measure_post(f"mnew{problem.pk}", responsible_name="李华"), **HX)
    c.post(new_url, measure_post(f"mnew{problem.pk}", text="第二条", responsible_name="外单位老周"), **HX)
    linked, typed = Measure.objects.get(text="建立会签限时办结制度"), Measure.objects.get(text="第二条")
    assert (linked.responsible_person, linked.responsible_name) == (staff["李华"], "")
    assert (typed.responsible_person, typed.responsible_name) == (None, "外单位老周")


def test_retyped_name_wins_over_an_earlier_pick(client_for, people, staff, problem_with_measure):
    problem, _ = problem_with_measure
    data = measure_post(f"mnew{problem.pk}", responsible_person=staff["张明"].pk, responsible_name="李华")
    client_for(people.own_clerk).post(url("ledger_measure_new", problem.ledger_id, problem.pk), data, **HX)
    assert Measure.objects.get(text="建立会签限时办结制度").responsible_person == staff["李华"]


def test_measure_form_tells_the_page_the_person_unit_and_the_message(client_for, people, staff, problem_with_measure):
    problem, measure = problem_with_measure
    Measure.objects.filter(pk=measure.pk).update(responsible_person=staff["张明"])
    html = client_for(people.own_clerk).get(url("ledger_measure_edit", problem.ledger_id, measure.pk), **HX)
    html = html.content.decode()
    assert f'value="{staff["张明"].pk}" data-unit="{staff["张明"].unit_id}"' in html
    assert 'data-mismatch="原责任人 {name} 不属于所选责任单位，请重新选择"' in html
    assert 'value="张明"' in html  # the 责任人 box shows the person's name


def _names(response) -> list[str]:
    return re.findall(r'data-name="([^"]+)"', response.content.decode())


def test_typeahead_by_initials_or_name_within_what_the_user_may_see(client_for, people, org, staff, ledger):
    people_url = url("ledger_people", ledger.pk)
    clerk = client_for(people.own_clerk)  # 预算科 only, not its service centre
    assert _names(clerk.get(people_url, {"q": "zm"})) == ["张明"]
    assert _names(clerk.get(people_url, {"q": "华"})) == ["李华"]
    assert _names(clerk.get(people_url, {"q": "zl"})) == []
    assert "名单中没有“zl”" in clerk.get(people_url, {"q": "zl"}).content.decode()
    whole = client_for(make_user("clerk_tree", role=Role.SECTION_CLERK, unit=org.section_a1, include_subtree=True))
    assert _names(whole.get(people_url, {"q": "zl"})) == ["赵磊"]
    assert _names(whole.get(people_url, {"q": "", "unit": org.sub_a1x.pk})) == ["赵磊"]
    assert _names(whole.get(people_url, {"q": "z", "unit": org.section_a1.pk})) == ["张明"]
    assert client_for(people.sibling_clerk).get(people_url, {"q": "zm"}).status_code == 404
    assert client_for(people.reviewer).get(people_url, {"q": "zm"}).status_code == 403


# --- chained forms and defaults -------------------------------------------------------------------


def test_saved_problem_opens_its_first_measure(client_for, people, ledger, campaign):
    response = client_for(people.own_clerk).post(url("ledger_problem_new", ledger.pk), problem_post(campaign), **HX)
    problem = Problem.objects.get()
    html = response.content.decode()
    assert response["HX-Retarget"] == "#ledger-table"
    assert f'<tr id="measure-slot-{problem.pk}" class="zf-editing">' in html
    assert f'name="mnew{problem.pk}-starts_on" value="{clock.today():%Y-%m-%d}"' in html
    assert "为问题 1 添加整改措施" in html


def test_saved_measure_opens_the_next_with_the_row_above_values(client_for, people, org, problem_with_measure):
    problem, _ = problem_with_measure
    prefix = f"mnew{problem.pk}"
    data = measure_post(prefix, responsible_unit=org.sub_a1x.pk, responsible_name="外聘专家")
    html = client_for(people.own_clerk).post(url("ledger_measure_new", problem.ledger_id, problem.pk), data, **HX)
    html = html.content.decode()
    assert Measure.objects.filter(text="建立会签限时办结制度").exists()
    assert "为问题 1 继续添加整改措施" in html
    assert f'name="{prefix}-responsible_leader" value="陈副局长"' in html
    assert f'<option value="{org.sub_a1x.pk}" selected>' in html
    assert f'name="{prefix}-starts_on" value="2018-09-16"' in html
    assert f'name="{prefix}-text"' in html and "外聘专家" not in html.split(f'name="{prefix}-text"')[1]


def test_blank_next_measure_opens_the_next_problem_with_its_source_and_date(
    client_for, people, problem_with_measure, campaign
):
    problem, _ = problem_with_measure
    blank = {f"mnew{problem.pk}-responsible_leader": "陈副局长", f"mnew{problem.pk}-starts_on": "2018-09-16"}
    response = client_for(people.own_clerk).post(url("ledger_measure_new", problem.ledger_id, problem.pk), blank, **HX)
    html = response.content.decode()
    assert Measure.objects.count() == 1
    assert '<tr id="new-problem-slot" class="zf-editing">' in html
    assert f'<option value="{campaign.sources.get(key="self").pk}" selected>' in html
    assert 'name="pnew-found_on" value="2018-09-01"' in html


def test_blank_first_measure_is_still_required(client_for, people, ledger, campaign):
    c = client_for(people.own_clerk)
    c.post(url("ledger_problem_new", ledger.pk), problem_post(campaign), **HX)
    problem = Problem.objects.get()
    html = c.post(url("ledger_measure_new", ledger.pk, problem.pk), {}, **HX).content.decode()
    assert "请填写整改措施" in html
    assert 'id="new-problem-slot"' not in html


def test_save_and_next_problem_button(client_for, people, problem_with_measure):
    problem, _ = problem_with_measure
    data = {**measure_post(f"mnew{problem.pk}"), "then": "problem"}
    html = client_for(people.own_clerk).post(url("ledger_measure_new", problem.ledger_id, problem.pk), data, **HX)
    assert Measure.objects.count() == 2
    assert '<tr id="new-problem-slot" class="zf-editing">' in html.content.decode()


# --- markup the page depends on ----------------------------------------------------------------


def test_benchmarks_are_labelled_checkboxes_above_the_buttons(client_for, people, ledger, campaign):
    html = client_for(people.own_clerk).get(url("ledger_problem_new", ledger.pk), **HX).content.decode()
    benchmark = campaign.benchmarks.get()
    box = (
        f'<div class="form-check"><input class="form-check-input" type="checkbox" name="pnew-benchmarks" '
        f'value="{benchmark.pk}" id="id_pnew-benchmarks_0"><label class="form-check-label" '
        f'for="id_pnew-benchmarks_0">对照企业、基层、群众期盼诉求</label></div>'
    )
    assert box in html
    assert html.index('<div class="zf-checks">') < html.index(">保存</button>")


def test_ledger_page_has_no_inline_script_or_handler(client_for, people, problem_with_measure):
    problem, _ = problem_with_measure
    c = client_for(people.own_clerk)
    pages = [
        c.get(url("ledger_detail", problem.ledger_id)),
        c.get(url("ledger_problem_new", problem.ledger_id)),
        c.get(url("ledger_measure_new", problem.ledger_id, problem.pk)),
    ]
    for response in pages:
        html = response.content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.findall(r"\son[a-z]+=", html) == []
        assert "rectification/ledger.js" in html
