"""Two awards built directly (max 1 per unit; at least 1 per unit) and a unit administrator."""

import datetime as dt

import pytest
from django.utils import timezone

from zuofeng.campaigns.models import Award, Campaign
from zuofeng.nominations.models import Nomination

DEADLINE = timezone.make_aware(dt.datetime(2018, 11, 1, 23, 59, 59))


@pytest.fixture
def nomination_campaign(db):
    return Campaign.objects.create(
        slug="awards-2018",
        year=2018,
        title="专项活动",
        issuer="区作风办",
        issued_on=dt.date(2018, 8, 8),
        is_default=True,
    )


@pytest.fixture
def star_award(nomination_campaign):
    return Award.objects.create(
        campaign=nomination_campaign,
        key="service-star",
        name="十佳优秀服务明星",
        kind="individual",
        quota_max=1,
        opens_on=dt.date(2018, 8, 8),
        deadline=DEADLINE,
        criteria=[{"name": "服务态度", "weight": 40}, {"name": "履职成效", "weight": 60}],
        winners=10,
    )


@pytest.fixture
def case_award(nomination_campaign):
    return Award.objects.create(
        campaign=nomination_campaign,
        key="service-case",
        name="优质服务事例",
        kind="case",
        quota_min=1,
        opens_on=dt.date(2018, 8, 8),
        deadline=DEADLINE,
    )


@pytest.fixture
def star_draft(star_award, org, people):
    return Nomination.objects.create(
        award=star_award, campaign=star_award.campaign, unit=org.dept_a, title="王测试", created_by=people.reviewer
    )
