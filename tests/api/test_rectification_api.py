"""找差整改 API: the same scoping and permissions as the pages, for own unit, sibling, reviewer, office, anonymous."""

# ruff: noqa: F811 - the rectification fixtures are imported from tests/rectification/conftest.py

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.rectification.conftest import campaign, ledger, problem_with_measure  # noqa: F401
from tests.upload_files import png_bytes
from zuofeng.core import clock
from zuofeng.rectification.models import Ledger, LedgerState, Measure, MeasureState

pytestmark = pytest.mark.django_db
BASE = "/api/rectification"
FORBIDDEN = {"detail": "您的角色无权访问此项内容。"}
NOT_FOUND = {"detail": "未找到该记录，或您无权查看。"}
TODAY = dt.date(2018, 9, 20)


@pytest.fixture(autouse=True)
def _today(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    with clock.frozen(TODAY):
        yield


def ok(response) -> dict:
    assert response.status_code == 200, response.content.decode()
    return response.json()


def texts(response) -> list[str]:
    return [row["text"] for row in ok(response)["items"]]


def test_anonymous_gets_401(client, problem_with_measure):
    for path in ("/ledgers", "/problems", "/measures"):
        assert client.get(BASE + path).status_code == 401


def test_ledger_lists_by_person(ledger, people, client_for, org, campaign):
    Ledger.objects.create(campaign=campaign, unit=org.section_b1)
    units = {
        who: [row["unit"]["name"] for row in ok(client_for(getattr(people, who)).get(f"{BASE}/ledgers"))["items"]]
        for who in ("own_clerk", "sibling_clerk", "reviewer", "other_leader", "office", "inspector")
    }
    assert units == {
        "own_clerk": ["预算科"],
        "sibling_clerk": [],
        "reviewer": ["预算科"],
        "other_leader": ["外贸科"],
        "office": ["预算科", "外贸科"],
        "inspector": ["预算科", "外贸科"],
    }


@pytest.mark.parametrize("who", ["auditor", "sysadmin", "secadmin", "judge"])
def test_business_api_forbidden_for_non_business_roles(problem_with_measure, people, client_for, who, ledger):
    client = client_for(getattr(people, who))
    _, measure = problem_with_measure
    for path in ("/ledgers", f"/ledgers/{ledger.pk}", "/problems", "/measures", f"/measures/{measure.pk}"):
        response = client.get(BASE + path)
        assert (response.status_code, response.json()) == (403, FORBIDDEN), path


def test_ledger_detail_invisible_is_404(ledger, people, client_for):
    for who in ("sibling_clerk", "other_leader"):
        response = client_for(getattr(people, who)).get(f"{BASE}/ledgers/{ledger.pk}")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert client_for(people.own_clerk).get(f"{BASE}/ledgers/999999").status_code == 404
    body = ok(client_for(people.reviewer).get(f"{BASE}/ledgers/{ledger.pk}"))
    assert (body["state"], body["state_label"], body["version"]) == ("draft", "起草中", 1)


def test_problem_detail_with_measures(problem_with_measure, people, client_for):
    problem, measure = problem_with_measure
    body = ok(client_for(people.own_clerk).get(f"{BASE}/problems/{problem.pk}"))
    assert (body["category"]["name"], body["symptom"]["name"], body["source"]["name"]) == (
        "责任中梗阻",
        "推诿扯皮",
        "自己找",
    )
    assert [m["text"] for m in body["measures"]] == ["实行首问负责制，一次告知办理要求"]
    assert body["measures"][0]["deadline_label"] == "2018年10月16日"
    assert client_for(people.sibling_clerk).get(f"{BASE}/problems/{problem.pk}").status_code == 404
    assert client_for(people.sibling_clerk).get(f"{BASE}/measures/{measure.pk}").status_code == 404


def test_problem_and_measure_lists_filtered(problem_with_measure, people, client_for):
    problem, _ = problem_with_measure
    client = client_for(people.office)
    assert [p["description"] for p in ok(client.get(f"{BASE}/problems", {"review": "pending"}))["items"]] == [
        "窗口办件推诿扯皮，群众多次跑腿"
    ]
    assert texts(client.get(f"{BASE}/measures", {"problem": problem.pk, "state": "planned"})) == [
        "实行首问负责制，一次告知办理要求"
    ]
    assert texts(client.get(f"{BASE}/measures", {"light": "red"})) == []
    assert texts(client_for(people.sibling_clerk).get(f"{BASE}/measures")) == []


def _problem_body(ledger, campaign, **extra) -> dict:
    return {
        "ledger": ledger.pk,
        "category": campaign.categories.get(key="thinking").pk,
        "symptom": campaign.symptoms.get(key="pirou").pk,
        "source": campaign.sources.get(key="leader").pk,
        "source_detail": "王局长",
        "description": "审批环节多，办事慢",
        "found_on": "2018-09-05",
        "benchmarks": [campaign.benchmarks.get().pk],
        **extra,
    }


def test_problem_create_by_own_clerk(ledger, campaign, people, client_for):
    body = ok(
        client_for(people.own_clerk).post(f"{BASE}/problems", _problem_body(ledger, campaign), "application/json")
    )
    assert (body["description"], body["source_detail"], body["version"], body["unit"]["name"]) == (
        "审批环节多，办事慢",
        "王局长",
        1,
        "预算科",
    )
    assert [b["name"] for b in body["benchmarks"]] == ["对照企业、基层、群众期盼诉求"]


def test_problem_create_refused_for_reviewer_and_sibling(ledger, campaign, people, client_for):
    body = _problem_body(ledger, campaign)
    assert client_for(people.reviewer).post(f"{BASE}/problems", body, "application/json").status_code == 403
    assert client_for(people.sibling_clerk).post(f"{BASE}/problems", body, "application/json").status_code == 404
    assert client_for(people.office).post(f"{BASE}/problems", body, "application/json").status_code == 403


def test_problem_create_errors_in_chinese_per_field(ledger, campaign, people, client_for):
    response = client_for(people.own_clerk).post(
        f"{BASE}/problems", _problem_body(ledger, campaign, description=" ", category=999999), "application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"category": ["请选择本次活动的问题类别"], "description": ["请填写问题描述"]}


def test_problem_update_with_version_and_stale_refusal(problem_with_measure, people, client_for):
    problem, _ = problem_with_measure
    client = client_for(people.own_clerk)
    url = f"{BASE}/problems/{problem.pk}"
    body = ok(client.patch(url, {"version": 1, "description": "窗口推诿"}, "application/json"))
    assert (body["description"], body["version"]) == ("窗口推诿", 2)
    stale = client.patch(url, {"version": 1, "description": "别的说法"}, "application/json")
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("该条目已被 ")
    assert stale.json()["current"]["问题描述"] == "窗口推诿"


def test_measure_create_ongoing_and_update(problem_with_measure, people, client_for):
    problem, measure = problem_with_measure
    client = client_for(people.own_clerk)
    body = ok(
        client.post(
            f"{BASE}/measures",
            {"problem": problem.pk, "text": "每季度回访企业", "starts_on": "2018-09-16", "is_ongoing": True},
            "application/json",
        )
    )
    assert (body["deadline_label"], body["is_ongoing"], body["order"]) == ("长期坚持", True, 2)
    updated = ok(
        client.patch(f"{BASE}/measures/{measure.pk}", {"version": 1, "deadline": "2018-10-31"}, "application/json")
    )
    assert (updated["deadline"], updated["version"]) == ("2018-10-31", 2)
    bad = client.patch(f"{BASE}/measures/{measure.pk}", {"version": 2, "deadline": "2018-09-01"}, "application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"deadline": ["完成时限不能早于开始日期"]}
    stale = client.patch(f"{BASE}/measures/{measure.pk}", {"version": 1, "text": "x"}, "application/json")
    assert stale.status_code == 409
    assert (
        client_for(people.reviewer)
        .patch(f"{BASE}/measures/{measure.pk}", {"version": 2, "text": "x"}, "application/json")
        .status_code
        == 403
    )


def test_submit_return_resubmit_approve(problem_with_measure, ledger, people, client_for):
    clerk, reviewer = client_for(people.own_clerk), client_for(people.reviewer)
    submit = f"{BASE}/ledgers/{ledger.pk}/submit"
    assert reviewer.post(submit).status_code == 403
    assert client_for(people.sibling_clerk).post(submit).status_code == 404
    assert ok(clerk.post(submit))["state"] == "submitted"
    again = clerk.post(submit)
    assert again.status_code == 400
    assert "请勿重复提交" in again.json()["detail"]
    assert clerk.post(f"{BASE}/ledgers/{ledger.pk}/return", {"comment": "x"}, "application/json").status_code == 403
    empty = reviewer.post(f"{BASE}/ledgers/{ledger.pk}/return", {"comment": " "}, "application/json")
    assert (empty.status_code, empty.json()["errors"]) == (400, {"comment": ["请填写退回意见。"]})
    returned = ok(reviewer.post(f"{BASE}/ledgers/{ledger.pk}/return", {"comment": "措施不具体"}, "application/json"))
    assert returned["state"] == "returned"
    assert ok(clerk.post(submit))["state"] == "submitted"
    assert ok(reviewer.post(f"{BASE}/ledgers/{ledger.pk}/approve", {}, "application/json"))["state"] == "approved"
    assert Measure.objects.get().state == MeasureState.IN_PROGRESS


def test_item_by_item_review(problem_with_measure, ledger, people, client_for):
    problem, _ = problem_with_measure
    ok(client_for(people.own_clerk).post(f"{BASE}/ledgers/{ledger.pk}/submit"))
    reviewer = client_for(people.reviewer)
    body = {"decisions": [{"problem": problem.pk, "decision": "returned", "comment": ""}]}
    response = reviewer.post(f"{BASE}/ledgers/{ledger.pk}/review", body, "application/json")
    assert response.status_code == 400
    assert "退回时须填写审核意见" in response.json()["detail"]
    body["decisions"][0]["decision"] = "approved"
    assert ok(reviewer.post(f"{BASE}/ledgers/{ledger.pk}/review", body, "application/json"))["state"] == "approved"


@pytest.fixture
def approved(problem_with_measure, ledger, people, client_for):
    ok(client_for(people.own_clerk).post(f"{BASE}/ledgers/{ledger.pk}/submit"))
    ok(client_for(people.reviewer).post(f"{BASE}/ledgers/{ledger.pk}/approve", {}, "application/json"))
    return Measure.objects.get()


def png(name="现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_progress_report_and_list(approved, people, client_for):
    clerk = client_for(people.own_clerk)
    url = f"{BASE}/measures/{approved.pk}/progress"
    body = ok(clerk.post(url, {"reported_on": "2018-09-20", "text": "已建立制度", "percent": "40", "files": [png()]}))
    assert (body["percent"], body["evidence"][0]["name"]) == (40, "现场照片.png")
    assert [p["text"] for p in ok(client_for(people.office).get(url))] == ["已建立制度"]
    assert (
        client_for(people.reviewer).post(url, {"reported_on": "2018-09-20", "text": "x", "percent": "1"}).status_code
        == 403
    )
    assert client_for(people.sibling_clerk).get(url).status_code == 404
    bad = clerk.post(url, {"reported_on": "2018-09-20", "text": " ", "percent": "40"})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"text": ["请填写进展情况。"]})
    stale = clerk.post(url, {"reported_on": "2018-09-20", "text": "y", "percent": "50", "version": "1"})
    assert stale.status_code == 409


def test_close_out_request_decide_reopen(approved, people, client_for):
    clerk, reviewer = client_for(people.own_clerk), client_for(people.reviewer)
    request_url = f"{BASE}/measures/{approved.pk}/close-request"
    missing = clerk.post(request_url, {"text": "已完成"})
    assert (missing.status_code, missing.json()["errors"]) == (400, {"files": ["申请销号须上传至少一份佐证材料。"]})
    assert ok(clerk.post(request_url, {"text": "已完成", "files": [png()]}))["state"] == "close_requested"
    decide = f"{BASE}/measures/{approved.pk}/close-decision"
    assert clerk.post(decide, {"approve": True}, "application/json").status_code == 403
    closed = ok(reviewer.post(decide, {"approve": True, "comment": "核实无误"}, "application/json"))
    assert (closed["state"], closed["light"], closed["closed_on"]) == ("closed", "closed", "2018-09-20")
    reopen = f"{BASE}/measures/{approved.pk}/reopen"
    assert clerk.post(reopen, {"reason": "x"}, "application/json").status_code == 403
    assert (
        ok(client_for(people.office).post(reopen, {"reason": "督查发现未整改到位"}, "application/json"))["state"]
        == "in_progress"
    )


def test_token_client_writes_without_csrf(problem_with_measure, ledger, people, bearer_client):
    response = bearer_client(people.own_clerk).post(f"{BASE}/ledgers/{ledger.pk}/submit")
    assert ok(response)["state"] == LedgerState.SUBMITTED


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        ok(client.get(url))
    return len(ctx.captured_queries)


def test_lists_keep_query_count_constant(problem_with_measure, people, client_for):
    problem, measure = problem_with_measure
    client = client_for(people.office)
    client.get(f"{BASE}/ledgers")
    before = [_count(client, f"{BASE}/{name}") for name in ("ledgers", "problems", "measures")]
    for i in range(10):
        Measure.objects.create(
            problem=problem, unit=problem.unit, campaign=measure.campaign, text=f"措施{i}",
            starts_on=measure.starts_on, is_ongoing=True, order=i + 2,
        )  # fmt: skip
    assert [_count(client, f"{BASE}/{name}") for name in ("ledgers", "problems", "measures")] == before
