"""The line dashboard (条线督促): a department's line units with their light, list state and milestone status,
read from the roll-ups (one row per unit), and one line unit's list, read-only."""

from dataclasses import dataclass

from django.db.models import Prefetch

from zuofeng.accounts.permissions.supervision import led_department_ids, line_unit_ids
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.lights import thresholds, unit_light
from zuofeng.rectification.models import Ledger, LedgerState, Light, Measure, UnitRollup
from zuofeng.rectification.selectors.milestone import rectification_milestone
from zuofeng.supervision.models import LineLink


@dataclass
class LineRow:
    link: LineLink
    ledger: Ledger | None
    light: str
    measures: int
    closed: int
    overdue: int
    milestone: str

    @property
    def light_label(self) -> str:
        return Light(self.light).label


def line_dashboard(*, user, campaign) -> list[LineRow]:
    links = list(LineLink.objects.filter(department__in=led_department_ids(user)).select_related("department", "unit"))
    # A line's units share a name (16 × 经济发展局): only the qualified name tells them apart.
    units_qualify([link.unit for link in links])
    unit_ids = [link.unit_id for link in links]
    ledgers = {lg.unit_id: lg for lg in Ledger.objects.filter(campaign=campaign, unit__in=unit_ids)}
    rollups = {r.unit_id: r for r in UnitRollup.objects.filter(campaign=campaign, unit__in=unit_ids)}
    milestone = rectification_milestone(campaign=campaign)
    limits = thresholds(campaign)
    rows = []
    for link in links:
        ledger, r = ledgers.get(link.unit_id), rollups.get(link.unit_id)
        light = (
            unit_light(red=r.open_red, yellow=r.open_yellow, green=r.open_green, closed=r.state_closed, limits=limits)
            if r
            else "none"
        )
        rows.append(
            LineRow(
                link=link,
                ledger=ledger,
                light=light,
                measures=r.measures if r else 0,
                closed=r.state_closed if r else 0,
                overdue=r.overdue if r else 0,
                milestone=_milestone_status(ledger, milestone),
            )
        )
    return rows


def _milestone_status(ledger, milestone) -> str:
    if ledger is None or ledger.first_submitted_at is None:
        return "未提交清单"
    if milestone is None:
        return "已提交"
    on_time = ledger.first_submitted_at.date() <= milestone.due_on
    return f"{'按时' if on_time else '逾期'}提交（节点 {milestone.due_on:%Y-%m-%d}）"


def line_ledger(*, user, unit, campaign) -> Ledger | None:
    """The unit's list with problems and measures, if the unit is on one of the user's lines."""
    if unit.pk not in line_unit_ids(user):
        return None
    return (
        Ledger.objects.filter(campaign=campaign, unit=unit)
        .prefetch_related(Prefetch("problems__measures", Measure.objects.order_by("order", "id")), "problems__category")
        .first()
    )


__all__ = ["LedgerState", "line_dashboard", "line_ledger"]
