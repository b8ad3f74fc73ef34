"""The signed-in user of a request, with their person, role assignments and unread count: one query.

Every signed-in page needs the account, the person (the name in the navbar), the role assignments
with their units (menus and every permission check) and the unread reminders (the navbar badge).
ModelBackend read the account alone; the rest took three more queries per page, each compiled
anew. Here one LEFT JOIN (account → person, account → assignments → unit, plus the capped unread
count as a scalar subquery) is compiled once per process (`core.compiled`) and read on every
request, so nothing is cached across requests: a role revoked, a person renamed or a reminder read
shows on the very next request, in every process.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models.expressions import RawSQL

from zuofeng.accounts.models import RoleAssignment, User
from zuofeng.core.compiled import CompiledValues
from zuofeng.organisation.models import Person, Unit

UNREAD_CAP = 100  # as the badge counts (reminders/templatetags/reminder_tags.BADGE_CAP): it shows 99+

_USER = [f.attname for f in User._meta.concrete_fields]
_PERSON = [f.attname for f in Person._meta.concrete_fields]
_ASSIGNMENT = [f.attname for f in RoleAssignment._meta.concrete_fields]
_UNIT = [f.attname for f in Unit._meta.concrete_fields]


def _unread_sql(user_id: int) -> RawSQL:
    # The reminders' own table and columns, by name from its model; capped like unread_count(cap=…).
    from zuofeng.reminders.models import Reminder

    meta = Reminder._meta
    table = meta.db_table
    recipient = meta.get_field("recipient").column
    read_at = meta.get_field("read_at").column
    return RawSQL(  # noqa: S611 - table and column names from the model, the id a parameter
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {recipient} = %s AND {read_at} IS NULL"  # noqa: S608
        f" LIMIT {UNREAD_CAP}) capped",
        [user_id],
    )


def _build(user_id: int):
    return (
        User.objects.filter(pk=user_id)
        .values(
            *_USER,
            *(f"person__{name}" for name in _PERSON),
            *(f"role_assignments__{name}" for name in _ASSIGNMENT),
            *(f"role_assignments__unit__{name}" for name in _UNIT),
        )
        .annotate(unread_reminders=_unread_sql(user_id))
        .order_by("role_assignments__id")
    )


_QUERY = CompiledValues(_build, "user_id")


def _instance(model, db: str, row: dict, prefix: str, names: list[str]):
    return model.from_db(db, names, [row[prefix + name] for name in names])


def user_with_roles(user_id: int, using: str = "default") -> User | None:
    """The account with its person, role assignments (ordered by id, units attached) and unread count."""
    rows = _QUERY.run(using=using, user_id=user_id)
    if not rows:
        return None
    first = rows[0]
    user = _instance(User, using, first, "", _USER)
    if first["person__id"] is not None:
        user.person = _instance(Person, using, first, "person__", _PERSON)
    held = []
    for row in rows:
        if row["role_assignments__id"] is None:
            continue  # an account without roles: the LEFT JOIN's one empty row
        assignment = _instance(RoleAssignment, using, row, "role_assignments__", _ASSIGNMENT)
        assignment.user = user
        if assignment.unit_id is not None:
            assignment.unit = _instance(Unit, using, row, "role_assignments__unit__", _UNIT)
        held.append(assignment)
    user._role_assignments_cache = held  # read by accounts.roles.assignments()
    user.unread_reminders_at_load = first["unread_reminders"]
    return user


class AccountBackend(ModelBackend):
    """ModelBackend (password check, is_active) whose per-request user load is the one query above."""

    def get_user(self, user_id):
        try:
            user = user_with_roles(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
