import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zuofeng.campaigns.models import (
    Award,
    AwardKind,
    Benchmark,
    Campaign,
    KeyArea,
    MainTask,
    Milestone,
    ObstructionCategory,
    Phase,
    ProblemSource,
    ProblemSourceKind,
    Symptom,
)


def make_campaign(slug: str = "wujin-2018", year: int = 2018, **extra) -> Campaign:
    return Campaign.objects.create(
        slug=slug,
        year=year,
        title=f"{year}年作风效能专项活动",
        short_title="作风效能",
        doc_number=f"武作组办〔{year}〕2号",
        issuer="中共常州市武进区委作风建设领导小组办公室",
        issued_on=dt.date(year, 8, 8),
        **extra,
    )


@pytest.fixture
def campaign(db):
    c = make_campaign(is_default=True, recipients=["各镇、开发区、街道"], contact={"phone": "86310000"})
    push = Phase.objects.create(campaign=c, key="push", name="全面推进", order=2, starts_on=dt.date(2018, 9, 1))
    Phase.objects.create(campaign=c, key="launch", name="宣传发动", order=1, period_label="8月")
    Phase.objects.create(campaign=c, key="gone", name="已删除阶段", order=3, is_active=False)
    Milestone.objects.create(campaign=c, key="m2", name="整改", order=1, due_on=dt.date(2018, 12, 31))
    Milestone.objects.create(
        campaign=c, key="m1", name="找差", order=2, due_on=dt.date(2018, 9, 15), phase=push, applies_to="rectification"
    )
    thinking = ObstructionCategory.objects.create(campaign=c, key="thinking", name="思维中梗阻", order=1, slogan="破除")
    Symptom.objects.create(campaign=c, category=thinking, key="weak", name="疲软症", order=1)
    Symptom.objects.create(campaign=c, category=thinking, key="old", name="旧表现", order=2, is_active=False)
    Benchmark.objects.create(campaign=c, key="b1", name="对照先进地区", order=1)
    ProblemSource.objects.create(campaign=c, key="self", name="自己找", order=1, kind=ProblemSourceKind.SELF)
    MainTask.objects.create(campaign=c, key="t1", name="找差", order=1, description="对照找差")
    KeyArea.objects.create(campaign=c, key="k1", name="项目增效", order=1)
    Award.objects.create(
        campaign=c,
        key="star",
        name="十佳优秀服务明星",
        order=1,
        kind=AwardKind.INDIVIDUAL,
        level="区级",
        quota_max=1,
        deadline=timezone.make_aware(dt.datetime(2018, 11, 30, 17, 0)),
        form={"fields": [{"key": "main_text", "label": "主要事迹", "max_chars": 500}]},
        criteria=["服务态度"],
        winners=10,
    )
    return c


def test_campaign_list_for_clerk(people, campaign, client_for):
    make_campaign(slug="wujin-2017", year=2017)
    response = client_for(people.own_clerk).get("/api/campaigns")
    assert response.status_code == 200
    assert [(c["slug"], c["is_default"], c["is_current"]) for c in response.json()] == [
        ("wujin-2018", True, True),
        ("wujin-2017", False, False),
    ]
    assert response.json()[0] == {
        "id": campaign.pk,
        "slug": "wujin-2018",
        "year": 2018,
        "title": "2018年作风效能专项活动",
        "short_title": "作风效能",
        "doc_number": "武作组办〔2018〕2号",
        "issuer": "中共常州市武进区委作风建设领导小组办公室",
        "issued_on": "2018-08-08",
        "is_default": True,
        "is_current": True,
    }


def test_campaign_list_without_default_marks_newest_current(people, client_for):
    make_campaign(slug="old", year=2017)
    make_campaign(slug="new", year=2019)
    rows = client_for(people.office).get("/api/campaigns").json()
    assert [(c["slug"], c["is_current"]) for c in rows] == [("new", True), ("old", False)]


