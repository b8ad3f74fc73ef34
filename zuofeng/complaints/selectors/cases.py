"""Reading cases: the office's queue, a unit's own cases (only once dispatched to it), the public's
view by code, the unit search of the public form, and each case's light."""

import dataclasses
import datetime as dt

from django.db.models import Count, Max, Q, QuerySet

from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.complaints.models import UNIT_VISIBLE, WITH_UNIT, Complaint, ComplaintEvent, ComplaintKind, ComplaintState
from zuofeng.core import clock
from zuofeng.core.pinyin import text_initials
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify

OFFICE_FILTERS = {
    "received": [ComplaintState.RECEIVED, ComplaintState.RETURN_REQUESTED, ComplaintState.EXTENSION_REQUESTED],
    "checking": [ComplaintState.REPLIED, ComplaintState.RATED],
    "with_unit": list(WITH_UNIT),
    "done": [ComplaintState.CONCLUDED, ComplaintState.DECLINED, ComplaintState.MERGED],
}
OFFICE_FILTER_LABELS = {
    "received": "待作风办处理",
    "checking": "待审核/待办结",
    "with_unit": "单位办理中",
    "done": "已结束",
    "all": "全部",
}


def complaints_for(user) -> QuerySet[Complaint]:
    """Every case for the office; for a unit, its own once dispatched (never before 派单)."""
    if not may(user, "complaint.view"):
        return Complaint.objects.none()
    queryset = Complaint.objects.select_related("unit", "symptom")
    if may(user, "complaint.manage"):
        return queryset
    return scope_to_units(user, queryset.filter(state__in=UNIT_VISIBLE))


def complaint_light(c: Complaint, today: dt.date | None = None) -> tuple[str, str]:
    """(light, words): red when the reply is overdue or 签收 is late; yellow within 2 days of the
    deadline or awaiting 签收; green otherwise; none when the case is not with the unit."""
    today = today or clock.today()
    if c.state not in WITH_UNIT or c.deadline is None:
        return "none", ""
    if today > c.deadline:
        return "red", f"已超期 {(today - c.deadline).days} 天"
    if c.state == ComplaintState.DISPATCHED and c.sign_due and today > c.sign_due:
        return "red", "超时未签收"
    if (c.deadline - today).days <= 2 or c.state == ComplaintState.DISPATCHED:
        return "yellow", f"{c.deadline.isoformat()} 到期"
    return "green", f"{c.deadline.isoformat()} 到期"


def public_events(c: Complaint) -> QuerySet[ComplaintEvent]:
    return c.events.filter(public=True)


_INITIALS: dict = {}


def _unit_index() -> list[tuple[Unit, str]]:
    """Active units with their qualified names' initials; rebuilt when units change (per process)."""
    stamp = Unit.objects.filter(is_active=True).aggregate(m=Max("updated_at"))["m"], Unit.objects.count()
    if _INITIALS.get("stamp") != stamp:
        units = units_qualify(list(Unit.objects.filter(is_active=True).order_by("sort_key")))
        _INITIALS["rows"] = [(u, text_initials(u.qualified_name) + " " + text_initials(u.name)) for u in units]
        _INITIALS["stamp"] = stamp
    return _INITIALS["rows"]


@dataclasses.dataclass(frozen=True)
class UnitHit:
    id: int
    name: str


def unit_search(query: str, limit: int = 10) -> list[UnitHit]:
    """By name (区财政局, 财政) or pinyin initials (czj, qczj)."""
    q = "".join((query or "").split()).lower()
    if not q:
        return []
    hits = []
    for unit, initials in _unit_index():
        if q in unit.qualified_name or q in unit.name or (q.isascii() and q in initials):
            hits.append(UnitHit(unit.pk, unit.qualified_name))
            if len(hits) >= limit:
                break
    return hits


def complaints_work(*, user) -> dict:
    """The home page's card: what waits for the office, or for the unit (to sign, to handle)."""
    cases = complaints_for(user)
    if may(user, "complaint.manage"):
        waiting = cases.filter(state__in=OFFICE_FILTERS["received"] + OFFICE_FILTERS["checking"])
        label, link = "待作风办受理、审批或审核的群众反映", "/complaints/office/"
    else:
        waiting = cases.filter(state__in=[ComplaintState.DISPATCHED, ComplaintState.HANDLING])
        label, link = "派给本单位、待签收或办理的群众反映", "/complaints/unit/"
    counts = waiting.order_by().aggregate(n=Count("pk"), red=Count("pk", filter=_red_q(clock.today())))
    return {"total": counts["n"], "waiting": counts["n"], "red": counts["red"], "label": label, "link": link}


def _red_q(today: dt.date) -> Q:
    """complaint_light's red as a filter, so the home card counts in the database without reading
    the cases: with the unit and past the deadline, or not yet signed and past the 签收 date
    (tests/complaints/test_home_card.py checks the two agree case by case)."""
    late_sign = Q(state=ComplaintState.DISPATCHED, sign_due__lt=today)
    return Q(state__in=WITH_UNIT, deadline__isnull=False) & (Q(deadline__lt=today) | late_sign)


def complaints_due(*, campaign, until) -> QuerySet[Complaint]:
    """Public complaints (投诉, not 建议/表扬) dispatched to a unit whose reply was due by `until` (a date),
    every unit, for the year-end computation; declined and merged ones were never the unit's to answer."""
    return (
        Complaint.objects.filter(
            campaign=campaign, kind=ComplaintKind.COMPLAINT, unit__isnull=False, deadline__lte=until
        )
        .exclude(state__in=[ComplaintState.DECLINED, ComplaintState.MERGED])
        .order_by("pk")
    )
