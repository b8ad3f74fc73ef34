"""Reads of 活动信息: a person's units' items, the office's queue, per-unit counts for a period."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zuofeng.accounts.permissions import scope_to_units
from zuofeng.notices.models import InfoItem, InfoState
from zuofeng.organisation.selectors import unit_qualified_names


def info_items(*, user) -> QuerySet[InfoItem]:
    return scope_to_units(user, InfoItem.objects.select_related("unit", "briefing"))


@dataclass
class InfoCount:
    unit_id: int
    name: str
    reported: int
    adopted: int


def info_counts(*, user, start: dt.date, end: dt.date) -> list[InfoCount]:
    """Per unit, items reported and adopted with a date in [start, end) — what the year-end assessment reads."""
    rows = (
        scope_to_units(user, InfoItem.objects.filter(happened_on__gte=start, happened_on__lt=end))
        .values("unit_id", "unit__path", "unit__sort_key")
        .annotate(reported=Count("id"), adopted=Count("id", filter=Q(state=InfoState.ADOPTED)))
        .order_by("unit__sort_key")
    )
    names = unit_qualified_names(paths={r["unit_id"]: r["unit__path"] for r in rows})
    return [InfoCount(r["unit_id"], names.get(r["unit_id"], ""), r["reported"], r["adopted"]) for r in rows]


def adopted_items(*, campaign, until) -> QuerySet[InfoItem]:
    """活动信息 adopted into a 简报 by `until` (a datetime), every unit, for the year-end computation."""
    return InfoItem.objects.filter(campaign=campaign, state=InfoState.ADOPTED, decided_at__lte=until).order_by("pk")
