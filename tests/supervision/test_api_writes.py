"""Every write of the supervision pages over the API: the same services, the same people, the same Chinese
errors per field; whoever may not is refused by role (403) or cannot see the row (404), and nothing changes."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PersonFactory
from tests.supervision.conftest import gps_jpeg
from tests.supervision.test_lines import town_office  # noqa: F401 (fixture)
from zuofeng.rectification.models import Measure, MeasureState, Problem
from zuofeng.reminders.models import Reminder
from zuofeng.supervision.models import (
    AccountabilityCase,
    Finding,
    InspectionRound,
    LineLink,
    RecheckSample,
    SelfInspectionReport,
)
from zuofeng.supervision.services.cases import case_open
from zuofeng.supervision.services.rechecks import recheck_create

API = "/api/supervision"
JSON = "application/json"


def _post(client, url, body):
    return client.post(url, body, content_type=JSON)


def _everyone_else(people, inspectors, *allowed):
    users = [
        people.office,
        inspectors.on_team,
        inspectors.off_team,
        people.own_clerk,
        people.reviewer,
        people.other_leader,
        people.judge,
        people.sysadmin,
        people.secadmin,
        people.auditor,
    ]
    return [u for u in users if u not in allowed]


# ── rounds and findings ─────────────


def test_the_office_plans_a_round_over_the_api(supervised, org, people, inspectors, client_for):
    body = {
        "name": "第二轮专项督查",
        "focus": "rectify",
        "starts_on": "2018-11-05",
        "ends_on": "2018-11-09",
        "team": [inspectors.on_team.pk],
        "units": [org.section_a1.pk, org.section_b1.pk],
    }
    for user in _everyone_else(people, inspectors, people.office):
        assert _post(client_for(user), f"{API}/rounds", body).status_code == 403, user
    bad = _post(client_for(people.office), f"{API}/rounds", {**body, "ends_on": "2018-11-01"})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"ends_on": ["结束日期不能早于开始日期。"]})
    assert not InspectionRound.objects.exists()
    response = _post(client_for(people.office), f"{API}/rounds", body)
    assert response.status_code == 200
    round_ = InspectionRound.objects.get()
    assert (response.json()["name"], response.json()["id"]) == ("第二轮专项督查", round_.pk)
    assert sorted(round_.units.values_list("pk", flat=True)) == sorted([org.section_a1.pk, org.section_b1.pk])
    assert list(round_.team.all()) == [inspectors.on_team]


def _finding_form(round_, org, **overrides):
    fields = {
        "unit": org.section_a1.pk,
        "category": round_.campaign.categories.get(key="duty").pk,
        "severity": "serious",
        "text": "窗口无人值守",
        "found_on": "2018-10-09",
        "checklist": json.dumps({"listed": "no"}),
    }
    return {**fields, **overrides}


def test_a_team_inspector_records_a_finding_with_photos_and_a_related_problem(
    round_, org, problem_with_measure, people, inspectors, client_for
):
    problem, measure = problem_with_measure
    url = f"{API}/rounds/{round_.pk}/findings/with-photos"

    def body(**overrides):
        photo = SimpleUploadedFile("p.jpg", gps_jpeg(), content_type="image/jpeg")
        return {**_finding_form(round_, org, **overrides), "photos": [photo]}

    for user in _everyone_else(people, inspectors, inspectors.on_team, inspectors.off_team):
        assert client_for(user).post(url, body()).status_code == 403, user
    assert client_for(inspectors.off_team).post(url, body()).status_code == 404
    team = client_for(inspectors.on_team)
    cases = [
        ({"checklist": "listed=no"}, {"checklist": ['督查清单答案应为 JSON 对象，如 {"listed": "no"}。']}),
        ({"unit": org.section_a2.pk}, {"unit": ["该单位不在本轮督查范围内。"]}),
        ({"unit": org.section_b1.pk, "measure": measure.pk}, {"measure": ["该单位没有这个编号的措施。"]}),
        ({"unit": org.section_b1.pk, "problem": problem.pk}, {"problem": ["该单位没有这个编号的问题。"]}),
        ({"text": " "}, {"text": ["请填写发现的问题。"]}),
    ]
    for overrides, errors in cases:
        bad = team.post(url, body(**overrides))
        assert (bad.status_code, bad.json()["errors"]) == (400, errors), overrides
    not_a_photo = {**_finding_form(round_, org), "photos": [SimpleUploadedFile("p.jpg", b"not an image")]}
    assert list(team.post(url, not_a_photo).json()["errors"]) == ["photos"]
    assert not Finding.objects.exists()

    response = team.post(url, body(measure=measure.pk, problem=problem.pk))
    assert response.status_code == 200
    finding = Finding.objects.get()
    assert (finding.text, finding.severity, finding.checklist) == ("窗口无人值守", "serious", {"listed": "no"})
    assert (finding.measure_id, finding.related_problem_id, finding.photos.count()) == (measure.pk, problem.pk, 1)
    assert response.json()["state"] == "recorded"
    assert (response.json()["measure"], response.json()["related_problem"], response.json()["problem"]) == (
        measure.pk,
        problem.pk,
        None,
    )


# ── 回头看 ─────────────


@pytest.fixture
def closed(problem_with_measure):
    Measure.objects.filter(pk=problem_with_measure[1].pk).update(state=MeasureState.CLOSED)
    return problem_with_measure[1]


def test_the_office_draws_a_recheck_over_the_api(supervised, closed, people, inspectors, client_for):
    body = {"name": "回头看第一批", "scope": "unit", "size": 1, "seed": 7, "team": [inspectors.on_team.pk]}
    for user in _everyone_else(people, inspectors, people.office):
        assert _post(client_for(user), f"{API}/rechecks", body).status_code == 403, user
    bad = _post(client_for(people.office), f"{API}/rechecks", {**body, "size": 0})
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["size"])
    assert not RecheckSample.objects.exists()
    response = _post(client_for(people.office), f"{API}/rechecks", body)
    assert response.status_code == 200
    assert [(i["measure"], i["verdict"]) for i in response.json()["items"]] == [(closed.pk, "pending")]


def test_the_team_verifies_and_the_office_reopens_over_the_api(supervised, closed, people, inspectors, client_for):
    sample = recheck_create(
        actor=people.office, campaign=supervised, name="回头看", scope="unit", size=1, seed=1, team=[inspectors.on_team]
    )
    item = sample.items.get()
    verify = f"{API}/rechecks/{sample.pk}/items/{item.pk}/verify"
    reopen = f"{API}/rechecks/{sample.pk}/items/{item.pk}/reopen"
    body = {"verdict": "not_fixed", "text": "台账有、现场无", "severity": "serious"}
    for user in (people.own_clerk, people.reviewer, people.judge, people.sysadmin, people.auditor):
        assert _post(client_for(user), verify, body).status_code == 403, user
    assert _post(client_for(inspectors.off_team), verify, body).status_code == 404
    team = client_for(inspectors.on_team)
    bad = _post(team, verify, {**body, "text": ""})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"text": ["请写明未整改到位的情况。"]})
    response = _post(team, verify, body)
    assert response.status_code == 200
    assert (response.json()["verdict"], response.json()["reopened_at"]) == ("not_fixed", None)
    again = _post(team, verify, body)
    assert (again.status_code, again.json()["detail"]) == (400, "该事项已核查。")

    assert _post(team, reopen, {}).status_code == 403
    assert _post(client_for(people.reviewer), reopen, {}).status_code == 403
    reopened = _post(client_for(people.office), reopen, {})
    assert reopened.status_code == 200
    assert reopened.json()["reopened_at"] is not None
    closed.refresh_from_db()
    assert closed.state == MeasureState.IN_PROGRESS
    assert _post(client_for(people.office), reopen, {}).json()["detail"] == "该事项无需重新打开。"


# ── 问责案件 ─────────────


def test_cases_are_opened_answered_and_decided_over_the_api(supervised, org, people, inspectors, client_for):
    person = PersonFactory(unit=org.section_a1, name="王某某")
    body = {
        "unit": org.section_a1.pk,
        "person": person.pk,
        "origin": "other",
        "facts": "推诿扯皮，造成不良影响。",
        "degree": "serious",
    }
    for user in _everyone_else(people, inspectors, people.office):
        assert _post(client_for(user), f"{API}/cases", body).status_code == 403, user
    office = client_for(people.office)
    bad = _post(office, f"{API}/cases", {**body, "unit": org.section_b1.pk})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"person": ["问责对象个人不属于所选单位。"]})
    assert not AccountabilityCase.objects.exists()
    opened = _post(office, f"{API}/cases", body)
    assert (opened.status_code, opened.json()["person"], opened.json()["state"]) == (200, "王某某", "open")
    case = f"{API}/cases/{opened.json()['id']}"

    statement = {"statement": "已当面道歉并整改。"}
    for user in (people.own_clerk, people.judge, inspectors.on_team):
        assert _post(client_for(user), f"{case}/statement", statement).status_code == 403, user
    assert _post(client_for(people.other_leader), f"{case}/statement", statement).status_code == 404
    assert _post(office, f"{case}/statement", statement).status_code == 403
    empty = _post(client_for(people.reviewer), f"{case}/statement", {"statement": ""})
    assert (empty.status_code, list(empty.json()["errors"])) == (400, ["statement"])
    filed = _post(client_for(people.reviewer), f"{case}/statement", statement)
    assert (filed.status_code, filed.json()["statement"]) == (200, "已当面道歉并整改。")

    decision = {"measure": "admonition", "decided_on": "2018-11-20", "deciding_body": "区纪委", "doc_number": "12号"}
    assert _post(client_for(people.reviewer), f"{case}/decision", decision).status_code == 403
    assert _post(client_for(people.judge), f"{case}/decision", decision).status_code == 403
    bad = _post(office, f"{case}/decision", {**decision, "measure": "firing"})
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["measure"])
    decided = _post(office, f"{case}/decision", decision)
    assert decided.status_code == 200
    assert (decided.json()["state"], decided.json()["measure"], decided.json()["doc_number"]) == (
        "decided",
        "admonition",
        "12号",
    )


def test_another_units_case_is_not_found_for_its_leader(supervised, org, people, client_for):
    case = case_open(
        actor=people.office, campaign=supervised, unit=org.section_b1, origin="other", facts="x", degree="general"
    )
    response = _post(client_for(people.reviewer), f"{API}/cases/{case.pk}/statement", {"statement": "y"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.statement == ""


# ── 自查自纠 ─────────────

ANSWERS = {"scope": "全局各科室", "found": "审批环节层层加码", "handling": "已取消两项前置", "people": "1人诫勉"}


def saved_version() -> int:
    return SelfInspectionReport.objects.get().version


def test_a_unit_writes_reports_and_the_office_reviews_over_the_api(supervised, org, people, inspectors, client_for):
    leader_b = client_for(people.other_leader)
    report = f"{API}/self-inspection/units/{org.dept_b.pk}/report"
    body = {"version": 1, "answers": ANSWERS, "people_handled": 1, "submit": True}
    for user in (people.judge, inspectors.on_team, people.sysadmin, people.auditor):
        assert client_for(user).put(report, body, content_type=JSON).status_code == 403, user
    # another unit's leader and clerk: the report is not theirs to see
    for user in (people.reviewer, people.own_clerk):
        assert client_for(user).put(report, body, content_type=JSON).status_code == 404, user
    assert client_for(people.office).put(report, body, content_type=JSON).status_code == 403
    bad = leader_b.put(report, {**body, "people_handled": -1}, content_type=JSON)
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["people_handled"])
    assert not SelfInspectionReport.objects.exists()
    saved = leader_b.put(report, body, content_type=JSON)
    assert saved.status_code == 200
    assert (saved.json()["state"], saved.json()["answers"]["found"]) == ("submitted", "审批环节层层加码")
    reported = leader_b.put(report, {**body, "version": saved_version(), "submit": False}, content_type=JSON)
    assert (reported.status_code, reported.json()["detail"]) == (400, "报告已报送，不能修改。")

    review = f"{API}/self-inspection/units/{org.dept_b.pk}/review"
    assert _post(leader_b, review, {"accept": True}).status_code == 403
    no_reason = _post(client_for(people.office), review, {"accept": False})
    assert (no_reason.status_code, no_reason.json()["errors"]) == (400, {"comment": ["退回须说明理由。"]})
    returned = _post(client_for(people.office), review, {"accept": False, "comment": "处理情况不具体"})
    assert (returned.status_code, returned.json()["state"]) == (200, "returned")
    stale = leader_b.put(report, {**body, "version": saved_version() - 1}, content_type=JSON)
    assert (stale.status_code, stale.json()["detail"]) == (409, "报告已被他人修改，请刷新后再改。")


def test_found_problems_are_added_over_the_api(supervised, org, people, client_for):
    url = f"{API}/self-inspection/units/{org.dept_b.pk}/problems"
    body = {"category": supervised.categories.get(key="duty").pk, "description": "层层加码", "found_on": "2018-10-10"}
    assert _post(client_for(people.office), url, body).status_code == 403
    assert _post(client_for(people.reviewer), url, body).status_code == 404
    bad = _post(client_for(people.other_leader), url, {**body, "description": ""})
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["description"])
    assert not Problem.objects.exists()
    response = _post(client_for(people.other_leader), url, body)
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert response.json()["problems"] == [problem.pk]
    assert (problem.unit, problem.source.kind) == (org.dept_b, "self")


def test_the_office_chases_units_not_reported_over_the_api(supervised, org, people, inspectors, client_for):
    url = f"{API}/self-inspection/remind"
    for user in _everyone_else(people, inspectors, people.office):
        assert _post(client_for(user), url, {}).status_code == 403, user
    assert not Reminder.objects.exists()
    response = _post(client_for(people.office), url, {})
    assert response.status_code == 200
    assert response.json()["sent"] == Reminder.objects.count() > 0


# ── 条线关系 and 条线催办 ─────────────


def test_line_links_are_kept_over_the_api(town_office, org, people, inspectors, client_for):  # noqa: F811
    body = {"department": org.dept_b.pk, "unit": town_office.pk, "line": "商务"}
    for user in _everyone_else(people, inspectors, people.office, people.sysadmin):
        client = client_for(user)
        assert _post(client, f"{API}/lines", body).status_code == 403, user
        assert _post(client, f"{API}/lines/import", {"text": "D02,T01F,商务"}).status_code == 403, user
        assert client.delete(f"{API}/lines/{LineLink.objects.get().pk}").status_code == 403, user
    office = client_for(people.office)
    dup = _post(office, f"{API}/lines", {**body, "department": org.dept_a.pk})
    assert (dup.status_code, dup.json()["errors"]) == (400, {"unit": ["该条线关系已存在。"]})
    added = _post(client_for(people.sysadmin), f"{API}/lines", body)
    assert (added.status_code, added.json()["line"], added.json()["department"]["id"]) == (200, "商务", org.dept_b.pk)

    bad = _post(office, f"{API}/lines/import", {"text": "D02,D02S01,商务\nD02,NOPE,商务"})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"text": ["第 2 行：没有编码为“NOPE”的单位。"]})
    assert LineLink.objects.count() == 2
    imported = _post(office, f"{API}/lines/import", {"text": "D02,D01S01,商务"})
    assert (imported.status_code, imported.json()) == (200, {"added": 1})
    assert [link["line"] for link in office.get(f"{API}/lines").json()] == ["财政", "商务", "商务"]

    removed = office.delete(f"{API}/lines/{added.json()['id']}")
    assert (removed.status_code, removed.json()) == (200, {"removed": added.json()["id"]})
    assert office.delete(f"{API}/lines/{added.json()['id']}").status_code == 404
    assert LineLink.objects.count() == 2


def test_a_line_department_chases_its_unit_over_the_api(town_office, org, people, inspectors, client_for):  # noqa: F811
    url = f"{API}/lines/units/{town_office.pk}/remind"
    for user in (people.office, people.own_clerk, people.judge, inspectors.on_team, people.sysadmin):
        assert _post(client_for(user), url, {"text": "请加快"}).status_code == 403, user
    assert _post(client_for(people.other_leader), url, {}).status_code == 404
    assert _post(client_for(people.reviewer), f"{API}/lines/units/{org.section_b1.pk}/remind", {}).status_code == 404
    assert not Reminder.objects.exists()
    response = _post(client_for(people.reviewer), url, {"text": "请加快"})
    assert (response.status_code, response.json()) == (200, {"sent": 1})
    assert Reminder.objects.get().recipient.username == "clerk_t01f"
    assert _post(client_for(people.reviewer), url, {}).json() == {"sent": 0}
