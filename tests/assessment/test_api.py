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
    assert scores["武进区财政局"]["total"] == "46.50"
    assert (scores["武进区商务局"]["rank"], scores["武进区商务局"]["tied"]) == (1, False)
    detail = api.get(f"/api/assessment/scores/{scores['武进区财政局']['id']}").json()
    overdue = next(i for i in detail["items"] if i["key"] == "overdue")
    assert overdue["points"] == "-3.00" and overdue["status"] == "computed"
    assert [r["url"] for r in overdue["records"]] == [
        f"/rectification/measures/{m.pk}/" for m in (district.closed_late, district.open_1, district.open_2)
    ]
    skipped = next(i for i in detail["items"] if i["key"] == "satisfaction")  # no survey result
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
    assert done.status_code == 200 and Decimal(done.json()["total"]) == Decimal("48.50")
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
