"""The API: rubric, scores with items and records, adjustments, objections, clusters — same rules as the pages."""

import json
from decimal import Decimal

import pytest

from tests.api.conftest import bearer_client, token_for  # noqa: F401 (fixtures)
from tests.assessment.support import compute, items_of
from zuofeng.assessment.models import Objection, UnitScore


@pytest.fixture
def run(district):
    return compute(district.people.office, district.campaign)


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_rubric_and_scores_for_the_office(run, district, bearer_client):  # noqa: F811
    api = bearer_client(district.people.office)
    rubric = api.get("/api/assessment/rubric").json()
    assert [g["key"] for g in rubric["rubrics"][0]["groups"]] == [
        "rectify",
        "post-merit",
        "innovate",
        "supervise",
        "bonus",
    ]
    scores = {s["unit"]["name"]: s for s in api.get("/api/assessment/scores").json()}
    assert scores["武进区财政局"]["total"] == "42.83"
    assert (scores["武进区商务局"]["rank"], scores["武进区商务局"]["tied"]) == (1, False)
    detail = api.get(f"/api/assessment/scores/{scores['武进区财政局']['id']}").json()
    overdue = next(i for i in detail["items"] if i["key"] == "overdue")
    assert overdue["points"] == "-3.00" and overdue["status"] == "computed"
    assert [r["url"] for r in overdue["records"]] == [
        f"/rectification/measures/{m.pk}/" for m in (district.closed_late, district.open_1, district.open_2)
    ]
    skipped = next(i for i in detail["items"] if i["key"] == "complaints")
    assert (skipped["status"], skipped["points"]) == ("skipped", None)


def test_unit_sees_own_score_without_rank_before_publication(run, district, bearer_client):  # noqa: F811
    api = bearer_client(district.people.reviewer)
    scores = api.get("/api/assessment/scores").json()
    assert [(s["unit"]["name"], s["rank"], s["grade"], s["computed_total"]) for s in scores] == [
        ("武进区财政局", None, None, None)
    ]
    other = UnitScore.objects.get(run=run, unit=district.org.dept_b)
    assert api.get(f"/api/assessment/scores/{other.pk}").status_code == 404
    assert api.get("/api/assessment/clusters").status_code == 403
    overdue = items_of(run, district.org.dept_a)["overdue"]
    assert _post(api, f"/api/assessment/items/{overdue.pk}/adjust", {"points": 0, "reason": "x"}).status_code == 403


def test_adjust_and_objection_round_trip(run, district, bearer_client):  # noqa: F811
    office, unit = bearer_client(district.people.office), bearer_client(district.people.reviewer)
    overdue = items_of(run, district.org.dept_a)["overdue"]
    refused = _post(office, f"/api/assessment/items/{overdue.pk}/adjust", {"points": -1, "reason": ""})
    assert refused.status_code == 400 and refused.json()["errors"] == {"reason": ["请填写调整理由"]}
    done = _post(office, f"/api/assessment/items/{overdue.pk}/adjust", {"points": -1, "reason": "已批准延期"})
    assert done.status_code == 200 and Decimal(done.json()["total"]) == Decimal("46.17")
    score_id = overdue.score_id
    raised = _post(
        unit, f"/api/assessment/scores/{score_id}/objections", {"text": "仍有一项已延期", "item": overdue.pk}
    )
    assert raised.status_code == 200 and raised.json()["item"] == "逾期未完成整改措施"
    objection = Objection.objects.get()
    assert _post(unit, f"/api/assessment/objections/{objection.pk}/answer", {"answer": "x"}).status_code == 403
    answered = _post(office, f"/api/assessment/objections/{objection.pk}/answer", {"answer": "维持"})
    assert answered.json()["state"] == "answered"
    assert [o["answer"] for o in unit.get("/api/assessment/objections").json()] == ["维持"]


# ── 计算、公布、系统性问题：页面上的每个操作在接口上也有 ────────────────────────────


