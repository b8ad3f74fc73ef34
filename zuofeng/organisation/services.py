"""Writes to the organisation tree. Paths and sort keys are maintained here only."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record, model_snapshot
from zuofeng.organisation.models import Person, Unit

UNIT_FIELDS = ["code", "name", "short_name", "kind", "functions", "parent", "order", "reviewer", "is_active"]
PERSON_FIELDS = ["name", "gender", "position", "phone", "email", "unit", "order", "is_active"]
ORDER_WIDTH = 5


def _place(unit: Unit) -> None:
    parent = unit.parent
    own_order = str(unit.order).zfill(ORDER_WIDTH)
    if parent is None:
        unit.depth = 0
        unit.sort_key = own_order
    else:
        unit.depth = parent.depth + 1
        unit.sort_key = f"{parent.sort_key}.{own_order}"
    # path needs the pk; saved units only
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"


def _check_no_cycle(unit: Unit) -> None:
    ancestor = unit.parent
    while ancestor is not None:
        if ancestor.pk == unit.pk:
            raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})
        ancestor = ancestor.parent


def _replace_subtree(unit: Unit) -> None:
    for child in Unit.objects.filter(parent=unit):
        child.parent = unit
        _place(child)
        Unit.objects.filter(pk=child.pk).update(path=child.path, sort_key=child.sort_key, depth=child.depth)
        _replace_subtree(child)


@transaction.atomic
def unit_save(*, actor, unit: Unit, audit: bool = True) -> Unit:
    """Create or update a unit; moves and re-orders carry its whole subtree along."""
    if actor is not None and not may(actor, "organisation.manage"):
        raise PermissionDenied
    before = None
    if unit.pk:
        old = Unit.objects.get(pk=unit.pk)
        before = model_snapshot(old, UNIT_FIELDS)
        _check_no_cycle(unit)
    unit.full_clean(exclude=["path", "sort_key", "depth"])
    if not unit.pk:
        unit.save()
    _place(unit)
    unit.save()
    if before and (before["parent"] != unit.parent_id or before["order"] != unit.order):
        _replace_subtree(unit)
    if audit:
        audit_record(
            actor=actor,
            action="unit.update" if before else "unit.create",
            obj=unit,
            before=before,
            after=model_snapshot(unit, UNIT_FIELDS),
        )
    return unit


def unit_assign_reviewer(*, actor, unit: Unit, reviewer: Unit | None) -> Unit:
    """干部管理权限: the office names another reviewing unit (None restores the parent)."""
    # The refusal is recorded outside any transaction so that it stays in the audit trail.
    if not (may(actor, "unit.assign_reviewer") or may(actor, "organisation.manage")):
        audit_record(actor=actor, action="unit.assign_reviewer", obj=unit, result="denied")
        raise PermissionDenied
    if reviewer is not None and reviewer.pk == unit.pk:
        raise ValidationError({"reviewer": "审核单位不能是本单位。"})
    with transaction.atomic():
        before = {"reviewer": unit.reviewer_id}
        unit.reviewer = reviewer
        unit.save(update_fields=["reviewer", "updated_at"])
        audit_record(
            actor=actor, action="unit.assign_reviewer", obj=unit, before=before, after={"reviewer": unit.reviewer_id}
        )
    return unit


UP, DOWN = "up", "down"


def unit_move(*, actor, unit: Unit, direction: str) -> Unit:
    """Move a unit one place up or down among its siblings (公文排序). Siblings are renumbered 1…n in
    their new order and every descendant's sort_key follows, so lists of any depth keep the order."""
    if not may(actor, "unit.reorder"):
        audit_record(actor=actor, action="unit.reorder", obj=unit, result="denied")
        raise PermissionDenied
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": "只能上移或下移。"})
    with transaction.atomic():
        siblings = list(Unit.objects.select_for_update().filter(parent_id=unit.parent_id).order_by("sort_key", "id"))
        at = next(i for i, s in enumerate(siblings) if s.pk == unit.pk)
        other = at - 1 if direction == UP else at + 1
        if not 0 <= other < len(siblings):
            edge = "最前面" if direction == UP else "最后面"
            raise ValidationError({"direction": f"“{unit.name}”已经排在同级单位的{edge}。"})
        before = [s.display_name for s in siblings]
        siblings[at], siblings[other] = siblings[other], siblings[at]
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                _renumber(sibling, order)
        audit_record(
            actor=actor,
            action="unit.reorder",
            obj=unit,
            before={"同级排序": before},
            after={"同级排序": [s.display_name for s in siblings]},
            detail=f"{unit.name}{'上移' if direction == UP else '下移'}一位",
        )
    unit.refresh_from_db()
    return unit


def _renumber(unit: Unit, order: int) -> None:
    """Give a unit a new place among its siblings; its descendants' keys take the new prefix."""
    old_key = unit.sort_key
    unit.order = order
    _place(unit)
    Unit.objects.filter(pk=unit.pk).update(order=order, sort_key=unit.sort_key)
    descendants = list(Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).only("id", "sort_key"))
    for descendant in descendants:
        descendant.sort_key = unit.sort_key + descendant.sort_key[len(old_key) :]
    Unit.objects.bulk_update(descendants, ["sort_key"], batch_size=500)


@transaction.atomic
def person_save(*, actor, person: Person, audit: bool = True) -> Person:
    if actor is not None and not may(actor, "organisation.manage"):
        raise PermissionDenied
    before = model_snapshot(Person.objects.get(pk=person.pk), PERSON_FIELDS) if person.pk else None
    person.full_clean()
    person.save()
    if audit:
        audit_record(
            actor=actor,
            action="person.update" if before else "person.create",
            obj=person,
            before=before,
            after=model_snapshot(person, PERSON_FIELDS),
        )
    return person


# Mobile numbers, or landlines with area code and optional extension (0519-86300000-801).
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def phone_normalise(value: str) -> str:
    """Strip the spaces people type inside numbers; keep the dashes of landlines."""
    return re.sub(r"\s+", "", value or "")


def phone_check(value: str) -> str | None:
    """The Chinese reason a phone number is unusable, or None when it is fine (blank is fine)."""
    if value and not PHONE_RE.match(value):
        return "应为 11 位手机号码或带区号的固定电话（如 0519-86300000）"
    return None
