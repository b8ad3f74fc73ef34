"""A small district on the real campaign file, with records whose points are known.

Units assessed (top level): 区财政局 (dept_a) and 区商务局 (dept_b) — 区级机关部门 — and 湖塘镇 (town).
As of the cut-off 2018-12-31:
  dept_a: its section's list approved 2018-09-10 (on time); 4 measures due: 1 销号 2018-11-30, 1 销号
          after the cut-off, 2 open — so 3 overdue; 十佳 1 submitted, 事例 1 submitted and 入选.
  dept_b: list approved 2018-09-20 (late); 1 measure due, 销号 in time; 十佳 2? no: nothing submitted.
  town:   no list at all, no measures, no nominations.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import Role, make_unit, make_user
from zuofeng.campaigns.models import Award, ObstructionCategory, ProblemSource
from zuofeng.campaigns.services import campaign_load
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.organisation.models import UnitKind
from zuofeng.rectification.models import Ledger, LedgerState, Measure, MeasureState, Problem

SEED = Path(__file__).resolve().parents[2] / "campaigns" / "wujin-2018.yaml"
CUTOFF = dt.date(2018, 12, 31)


def aware(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def campaign(db):
    return campaign_load(path=SEED, make_default=True).campaign


def _measure(problem, *, deadline, state=MeasureState.IN_PROGRESS, closed_on=None, text="措施"):
    return Measure.objects.create(
        problem=problem,
        unit=problem.unit,
        campaign=problem.ledger.campaign,
        text=text,
        starts_on=dt.date(2018, 9, 1),
        deadline=deadline,
        state=state,
        closed_on=closed_on,
    )


def _ledger(campaign, unit, approved_at, description="审批环节多，材料重复提交"):
    ledger = Ledger.objects.create(
        campaign=campaign,
        unit=unit,
        state=LedgerState.APPROVED if approved_at else LedgerState.DRAFT,
        approved_at=approved_at,
    )
    problem = Problem.objects.create(
        ledger=ledger,
        unit=unit,
        category=ObstructionCategory.objects.filter(campaign=campaign).first(),
        source=ProblemSource.objects.filter(campaign=campaign).first(),
        description=description,
        found_on=dt.date(2018, 9, 1),
    )
    return ledger, problem


class District:
    pass


@pytest.fixture
def district(campaign, org, people):
    d = District()
    d.campaign, d.org, d.people = campaign, org, people
    d.town = make_unit(name="湖塘镇", kind=UnitKind.TOWN, order=0, code="G01")
    d.town_leader = make_user("leader_town", role=Role.UNIT_LEADER, unit=d.town)
    d.ledger_a, problem_a = _ledger(campaign, org.section_a1, aware(2018, 9, 10, 10, 0))
    d.closed_in_time = _measure(
        problem_a, deadline=dt.date(2018, 11, 30), state=MeasureState.CLOSED, closed_on=dt.date(2018, 11, 30)
    )
    d.closed_late = _measure(
        problem_a, deadline=dt.date(2018, 12, 1), state=MeasureState.CLOSED, closed_on=dt.date(2019, 1, 5)
    )
    d.open_1 = _measure(problem_a, deadline=dt.date(2018, 10, 31), text="精简审批材料")
    d.open_2 = _measure(problem_a, deadline=dt.date(2018, 12, 15), text="推行一窗受理")
    d.not_due = _measure(problem_a, deadline=dt.date(2019, 3, 31))
    d.ledger_b, problem_b = _ledger(campaign, org.dept_b, aware(2018, 9, 20, 9, 0))
    d.closed_b = _measure(
        problem_b, deadline=dt.date(2018, 10, 1), state=MeasureState.CLOSED, closed_on=dt.date(2018, 9, 30)
    )
    star = Award.objects.get(campaign=campaign, key="service-star")
    case = Award.objects.get(campaign=campaign, key="service-case")
    d.star_a = Nomination.objects.create(
        award=star,
        campaign=campaign,
        unit=org.dept_a,
        title="王测试",
        state=NominationState.SUBMITTED,
        submitted_at=aware(2018, 10, 20, 9, 0),
        slot=1,
    )
    d.case_a = Nomination.objects.create(
        award=case,
        campaign=campaign,
        unit=org.dept_a,
        title="一窗通办",
        state=NominationState.SELECTED,
        submitted_at=aware(2018, 10, 21, 9, 0),
        decided_at=aware(2018, 12, 1, 9, 0),
        slot=1,
    )
    return d
