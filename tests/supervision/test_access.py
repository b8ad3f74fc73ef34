"""Leak tests: every supervision page and the inspector's read-only view of the round's units, by role."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.supervision.conftest import gps_jpeg
from zuofeng.rectification.models import Ledger, Measure, MeasureState
from zuofeng.supervision.models import Severity
from zuofeng.supervision.services.findings import finding_record
from zuofeng.supervision.services.rechecks import recheck_create


@pytest.fixture
def finding(round_, org, inspectors):
    return finding_record(
        actor=inspectors.on_team,
        round=round_,
        unit=org.section_a1,
        category=round_.campaign.categories.get(key="duty"),
        severity=Severity.GENERAL,
        text="推诿",
        found_on=dt.date(2018, 10, 9),
        photos=[SimpleUploadedFile("a.jpg", gps_jpeg(), content_type="image/jpeg")],
    )


@pytest.fixture
def sample(supervised, problem_with_measure, people, inspectors):
    Measure.objects.filter(pk=problem_with_measure[1].pk).update(state=MeasureState.CLOSED)
    return recheck_create(
        actor=people.office, campaign=supervised, name="回头看", scope="unit", size=1, seed=1, team=[inspectors.on_team]
    )


def _who(people, inspectors):
    return {
        "office": people.office,
        "team": inspectors.on_team,
        "off_team": inspectors.off_team,
        "own_clerk": people.own_clerk,
        "own_leader": people.reviewer,
        "other_leader": people.other_leader,
        "judge": people.judge,
        "sysadmin": people.sysadmin,
        "secadmin": people.secadmin,
        "auditor": people.auditor,
    }


SEES_ROUND = {"office", "team"}


def test_round_finding_and_photo_pages_by_role(round_, finding, sample, people, inspectors, client_for):
    photo = finding.photos.get()
    pages = {
        "/supervision/rounds/": {"office", "team", "off_team"},  # an inspector's own (empty) list
        f"/supervision/rounds/{round_.pk}/": SEES_ROUND,
        f"/supervision/rounds/{round_.pk}/findings/new/": {"team"},
        f"/supervision/findings/{finding.pk}/": SEES_ROUND,
        f"/supervision/photos/{photo.pk}/": SEES_ROUND,
        f"/supervision/rounds/{round_.pk}/report.docx": {"office"},
        "/supervision/rounds/new/": {"office"},
        "/supervision/rechecks/": {"office", "team", "off_team"},
        "/supervision/rechecks/new/": {"office"},
        f"/supervision/rechecks/{sample.pk}/": SEES_ROUND,
    }
    for url, allowed in pages.items():
        for name, user in _who(people, inspectors).items():
            status = client_for(user).get(url).status_code
            if name in allowed:
                assert status == 200, (url, name, status)
            else:
                assert status in (403, 404), (url, name, status)


def test_the_off_team_inspector_cannot_post_a_finding_or_a_decision(round_, finding, people, inspectors, client_for):
    response = client_for(inspectors.off_team).post(
        f"/supervision/rounds/{round_.pk}/findings/new/", {"unit": finding.unit_id, "text": "x"}
    )
    assert response.status_code in (403, 404)
    for user in (inspectors.on_team, people.own_clerk, people.judge):
        response = client_for(user).post(f"/supervision/findings/{finding.pk}/decide/", {"decision": "confirm"})
        assert response.status_code in (403, 404)
    finding.refresh_from_db()
    assert finding.state == "recorded"


def test_the_team_reads_the_round_units_list_read_only_and_no_one_else_outside(
    round_, ledger, people, inspectors, client_for
):
    url = f"/rectification/ledgers/{ledger.pk}/"
    assert client_for(inspectors.on_team).get(url).status_code == 200
    assert client_for(inspectors.off_team).get(url).status_code == 404
    assert client_for(people.judge).get(url).status_code in (403, 404)
    response = client_for(inspectors.on_team).post(f"/rectification/ledgers/{ledger.pk}/problems/new/", {})
    assert response.status_code in (403, 404, 405)
    assert Ledger.objects.get(pk=ledger.pk).problems.count() == 0


def test_an_inspector_records_from_the_phone_form(round_, org, inspectors, client_for):
    category = round_.campaign.categories.get(key="duty")
    response = client_for(inspectors.on_team).post(
        f"/supervision/rounds/{round_.pk}/findings/new/",
        {
            "unit": org.section_a1.pk,
            "category": category.pk,
            "severity": "grave",
            "text": "  ",
            "found_on": "2018-10-09",
            "check_listed": "no",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "这个字段是必填项。" in body or "请填写" in body
    assert 'value="no" checked' in body.replace("\n", " ") or "checked" in body
    response = client_for(inspectors.on_team).post(
        f"/supervision/rounds/{round_.pk}/findings/new/",
        {
            "unit": org.section_a1.pk,
            "category": category.pk,
            "severity": "grave",
            "text": "窗口无人",
            "found_on": "2018-10-09",
            "check_listed": "no",
            "photos": SimpleUploadedFile("p.jpg", gps_jpeg(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/?saved=1")


def test_api_rounds_and_findings_by_role(round_, finding, people, inspectors, client_for):
    urls = [
        "/api/supervision/rounds",
        f"/api/supervision/rounds/{round_.pk}/overview",
        f"/api/supervision/rounds/{round_.pk}/findings",
    ]
    for name, user in _who(people, inspectors).items():
        for url in urls:
            response = client_for(user).get(url)
            if name in SEES_ROUND:
                assert response.status_code == 200, (url, name)
            elif name == "off_team":
                assert response.status_code == (200 if url.endswith("rounds") else 404), (url, name)
            else:
                assert response.status_code == 403, (url, name)
    assert client_for(inspectors.off_team).get(urls[0]).json() == []
    findings = client_for(inspectors.on_team).get(urls[2]).json()
    assert [(f["text"], f["state"], f["unit"]["id"]) for f in findings] == [("推诿", "recorded", finding.unit_id)]

    decide = f"/api/supervision/findings/{finding.pk}/decision"
    body = {"confirm": True, "deadline": "2018-11-30"}
    for user in (inspectors.on_team, people.own_clerk, people.judge, people.sysadmin):
        assert client_for(user).post(decide, body, content_type="application/json").status_code == 403
    response = client_for(people.office).post(decide, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["state"] == "confirmed"
    assert response.json()["problem"] is not None
    again = client_for(people.office).post(decide, body, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["detail"] == "当前状态为“已确认”，不能变为“已确认”。"


def test_posts_by_the_wrong_people_change_nothing(round_, sample, people, inspectors, client_for):
    item = sample.items.get()
    verify = f"/supervision/rechecks/{sample.pk}/items/{item.pk}/verify/"
    for user in (inspectors.off_team, people.own_clerk, people.reviewer, people.judge, people.sysadmin):
        response = client_for(user).post(verify, {"verdict": "not_fixed", "text": "x"})
        assert response.status_code in (403, 404), user
    for user in (inspectors.on_team, people.own_clerk, people.reviewer, people.judge):
        assert client_for(user).post("/supervision/rounds/new/", {}).status_code == 403
        assert client_for(user).post("/supervision/rechecks/new/", {}).status_code == 403
        assert client_for(user).post("/supervision/cases/new/", {}).status_code == 403
        assert client_for(user).post("/supervision/lines/manage/", {"text": "D01,D02,x"}).status_code == 403
    item.refresh_from_db()
    assert item.verdict == "pending"


def test_api_records_a_finding_only_for_the_team(round_, org, people, inspectors, client_for):
    url = f"/api/supervision/rounds/{round_.pk}/findings"
    body = {
        "unit": org.section_b1.pk,
        "category": round_.campaign.categories.get(key="duty").pk,
        "severity": "serious",
        "text": "外贸窗口推诿",
        "found_on": "2018-10-09",
        "checklist": {"listed": "no"},
    }
    for user in (people.office, people.own_clerk, people.judge):
        assert client_for(user).post(url, body, content_type="application/json").status_code == 403
    assert client_for(inspectors.off_team).post(url, body, content_type="application/json").status_code == 404
    bad = client_for(inspectors.on_team).post(url, {**body, "unit": org.section_a2.pk}, content_type="application/json")
    assert (bad.status_code, bad.json()["errors"]) == (400, {"unit": ["该单位不在本轮督查范围内。"]})
    empty = client_for(inspectors.on_team).post(url, {**body, "text": " "}, content_type="application/json")
    assert (empty.status_code, empty.json()["errors"]) == (400, {"text": ["请填写发现的问题。"]})
    response = client_for(inspectors.on_team).post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["checklist"]) == ("外贸窗口推诿", {"listed": "no"})
