"""Reads of the organisation tree, already scoped to what the user may see."""

from django.db.models import Count, QuerySet

from zuofeng.accounts.permissions import ALL, can_see_phone, may, scope_to_units, visible_unit_ids
from zuofeng.organisation.models import Person, Unit, qualified_name


def unit_list(*, user, kind: str | None = None, query: str = "", root: Unit | None = None) -> QuerySet[Unit]:
    """Units in official order. System administrators see the whole tree (it is not business data)."""
    qs = Unit.objects.select_related("parent", "reviewer")
    if not may(user, "organisation.manage"):
        qs = scope_to_units(user, qs, unit_field="self")
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(name__contains=query) | qs.filter(short_name__contains=query) | qs.filter(code=query)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs.order_by("sort_key")


def unit_subtree(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path).order_by("sort_key")


def person_list(*, user, unit: Unit | None = None, query: str = "") -> QuerySet[Person]:
    qs = Person.objects.select_related("unit")
    if not may(user, "organisation.manage"):
        if not may(user, "person.view"):
            return qs.none()
        qs = scope_to_units(user, qs)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if query:
        qs = qs.filter(name__contains=query)
    return qs.order_by("unit__sort_key", "order", "id")


def visible_unit_count(*, user) -> int:
    ids = visible_unit_ids(user)
    return Unit.objects.count() if ids is ALL else len(ids)


def phone_masked(phone: str) -> str:
    """139****1234: enough to recognise a number, not enough to dial it."""
    if len(phone) <= 4:
        return "****" if phone else ""
    if len(phone) < 8:
        return "****" + phone[-4:]
    return phone[:3] + "****" + phone[-4:]


def people_with_phones(*, user, people) -> list[Person]:
    """Attach `phone_display` to each person: the number when the user may see it, else masked."""
    result = list(people)
    for person in result:
        person.phone_display = person.phone if can_see_phone(user, person) else phone_masked(person.phone)
    return result


def visible_child_counts(*, user, parents) -> dict[int, int]:
    """How many of each parent's children the user may see, in one query (for expanding the tree)."""
    ids = [u.pk for u in parents]
    if not ids:
        return {}
    rows = unit_list(user=user).filter(parent_id__in=ids).order_by().values("parent_id").annotate(n=Count("id"))
    return {row["parent_id"]: row["n"] for row in rows}


def unit_qualified_names(*, ids=(), paths: dict[int, str] | None = None) -> dict[int, str]:
    """Unit id → 区教育局·办公室, for any number of units: one query for the ancestors' names, plus one for
    the paths unless the caller already read them (`paths`: unit id → path)."""
    paths = dict(paths or {})
    wanted = {pk for pk in ids if pk is not None} - set(paths)
    if wanted:
        paths.update(Unit.objects.filter(pk__in=wanted).values_list("id", "path"))
    if not paths:
        return {}
    chains = {pk: [int(p) for p in path.strip("/").split("/") if p] for pk, path in paths.items()}
    needed = {a for chain in chains.values() for a in chain}
    units = Unit.objects.only("id", "name", "short_name").in_bulk(needed)
    return {pk: qualified_name([units[a] for a in chain if a in units]) for pk, chain in chains.items()}


def units_qualify(units):
    """Attach `qualified_name` to each unit of a list with one query for all; returns the units."""
    units = [u for u in units if u is not None]
    ancestor_ids = {a for u in units for a in u.ancestor_ids}
    known = {u.pk: u for u in units}
    missing = ancestor_ids - set(known)
    ancestors = {**Unit.objects.only("id", "name", "short_name").in_bulk(missing), **known} if missing else known
    for unit in units:
        chain = [ancestors[a] for a in unit.ancestor_ids if a in ancestors]
        unit.__dict__["_qualified_name"] = qualified_name([*chain, unit])
    return units
