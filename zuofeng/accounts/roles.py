"""Reading a user's role assignments (cached on the user object for one request)."""

from zuofeng.accounts.models import Role, RoleAssignment


def assignments(user) -> list[RoleAssignment]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_role_assignments_cache", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit").order_by("id"))
        user._role_assignments_cache = cached
    return cached


def roles_of(user) -> set[str]:
    return {a.role for a in assignments(user)}


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_summary(user) -> str:
    return "、".join(sorted({Role(a.role).label for a in assignments(user)}))


def primary_unit(user):
    """The unit a user mostly works for: their person's unit, else their first scoped role."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is not None:
        return person.unit
    for a in assignments(user):
        if a.unit_id:
            return a.unit
    return None
