"""Reads of a notice's copies: what a person may sign or forward, the unsigned table, the delivery tree.

Every list is scoped through accounts.permissions (visible_unit_ids / scope_to_units).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from zuofeng.accounts.permissions import edits_unit, leads_unit, reviewed_units, scope_to_units
from zuofeng.core import clock
from zuofeng.core.workdays import working_days_between
from zuofeng.notices.models import Delivery, Notice
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import unit_qualified_names


def forward_targets(unit: Unit) -> QuerySet[Unit]:
    """Where a unit may forward: its own subtree (below itself) and the units it reviews, with theirs."""
    q = Q(path__startswith=unit.path) & ~Q(pk=unit.pk)
    for path in reviewed_units(unit).exclude(parent=unit).values_list("path", flat=True):
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q, is_active=True).order_by("sort_key")


def my_copies(user, notice: Notice) -> list[Delivery]:
    """The copies of `notice` this person signs for (their own units'); `may_forward` on each."""
    copies = [
        d
        for d in scope_to_units(user, Delivery.objects.filter(notice=notice))
        .select_related("unit", "acknowledged_by__person")
        .order_by("unit__sort_key")
        if edits_unit(user, d.unit)
    ]
    for d in copies:
        d.may_forward = leads_unit(user, d.unit)
    return copies


@dataclass
class UnsignedRow:
    delivery: Delivery
    unit_name: str
    from_name: str
    working_days: int


def unsigned_rows(*, notice: Notice, user, today: dt.date | None = None) -> list[UnsignedRow]:
    """未签收 copies, in official order, with how many working days each has waited."""
    today = today or clock.today()
    rows = list(
        scope_to_units(user, Delivery.objects.filter(notice=notice, acknowledged_at__isnull=True))
        .select_related("unit")
        .order_by("unit__sort_key")
        .only(
            "id",
            "notice_id",
            "unit_id",
            "unit__path",
            "unit__sort_key",
            "from_unit_id",
            "delivered_at",
            "acknowledged_at",
            "chased_at",
            "chase_count",
        )
    )
    names = unit_qualified_names(ids={d.from_unit_id for d in rows}, paths={d.unit_id: d.unit.path for d in rows})
    days: dict[dt.date, int] = {}
    out = []
    for d in rows:
        day = timezone.localtime(d.delivered_at).date()
        if day not in days:
            days[day] = working_days_between(day, today)
        out.append(UnsignedRow(d, names.get(d.unit_id, ""), names.get(d.from_unit_id, "作风办"), days[day]))
    return out


@dataclass
class DeliveryCounts:
    total: int
    acknowledged: int

    @property
    def unsigned(self) -> int:
        return self.total - self.acknowledged


def delivery_counts(*, notice: Notice, user) -> DeliveryCounts:
    qs = scope_to_units(user, Delivery.objects.filter(notice=notice))
    return DeliveryCounts(total=qs.count(), acknowledged=qs.filter(acknowledged_at__isnull=False).count())


@dataclass
class TreeNode:
    delivery: Delivery
    name: str
    forwarded: list = field(default_factory=list)  # Forwarding rows made from this copy
    children: list = field(default_factory=list)


def delivery_tree(*, notice: Notice) -> list[TreeNode]:
    """Who received it from whom, who signed, who forwarded: the office's copies at the roots."""
    deliveries = list(
        Delivery.objects.filter(notice=notice)
        .select_related("unit", "acknowledged_by__person", "forwarding")
        .order_by("unit__sort_key")
    )
    names = unit_qualified_names(paths={d.unit_id: d.unit.path for d in deliveries})
    nodes = {d.unit_id: TreeNode(d, names.get(d.unit_id, d.unit.name)) for d in deliveries}
    forwardings: dict[int, list] = {}
    for f in notice.forwardings.all():
        forwardings.setdefault(f.unit_id, []).append(f)
    roots = []
    for d in deliveries:
        node = nodes[d.unit_id]
        node.forwarded = forwardings.get(d.unit_id, [])
        parent = nodes.get(d.from_unit_id) if d.from_unit_id else None
        (parent.children if parent else roots).append(node)
    return roots


# what the home card shows of a copy: its notice's 文号 (three columns) and title, the unit's name
_SHOWN = ("notice__number_prefix", "notice__number_year", "notice__number", "notice__title", "unit__name")


def copies_to_sign(user, limit: int = 10) -> list[Delivery]:
    """The home page's list: unsigned copies of units this person signs for (leader or clerk of it)."""
    from zuofeng.accounts.models import Role
    from zuofeng.accounts.roles import assignments

    q = Q(pk__in=[])
    for a in assignments(user):
        if a.role in (Role.UNIT_LEADER, Role.SECTION_CLERK) and a.unit_id:
            q |= Q(unit__path__startswith=a.unit.path) if a.include_subtree else Q(unit_id=a.unit_id)
    return list(
        Delivery.objects.filter(q, acknowledged_at__isnull=True, notice__state="issued")
        .select_related("notice", "unit")
        .only("id", "delivered_at", *_SHOWN)
        .order_by("-delivered_at")[:limit]
    )
