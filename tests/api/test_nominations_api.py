"""评优申报 API: the same scoping and permissions as the pages for own, sibling, reviewer, office, judge, anonymous."""

# ruff: noqa: F811 - the award fixtures are imported from tests/nominations/conftest.py

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import Role, make_user
from tests.nominations.conftest import case_award, nomination_campaign, star_award  # noqa: F401
from tests.upload_files import pdf_bytes
from zuofeng.core import clock
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Score

S = NominationState
BASE = "/api/nominations"
FORBIDDEN = {"detail": "您的角色无权访问此项内容。"}
NOT_FOUND = {"detail": "未找到该记录，或您无权查看。"}
pytestmark = pytest.mark.django_db

DATA = {"name": "周测试", "birth_month": "1988-06", "phone": "13912345678", "main_text": "事迹"}
FORM = {
    "rows": [
        [{"key": "name", "label": "姓  名"}, {"key": "birth_month", "label": "出生年月", "type": "month"}],
        [{"key": "phone", "label": "联系电话", "type": "phone"}],
        [{"key": "main_text", "label": "主要事迹", "type": "textarea"}],
    ]
}


@pytest.fixture(autouse=True)
def _after_deadline(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    with clock.frozen(timezone.make_aware(dt.datetime(2018, 11, 10, 9, 0))):
        yield


@pytest.fixture
def rows(star_award, org, people):
    star_award.form = FORM
    star_award.save()

    def make(unit, state, title):
        return Nomination.objects.create(
            award=star_award, campaign=star_award.campaign, unit=unit, title=title, state=state, data=DATA
        )

    result = {
        "own": make(org.section_a1, S.SUBMITTED, "预算科"),
        "a": make(org.dept_a, S.JUDGING, "财政局"),
        "b": make(org.dept_b, S.JUDGING, "商务局"),
    }
    JudgeAssignment.objects.create(award=star_award, judge=people.judge)
    return result


@pytest.fixture
def judge_b(org, star_award):
    judge = make_user("judge_b", role=Role.JUDGE, person_unit=org.dept_b)
    JudgeAssignment.objects.create(award=star_award, judge=judge)
    return judge


def ok(response):
    assert response.status_code == 200, response.content.decode()
    return response.json()


def test_anonymous_gets_401(client, rows):
    for url in ("", f"/{rows['a'].pk}", "/awards", f"/{rows['a'].pk}/scores"):
        assert client.get(BASE + url).status_code == 401


def test_nomination_list_scoped_per_person(client_for, people, rows, judge_b):
    titles = {
        who: [n["title"] for n in ok(client_for(user).get(BASE))["items"]]
        for who, user in [(w, getattr(people, w)) for w in ("own_clerk", "sibling_clerk", "reviewer", "other_leader")]
        + [("office", people.office), ("judge", people.judge), ("judge_b", judge_b)]
    }
    assert titles == {
        "own_clerk": ["预算科"],
        "sibling_clerk": [],
        "reviewer": ["财政局", "预算科"],
        "other_leader": ["商务局"],
        "office": ["财政局", "预算科", "商务局"],
        "judge": ["财政局", "商务局"],
        "judge_b": ["财政局"],
    }


def test_nomination_list_filters_and_forbidden_roles(client_for, people, rows, star_award):
    office = client_for(people.office)
    assert [n["title"] for n in ok(office.get(BASE, {"state": "submitted"}))["items"]] == ["预算科"]
    assert ok(office.get(BASE, {"award": star_award.pk + 100}))["count"] == 0
    assert client_for(people.sysadmin).get(BASE).status_code == 403
    assert client_for(people.sysadmin).get(BASE).json() == FORBIDDEN


def test_nomination_list_queries_do_not_grow_with_rows(client_for, people, rows, star_award, org):
    client = client_for(people.office)
    ok(client.get(BASE))  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as few:
        ok(client.get(BASE))
    for unit in (org.section_a2, org.section_b1, org.sub_a1x):
        Nomination.objects.create(award=star_award, campaign=star_award.campaign, unit=unit, title=unit.name)
    with CaptureQueriesContext(connection) as more:
        assert ok(client.get(BASE))["count"] == 6
    assert len(more.captured_queries) == len(few.captured_queries)


def test_nomination_detail_masks_private_fields_for_judges(client_for, people, rows):
    fields = {f["key"]: f["value"] for f in ok(client_for(people.judge).get(f"{BASE}/{rows['a'].pk}"))["fields"]}
    assert fields == {"name": "周测试", "birth_month": "****年**月", "phone": "139****5678", "main_text": "事迹"}
    own = ok(client_for(people.own_clerk).get(f"{BASE}/{rows['own'].pk}"))
    assert {f["key"]: f["value"] for f in own["fields"]}["phone"] == "13912345678"
    assert (own["state_label"], own["unit"]["name"], own["opinion"]) == ("已报送", "预算科", None)


@pytest.mark.parametrize(("who", "key"), [("sibling_clerk", "own"), ("other_leader", "a"), ("judge", "own")])
def test_nomination_detail_invisible_is_404(client_for, people, rows, who, key):
    response = client_for(getattr(people, who)).get(f"{BASE}/{rows[key].pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_nomination_detail_conflicting_judge_gets_404(client_for, rows, judge_b):
    assert client_for(judge_b).get(f"{BASE}/{rows['b'].pk}").status_code == 404


def scan(content=None, name="scan.pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


def test_opinion_by_reviewer_then_visible_in_detail(client_for, people, rows, org):
    url = f"{BASE}/{rows['own'].pk}/opinion"
    body = {"text": "同意推荐", "signed_on": "2018-11-09", "stamped_scan": scan()}
    result = ok(client_for(people.reviewer).post(url, body))
    assert result["state"] == "opinion_given"
    opinion = ok(client_for(people.own_clerk).get(f"{BASE}/{rows['own'].pk}"))["opinion"]
    assert opinion == {
        "unit": {"id": org.dept_a.pk, "name": "区财政局"},
        "text": "同意推荐",
        "signed_on": "2018-11-09",
        "has_scan": True,
    }


def test_opinion_refusals(client_for, people, rows):
    url = f"{BASE}/{rows['own'].pk}/opinion"
    body = {"text": "同意", "signed_on": "2018-11-09"}
    assert client_for(people.own_clerk).post(url, {**body, "stamped_scan": scan()}).json() == FORBIDDEN
    assert client_for(people.other_leader).post(url, {**body, "stamped_scan": scan()}).status_code == 404
    bad = client_for(people.reviewer).post(url, {**body, "stamped_scan": scan(b"MZ")})
    assert (bad.status_code, bad.json()["errors"]) == (400, {"stamped_scan": ["“scan.pdf” 不是有效的 PDF 文件。"]})
    missing = client_for(people.office).post(url, body)
    assert missing.json()["errors"] == {"stamped_scan": ["请上传盖章后的意见扫描件（PDF 或图片）。"]}
    assert Nomination.objects.get(pk=rows["own"].pk).state == S.SUBMITTED


def test_scores_save_and_list_own(client_for, people, rows):
    client = client_for(people.judge)
    url = f"{BASE}/{rows['a'].pk}/scores"
    payload = {"scores": [{"criterion": 0, "score": "88.5", "comment": "好"}, {"criterion": 1, "score": 90}]}
    saved = ok(client.put(url, payload, content_type="application/json"))
    assert saved == [
        {"criterion": 0, "name": "服务态度", "score": "88.50", "comment": "好"},
        {"criterion": 1, "name": "履职成效", "score": "90.00", "comment": ""},
    ]
    assert ok(client.get(url)) == saved


def test_scores_refusals(client_for, people, rows, judge_b):
    payload = {"scores": [{"criterion": 0, "score": 101}, {"criterion": 1, "score": 90}]}
    bad = client_for(people.judge).put(f"{BASE}/{rows['a'].pk}/scores", payload, content_type="application/json")
    assert (bad.status_code, bad.json()["errors"]) == (400, {"score_0": ["“服务态度”的得分须在 0 到 100 之间。"]})
    good = {"scores": [{"criterion": 0, "score": 80}, {"criterion": 1, "score": 90}]}
    conflict = client_for(judge_b).put(f"{BASE}/{rows['b'].pk}/scores", good, content_type="application/json")
    assert conflict.status_code == 404
    for who in ("office", "reviewer"):
        assert client_for(getattr(people, who)).get(f"{BASE}/{rows['a'].pk}/scores").json() == FORBIDDEN
    assert not Score.objects.exists()


def test_ranking_and_results_for_office(client_for, people, rows, star_award):
    payload = {"scores": [{"criterion": 0, "score": 80}, {"criterion": 1, "score": 90}]}
    client_for(people.judge).put(f"{BASE}/{rows['b'].pk}/scores", payload, content_type="application/json")
    office = client_for(people.office)
    ranking = ok(office.get(f"{BASE}/awards/{star_award.pk}/ranking"))
    assert [(r["rank"], r["nomination"]["title"], r["aggregate"], r["judges"], r["tie"]) for r in ranking] == [
        (1, "商务局", "86.00", 1, False),
        (None, "财政局", None, 0, False),
    ]
    body = {"selected_ids": [rows["b"].pk]}
    assert ok(office.post(f"{BASE}/awards/{star_award.pk}/results", body, content_type="application/json")) == {
        "selected": 1,
        "not_selected": 1,
    }
    again = office.post(f"{BASE}/awards/{star_award.pk}/results", body, content_type="application/json")
    assert (again.status_code, again.json()["detail"]) == (400, "所选申报不在本奖项的评审中，请刷新页面后重新选择。")
    assert office.get(f"{BASE}/awards/999999/ranking").status_code == 404


@pytest.mark.parametrize("who", ["reviewer", "judge", "own_clerk"])
def test_ranking_and_results_forbidden_to_others(client_for, people, rows, star_award, who):
    client = client_for(getattr(people, who))
    assert client.get(f"{BASE}/awards/{star_award.pk}/ranking").json() == FORBIDDEN
    body = {"selected_ids": [rows["b"].pk]}
    assert client.post(f"{BASE}/awards/{star_award.pk}/results", body, content_type="application/json").json() == (
        FORBIDDEN
    )


def test_awards_with_quota_standing_of_callers_unit(client_for, people, rows, case_award):
    mine = {a["key"]: a["standing"] for a in ok(client_for(people.own_clerk).get(f"{BASE}/awards"))}
    assert mine["service-star"]["label"] == "本单位已申报 1/1"
    assert mine["service-star"]["unit"]["name"] == "区财政局"
    assert mine["service-case"]["label"] == "本单位已申报 0 例"
    awards = ok(client_for(people.judge).get(f"{BASE}/awards"))
    assert [(a["key"], a["standing"], a["aggregate"]) for a in awards] == [
        ("service-star", None, "mean"),
        ("service-case", None, "mean"),
    ]
    assert awards[0]["criteria"][1] == {"index": 1, "name": "履职成效", "weight": 60, "description": ""}
