"""A campaign with the eight key areas and a 高效服务 project of section_a1 (预算科), reviewed by 区财政局."""

import datetime as dt
from decimal import Decimal

import pytest

from zuofeng.campaigns.models import Campaign, KeyArea
from zuofeng.core import clock
from zuofeng.projects.models import Direction, Milestone, Project, ProjectState, Target

AREAS = ["项目增效", "企业股改", "特色平台", "高效用地", "生态引领", "教育均等", "增收节支", "高效服务"]
KEYS = [
    "project-efficiency",
    "shareholding-reform",
    "platforms",
    "land-use",
    "ecology",
    "education",
    "revenue",
    "service",
]


@pytest.fixture
def campaign(db):
    c = Campaign.objects.create(
        slug="test-2018",
        year=2018,
        title="打通中梗阻、激发新动能专项活动",
        issuer="区作风建设领导小组办公室",
        issued_on=dt.date(2018, 8, 8),
        is_default=True,
        settings={"yellow_behind": 10, "red_behind": 30, "due_soon_days": 7},
    )
    for order, (key, name) in enumerate(zip(KEYS, AREAS, strict=True), start=1):
        KeyArea.objects.create(campaign=c, key=key, name=name, order=order)
    return c


@pytest.fixture
def service_area(campaign):
    return campaign.key_areas.get(key="service")


@pytest.fixture
def project(campaign, org, people, service_area):
    """A draft plan with one lower-is-better target and four quarterly milestones."""
    with clock.frozen(dt.date(2018, 9, 20)):
        p = Project.objects.create(
            campaign=campaign,
            unit=org.section_a1,
            key_area=service_area,
            title="企业开办“一窗受理、一日办结”",
            goal="企业开办全流程压缩到 1 个工作日",
            starts_on=dt.date(2018, 9, 1),
            deadline=dt.date(2019, 6, 30),
            created_by=people.own_clerk,
        )
    Target.objects.create(
        project=p,
        order=1,
        name="企业开办时间",
        measure_unit="个工作日",
        baseline=Decimal("3"),
        target=Decimal("1"),
        direction=Direction.LOWER,
    )
    for order, (title, due) in enumerate(
        [
            ("梳理流程、制定方案", dt.date(2018, 9, 30)),
            ("一窗受理上线", dt.date(2018, 12, 31)),
            ("数据共享、减少材料", dt.date(2019, 3, 31)),
            ("全面实现一日办结", dt.date(2019, 6, 30)),
        ],
        start=1,
    ):
        Milestone.objects.create(project=p, order=order, title=title, due_on=due)
    return p


@pytest.fixture
def approved_project(project):
    Project.objects.filter(pk=project.pk).update(state=ProjectState.APPROVED)
    project.refresh_from_db()
    return project