def test_campaign_list_empty(people, client_for):
    assert client_for(people.office).get("/api/campaigns").json() == []


@pytest.mark.parametrize("who", ["auditor", "secadmin", "sysadmin", "judge", "inspector"])
def test_campaigns_visible_to_every_role(people, campaign, client_for, who):
    assert client_for(getattr(people, who)).get("/api/campaigns/wujin-2018").status_code == 200


def test_campaign_detail_unknown_slug_404(people, client_for):
    response = client_for(people.office).get("/api/campaigns/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录，或您无权查看。"}


def test_campaign_detail_lists_active_items_in_order(people, campaign, client_for):
    body = client_for(people.own_clerk).get("/api/campaigns/wujin-2018").json()
    assert body["recipients"] == ["各镇、开发区、街道"]
    assert body["contact"] == {"phone": "86310000"}
    assert [(p["key"], p["starts_on"], p["period_label"]) for p in body["phases"]] == [
        ("launch", None, "8月"),
        ("push", "2018-09-01", ""),
    ]
    assert [(m["key"], m["due_on"], m["phase_key"], m["applies_to"]) for m in body["milestones"]] == [
        ("m1", "2018-09-15", "push", "rectification"),
        ("m2", "2018-12-31", None, ""),
    ]
    assert body["categories"] == [
        {
            "key": "thinking",
            "name": "思维中梗阻",
            "order": 1,
            "slogan": "破除",
            "description": "",
            "symptoms": [{"key": "weak", "name": "疲软症", "order": 1}],
        }
    ]
    assert body["benchmarks"] == [{"key": "b1", "name": "对照先进地区", "order": 1}]
    assert body["sources"] == [{"key": "self", "name": "自己找", "order": 1, "kind": "self", "kind_label": "自己找"}]
    assert body["tasks"] == [{"key": "t1", "name": "找差", "order": 1, "description": "对照找差"}]
    assert body["key_areas"] == [{"key": "k1", "name": "项目增效", "order": 1}]


def test_campaign_detail_award_with_quota_and_form(people, campaign, client_for):
    award = client_for(people.office).get("/api/campaigns/wujin-2018").json()["awards"][0]
    assert award == {
        "key": "star",
        "name": "十佳优秀服务明星",
        "order": 1,
        "kind": "individual",
        "kind_label": "个人",
        "level": "区级",
        "description": "",
        "quota_min": 0,
        "quota_max": 1,
        "quota_label": "每单位限报 1 名",
        "opens_on": None,
        "deadline": "2018-11-30T09:00:00Z",
        "submit_to": "",
        "winners": 10,
        "form": {"fields": [{"key": "main_text", "label": "主要事迹", "max_chars": 500}]},
        "criteria": ["服务态度"],
    }


def test_campaign_detail_with_token(people, campaign, bearer_client):
    assert bearer_client(people.inspector).get("/api/campaigns/wujin-2018").json()["slug"] == "wujin-2018"


def test_campaign_detail_constant_queries(people, campaign, client_for):
    client = client_for(people.office)
    client.get("/api/campaigns/wujin-2018")
    with CaptureQueriesContext(connection) as before:
        client.get("/api/campaigns/wujin-2018")
    thinking = campaign.categories.get()
    for n in range(4):
        cat = ObstructionCategory.objects.create(campaign=campaign, key=f"c{n}", name=f"类别{n}", order=5 + n)
        Symptom.objects.create(campaign=campaign, category=cat, key=f"s{n}", name=f"表现{n}")
        Symptom.objects.create(campaign=campaign, category=thinking, key=f"t{n}", name=f"思维{n}")
        Milestone.objects.create(
            campaign=campaign, key=f"mm{n}", name="节点", due_on=dt.date(2018, 10, n + 1), phase=campaign.phases.first()
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/api/campaigns/wujin-2018")
    assert len(after) == len(before)
