"""Which units' business data a user may see, review or fill in — the base every rule builds on."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zuofeng.accounts.models import Role
from zuofeng.accounts.roles import assignments, has_role
from zuofeng.organisation.models import Person, Unit

ALL = None  # sentinel: no restriction

BUSINESS_VIEWERS = frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR})
UNIT_EDITORS = frozenset({Role.UNIT_LEADER, Role.SECTION_CLERK})


def _subtree_q(units: Iterable[Unit]) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return q


def reviewed_units(unit: Unit) -> QuerySet[Unit]:
    """Units whose review authority is `unit`: its children without another reviewer, plus assigned ones."""
    return Unit.objects.filter(Q(reviewer=unit) | Q(parent=unit, reviewer__isnull=True))


def visible_unit_ids(user) -> frozenset[int] | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_visible_unit_ids_cache", "unset")
    if cached != "unset":
        return cached
    roots: list[Unit] = []
    single: list[int] = []
    result: frozenset[int] | None = None
    for a in assignments(user):
        if a.role == Role.OFFICE:
            result = ALL
            break
        if a.role == Role.INSPECTOR:
            if a.unit_id is None:
                result = ALL
                break
            roots.append(a.unit)
        elif a.role == Role.UNIT_LEADER:
            roots.append(a.unit)
            roots.extend(Unit.objects.filter(reviewer=a.unit))
        elif a.role == Role.SECTION_CLERK:
            if a.include_subtree:
                roots.append(a.unit)
            else:
                single.append(a.unit_id)
    else:
        ids = set(single)
        if roots:
            ids.update(Unit.objects.filter(_subtree_q(roots)).values_list("pk", flat=True))
        if has_role(user, Role.INSPECTOR):
            from zuofeng.accounts.permissions.supervision import inspected_unit_ids

            ids.update(inspected_unit_ids(user))
        result = frozenset(ids)
    user._visible_unit_ids_cache = result
    return result


def scope_to_units(user, queryset: QuerySet, unit_field: str = "unit") -> QuerySet:
    """Filter any business queryset down to rows of units the user may see."""
    ids = visible_unit_ids(user)
    if ids is ALL:
        return queryset
    if not ids:
        return queryset.none()
    lookup = "pk__in" if unit_field in ("", "self") else f"{unit_field}__in"
    return queryset.filter(**{lookup: ids})


def can_see_unit(user, unit: Unit) -> bool:
    # the system administrator keeps the tree (may(user, "organisation.manage") without the cycle)
    if getattr(user, "is_active", False) and has_role(user, Role.SYSTEM_ADMIN):
        return True
    ids = visible_unit_ids(user)
    return ids is ALL or unit.pk in ids


def reviews_unit(user, unit: Unit) -> bool:
    """Whether the user holds review authority (审核把关) over `unit`."""
    if has_role(user, Role.OFFICE):
        return True
    reviewer_id = unit.effective_reviewer_id
    return any(a.role == Role.UNIT_LEADER and a.unit_id == reviewer_id for a in assignments(user))


def can_see_phone(user, person: Person) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "person_id", None) == person.pk:
        return True
    if has_role(user, Role.OFFICE, Role.SYSTEM_ADMIN):
        return True
    if has_role(user, Role.UNIT_LEADER):
        ids = visible_unit_ids(user)
        return ids is ALL or person.unit_id in ids
    return False


def edits_unit(user, unit: Unit) -> bool:
    """Whether the user fills in `unit`'s own data: its clerk or its leader (not a reviewer of it)."""
    for a in assignments(user):
        if a.role not in UNIT_EDITORS:
            continue
        if a.unit_id == unit.pk or (a.include_subtree and unit.path.startswith(a.unit.path)):
            return True
    return False


def edited_units_q(user, prefix: str = "") -> Q:
    """`edits_unit` as a filter on units (prefix: the path to the unit, e.g. "unit__"), so a review
    queue can leave out the reviewer's own units in the database and count without loading rows."""
    q = Q(**{f"{prefix}pk__in": []})
    for a in assignments(user):
        if a.role in UNIT_EDITORS:
            q |= Q(**{f"{prefix}pk": a.unit_id})
            if a.include_subtree:
                q |= Q(**{f"{prefix}path__startswith": a.unit.path})
    return q


def unit_of(obj) -> Unit:
    return obj if isinstance(obj, Unit) else obj.unit


def reviews_not_own(user, obj) -> bool:
    unit = unit_of(obj)
    return reviews_unit(user, unit) and not edits_unit(user, unit)


def responsible_or_editor(user, obj) -> bool:
    person_id = getattr(user, "person_id", None)
    if person_id is not None and getattr(obj, "responsible_person_id", None) == person_id:
        return True
    return edits_unit(user, unit_of(obj))


def leads_unit(user, unit: Unit) -> bool:
    """The unit's administrator (单位管理员/分管领导) — who submits for the unit."""
    return any(a.role == Role.UNIT_LEADER and a.unit_id == unit.pk for a in assignments(user))
