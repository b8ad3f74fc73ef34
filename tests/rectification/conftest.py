"""A minimal campaign (built directly, not from YAML) and a ledger for section_a1."""

import datetime as dt

import pytest

from tests.rectification.test_dashboard_data import TODAY, build
from zuofeng.campaigns.models import (
    Benchmark,
    Campaign,
    KeyArea,
    ObstructionCategory,
    ProblemSource,
    ProblemSourceKind,
    Symptom,
)
from zuofeng.core import clock
from zuofeng.rectification.models import Ledger, Measure, MeasureState, Problem


@pytest.fixture
def campaign(db):
    c = Campaign.objects.create(
        slug="test-2018",
        year=2018,
        title="打通中梗阻、激发新动能专项活动",
        issuer="区作风建设领导小组办公室",
        issued_on=dt.date(2018, 8, 8),
        is_default=True,
        settings={"lights": {"yellow_behind": 10, "red_behind": 30, "due_soon_days": 7}},
    )
    thinking = ObstructionCategory.objects.create(campaign=c, key="thinking", name="思维中梗阻", order=1)
    duty = ObstructionCategory.objects.create(campaign=c, key="duty", name="责任中梗阻", order=2)
    Symptom.objects.create(campaign=c, category=thinking, key="pirou", name="疲软症", order=1)
    Symptom.objects.create(campaign=c, category=duty, key="tuiwei", name="推诿扯皮", order=1)
    Benchmark.objects.create(campaign=c, key="masses", name="对照企业、基层、群众期盼诉求", order=1)
    for order, kind in enumerate(ProblemSourceKind, start=1):
        ProblemSource.objects.create(campaign=c, key=kind.value, name=kind.label, kind=kind.value, order=order)
    KeyArea.objects.create(campaign=c, key="service", name="高效服务", order=8)
    return c


@pytest.fixture
def ledger(campaign, org):
    return Ledger.objects.create(campaign=campaign, unit=org.section_a1)


@pytest.fixture
def problem_with_measure(ledger, campaign, people):
    problem = Problem.objects.create(
        ledger=ledger,
        unit=ledger.unit,
        order=1,
        category=campaign.categories.get(key="duty"),
        symptom=campaign.symptoms.get(key="tuiwei"),
        source=campaign.sources.get(key="self"),
        description="窗口办件推诿扯皮，群众多次跑腿",
        found_on=dt.date(2018, 9, 1),
        recorded_by=people.own_clerk,
    )
    measure = Measure.objects.create(
        problem=problem,
        unit=ledger.unit,
        campaign=campaign,
        order=1,
        text="实行首问负责制，一次告知办理要求",
        standard="群众办事一次办结率达到95%",
        responsible_leader="张副局长",
        starts_on=dt.date(2018, 9, 16),
        deadline=dt.date(2018, 10, 16),
        state=MeasureState.PLANNED,
    )
    return problem, measure


# The dashboard's data (tests/rectification/test_dashboard_data.py), shared by its test modules.
@pytest.fixture
def data(campaign, org):
    """The dashboard's units, lists and measures (`build`); a module may define its own `data`."""
    return build(campaign, org)


@pytest.fixture
def on_today():
    """The clock at TODAY, the day `build`'s deadlines and lights are counted against."""
    with clock.frozen(TODAY):
        yield
