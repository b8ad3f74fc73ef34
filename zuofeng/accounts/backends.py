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


def unread_sql(recipient_sql: str, params: list) -> RawSQL:
    """The capped unread count of the recipient `recipient_sql` names (an id's %s, or a subquery).

    The reminders' own table and columns, by name from its model; capped like unread_count(cap=…)."""
    from zuofeng.reminders.models import Reminder

    meta = Reminder._meta
    table = meta.db_table
    recipient = meta.get_field("recipient").column
    read_at = meta.get_field("read_at").column
    return RawSQL(  # noqa: S611 - table and column names from the model, the values parameters
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {recipient} = ({recipient_sql}) AND {read_at} IS NULL"  # noqa: S608
        f" LIMIT {UNREAD_CAP}) capped",
        params,
    )


def user_values(prefix: str = "") -> list[str]:
    """The `.values()` names of everything the signed-in user is built from, below `prefix` (a relation
    to the account, e.g. "user__" from a session), ordered with `.order_by(prefix + "role_assignments__id")`."""
    return [
        *(prefix + name for name in _USER),
        *(f"{prefix}person__{name}" for name in _PERSON),
        *(f"{prefix}role_assignments__{name}" for name in _ASSIGNMENT),
        *(f"{prefix}role_assignments__unit__{name}" for name in _UNIT),
    ]


def _build(user_id: int):
    return (
        User.objects.filter(pk=user_id)
        .values(*user_values())
        .annotate(unread_reminders=unread_sql("%s", [user_id]))
        .order_by("role_assignments__id")
    )


_QUERY = CompiledValues(_build, "user_id")


def _instance(model, db: str, row: dict, prefix: str, names: list[str]):
    return model.from_db(db, names, [row[prefix + name] for name in names])


def user_with_roles(user_id: int, using: str = "default") -> User | None:
    """The account with its person, role assignments (ordered by id, units attached) and unread count."""
    return user_from_rows(_QUERY.run(using=using, user_id=user_id), using=using)


def user_from_rows(rows: list[dict], *, using: str, prefix: str = "") -> User | None:
    """The user built from the rows of a query that reads `user_values(prefix)` and `unread_reminders`;
    None when there are no rows or the account is missing (a LEFT JOIN's empty side)."""
    if not rows or rows[0][prefix + "id"] is None:
        return None
    first = rows[0]
    user = _instance(User, using, first, prefix, _USER)
    if first[f"{prefix}person__id"] is not None:
        user.person = _instance(Person, using, first, f"{prefix}person__", _PERSON)
    held = []
    for row in rows:
        if row[f"{prefix}role_assignments__id"] is None:
            continue  # an account without roles: the LEFT JOIN's one empty row
        assignment = _instance(RoleAssignment, using, row, f"{prefix}role_assignments__", _ASSIGNMENT)
        assignment.user = user
        if assignment.unit_id is not None:
            assignment.unit = _instance(Unit, using, row, f"{prefix}role_assignments__unit__", _UNIT)
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