def _started(client, url, data=None):
    """POST that queues a background run, with the run executed at commit (immediate task backend)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return _post(client, url, data or {})


def test_office_computes_polls_and_publishes(district, bearer_client):  # noqa: F811
    from zuofeng.assessment.models import AssessmentRun

    office = bearer_client(district.people.office)
    started = _started(office, "/api/assessment/runs", {"cutoff": "2018-12-31"})
    assert started.status_code == 200 and started.json()["cutoff"] == "2018-12-31"
    polled = office.get(f"/api/assessment/runs/{started.json()['id']}").json()
    assert (polled["state"], polled["percent"], polled["published_at"]) == ("done", 100, None)
    again = _post(office, "/api/assessment/runs", {"cutoff": "2018-12-31"})
    assert again.status_code == 400
    assert again.json()["errors"] == {"reason": ["已有考核结果，重新计算须填写理由"]}
    assert AssessmentRun.objects.count() == 1
    published = _post(office, f"/api/assessment/runs/{polled['id']}/publish", {})
    assert published.status_code == 200 and published.json()["published_at"] is not None
    twice = _post(office, f"/api/assessment/runs/{polled['id']}/publish", {})
    assert (twice.status_code, twice.json()["detail"]) == (400, "考核结果已公布")


# Only these roles hold API tokens (api_token.create); the 三员 and judges never reach the API.
@pytest.mark.parametrize("who", ["reviewer", "other_leader", "own_clerk", "inspector"])
def test_only_the_office_computes_publishes_and_manages_clusters(who, run, district, bearer_client):  # noqa: F811
    api = bearer_client(getattr(district.people, who))
    assert _post(api, "/api/assessment/runs", {"cutoff": "2018-12-31", "reason": "x"}).status_code == 403
    assert api.get(f"/api/assessment/runs/{run.pk}").status_code == 403
    assert _post(api, f"/api/assessment/runs/{run.pk}/publish", {}).status_code == 403
    assert _post(api, "/api/assessment/cluster-runs", {}).status_code == 403
    assert _post(api, "/api/assessment/clusters/1/notes", {"text": "x"}).status_code == 403
    patch = api.patch("/api/assessment/clusters/1", json.dumps({"state": "found", "version": 1}), "application/json")
    assert patch.status_code == 403
    run.refresh_from_db()
    assert run.published_at is None


def test_office_analyses_names_assigns_and_follows_a_cluster(district, bearer_client):  # noqa: F811
    from tests.assessment.conftest import _ledger
    from zuofeng.assessment.demo import WORDINGS
    from zuofeng.assessment.models import ClusterNote, ProblemCluster

    for unit, text in ((district.org.section_b1, WORDINGS[1]), (district.town, WORDINGS[2])):
        _ledger(district.campaign, unit, None, description=text)
    office = bearer_client(district.people.office)
    started = _started(office, "/api/assessment/cluster-runs")
    assert started.status_code == 200
    assert office.get(f"/api/assessment/cluster-runs/{started.json()['id']}").json()["state"] == "done"
    cluster = ProblemCluster.objects.filter(run_id=started.json()["id"]).order_by("-unit_count").first()
    url = f"/api/assessment/clusters/{cluster.pk}"
    body = {"name": "审批材料重复提交", "district_wide": True, "state": "assigned", "version": cluster.version}
    no_owner = office.patch(url, json.dumps(body), "application/json")
    assert no_owner.status_code == 400 and no_owner.json()["errors"] == {"owner": ["交办须选择牵头单位"]}
    section = office.patch(url, json.dumps({**body, "owner": district.org.section_a1.pk}), "application/json")
    assert section.json()["errors"] == {"owner": ["牵头单位须为在用的区级单位"]}
    done = office.patch(url, json.dumps({**body, "owner": district.org.dept_a.pk}), "application/json")
    assert done.status_code == 200
    assert (done.json()["name"], done.json()["state"], done.json()["owner"]["name"]) == (
        "审批材料重复提交",
        "assigned",
        "武进区财政局",
    )
    stale = office.patch(url, json.dumps({**body, "owner": district.org.dept_a.pk}), "application/json")
    assert stale.json()["errors"] == {"name": ["该系统性问题已被他人修改，请刷新后重试"]}
    empty = _post(office, f"{url}/notes", {"text": "  "})
    assert (empty.status_code, empty.json()["errors"]) == (400, {"text": ["请填写跟踪情况"]})
    noted = _post(office, f"{url}/notes", {"text": "已召开协调会"})
    assert noted.status_code == 200 and noted.json()["text"] == "已召开协调会"
    assert list(ClusterNote.objects.values_list("text", flat=True)) == ["已召开协调会"]
