"""Builders shared by the review, change-request and milestone tests (no tests here)."""

import datetime as dt
from zoneinfo import ZoneInfo

from zuofeng.campaigns.models import Milestone
from zuofeng.rectification.models import Ledger, Measure, Problem

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=9, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def add_problem(ledger: Ledger, *, order: int, measures: int = 1, description: str = "") -> Problem:
    campaign = ledger.campaign
    problem = Problem.objects.create(
        ledger=ledger,
        unit=ledger.unit,
        order=order,
        category=campaign.categories.get(key="duty"),
        symptom=campaign.symptoms.get(key="tuiwei"),
        source=campaign.sources.get(key="self"),
        description=description or f"第{order}个问题：审批环节推诿扯皮",
        found_on=dt.date(2018, 9, 1),
    )
    for n in range(1, measures + 1):
        Measure.objects.create(
            problem=problem,
            unit=ledger.unit,
            campaign=campaign,
            order=n,
            text=f"第{order}个问题的第{n}条措施",
            standard="一次办结率达到95%",
            responsible_leader="张副局长",
            starts_on=dt.date(2018, 9, 16),
            deadline=dt.date(2018, 10, 16),
        )
    return problem


def ledger_for(campaign, unit, *, problems: int = 1) -> Ledger:
    ledger = Ledger.objects.create(campaign=campaign, unit=unit)
    for order in range(1, problems + 1):
        add_problem(ledger, order=order)
    return ledger


def add_milestone(campaign, due_on=dt.date(2018, 9, 15)) -> Milestone:
    return Milestone.objects.create(
        campaign=campaign,
        key="rectification-plan",
        name="完成找差和整改措施制定",
        due_on=due_on,
        applies_to="rectification",
    )
