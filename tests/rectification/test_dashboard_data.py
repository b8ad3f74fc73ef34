"""A small ledger spread over the fixture tree, for the dashboard and export tests.

section_a1 (approved):  P1 duty/推诿扯皮/自己找 — M1 red overdue, M2 closed 2018-09-28, M3 ongoing green
section_a2 (submitted): P2 thinking/疲软症/领导点 — M4 planned
section_b1 (draft):     P3 duty/推诿扯皮/群众提 — M5 planned
dept_a, sub_a1x, dept_b: no ledger (未开始)
"""

import datetime as dt

from zuofeng.rectification.models import Ledger, LedgerState, Light, Measure, MeasureState, Problem

TODAY = dt.date(2018, 10, 1)


def make_problem(campaign, unit, *, ledger_state, category, symptom, source, description, order=1):
    ledger, _ = Ledger.objects.get_or_create(campaign=campaign, unit=unit, defaults={"state": ledger_state})
    return Problem.objects.create(
        ledger=ledger,
        unit=unit,
        order=order,
        category=campaign.categories.get(key=category),
        symptom=campaign.symptoms.get(key=symptom),
        source=campaign.sources.get(key=source),
        description=description,
        found_on=dt.date(2018, 9, 1),
    )


def make_measure(problem, text, *, state, light, deadline=None, closed_on=None, order=1, **extra):
    return Measure.objects.create(
        problem=problem,
        unit=problem.unit,
        campaign=problem.ledger.campaign,
        order=order,
        text=text,
        starts_on=dt.date(2018, 9, 16),
        deadline=deadline,
        is_ongoing=deadline is None,
        state=state,
        light=light,
        closed_on=closed_on,
        **extra,
    )


def build(campaign, org):
    p1 = make_problem(
        campaign,
        org.section_a1,
        ledger_state=LedgerState.APPROVED,
        category="duty",
        symptom="tuiwei",
        source="self",
        description="窗口办件推诿扯皮",
    )
    p2 = make_problem(
        campaign,
        org.section_a2,
        ledger_state=LedgerState.SUBMITTED,
        category="thinking",
        symptom="pirou",
        source="leader",
        description="国库支付审批慢",
    )
    p3 = make_problem(
        campaign,
        org.section_b1,
        ledger_state=LedgerState.DRAFT,
        category="duty",
        symptom="tuiwei",
        source="public",
        description="外贸备案材料反复要求补正",
    )
    m = {
        "M1": make_measure(
            p1, "实行首问负责制", state=MeasureState.IN_PROGRESS, light=Light.RED, deadline=dt.date(2018, 9, 20)
        ),
        "M2": make_measure(
            p1,
            "公开办事指南",
            state=MeasureState.CLOSED,
            light=Light.CLOSED,
            deadline=dt.date(2018, 9, 30),
            closed_on=dt.date(2018, 9, 28),
            order=2,
        ),
        "M3": make_measure(p1, "每月通报办件情况", state=MeasureState.IN_PROGRESS, light=Light.GREEN, order=3),
        "M4": make_measure(
            p2, "压缩支付审批时限", state=MeasureState.PLANNED, light=Light.NONE, deadline=dt.date(2018, 11, 30)
        ),
        "M5": make_measure(
            p3, "一次性告知补正材料", state=MeasureState.PLANNED, light=Light.NONE, deadline=dt.date(2018, 10, 31)
        ),
    }
    return {"problems": (p1, p2, p3), **m}
