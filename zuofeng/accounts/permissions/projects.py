"""突破攻坚 and 创新创优: who sees, fills in, submits and reviews projects; who records initiatives
(and marks them 推广 or adopts them) and post activities.

Same rules as the ledger: a unit's editors edit its own, the reviewing unit reviews (never its own),
the office sees all. Judges see a project only through a nomination they judge (nominations rules).
A partner unit (配合单位) reads the approved projects it is named in, and nothing more: the plan is the
lead unit's to write, report and change; the partner needs to know what it has been asked to help with.
"""

from django.db.models import Q

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import (
    BUSINESS_VIEWERS,
    UNIT_EDITORS,
    can_see_unit,
    edits_unit,
    reviews_not_own,
    unit_of,
)
from zuofeng.accounts.roles import assignments, has_role

REVIEWERS = frozenset({Role.OFFICE, Role.UNIT_LEADER})


def _sees(user, obj) -> bool:
    return can_see_unit(user, unit_of(obj)) and not has_role(user, Role.SYSTEM_ADMIN)


def _edits(user, obj) -> bool:
    return edits_unit(user, unit_of(obj))


def _sees_initiative(user, obj) -> bool:
    # A promoted (推广) initiative is there to be copied: every business viewer may read it.
    if has_role(user, Role.SYSTEM_ADMIN):
        return False
    return _sees(user, obj) or obj.promoted_at is not None or _judges_record(user, obj)


def _judges_record(user, obj) -> bool:
    """A judge reads a project or initiative behind a nomination they judge (its history, evidence)."""
    if not has_role(user, Role.JUDGE):
        return False
    from zuofeng.accounts.permissions import may
    from zuofeng.projects.models import Project, RecordNomination

    field = "project" if isinstance(obj, Project) else "initiative"
    links = RecordNomination.objects.filter(**{field: obj}).select_related("nomination__unit")
    return any(may(user, "nomination.judge", link.nomination) for link in links)


def partner_unit_ids(user) -> frozenset[int]:
    """The top-level units a person fills in for (its leader, or a clerk of it or of any of its sections):
    projects naming one of them as 配合单位 are theirs to read. A partner is always a top-level unit."""
    if has_role(user, Role.SYSTEM_ADMIN):
        return frozenset()
    return frozenset(
        (a.unit.ancestor_ids or [a.unit_id])[0] for a in assignments(user) if a.role in UNIT_EDITORS and a.unit_id
    )


def partnered_projects_q(user, prefix: str = "") -> Q:
    """The projects a person reads as a partner, as a filter (prefix: the path to the project)."""
    ids = partner_unit_ids(user)
    if not ids:
        return Q(pk__in=[])
    return Q(**{f"{prefix}state": "approved", f"{prefix}partner_units__in": ids})


def _partners(user, obj) -> bool:
    from zuofeng.projects.models import ProjectState

    ids = partner_unit_ids(user)
    approved = getattr(obj, "state", None) == ProjectState.APPROVED  # a Unit is never a partner's to read
    return bool(ids) and approved and obj.partner_units.filter(pk__in=ids).exists()


def _adopts(user, obj) -> bool:
    # obj is the adopting Unit: a unit other than the initiative's records that it copied it.
    return edits_unit(user, obj)


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "project.view": BUSINESS_VIEWERS | {Role.JUDGE},
    "project.edit": UNIT_EDITORS,
    "project.submit": UNIT_EDITORS,
    "project.review": REVIEWERS,
    "project.report": UNIT_EDITORS,
    "project.request_change": UNIT_EDITORS,
    "project.change_decide": REVIEWERS,
    "project.board": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.INSPECTOR}),
    "initiative.view": BUSINESS_VIEWERS | {Role.JUDGE},
    "initiative.edit": UNIT_EDITORS,
    "initiative.promote": frozenset({Role.OFFICE}),
    "initiative.adopt": UNIT_EDITORS,
    "activity.view": BUSINESS_VIEWERS,
    "activity.edit": UNIT_EDITORS,
}

OBJECT_RULES = {
    "project.view": lambda user, obj: _sees(user, obj) or _judges_record(user, obj) or _partners(user, obj),
    "project.edit": _edits,
    "project.submit": _edits,
    "project.review": reviews_not_own,
    "project.report": _edits,
    "project.request_change": _edits,
    "project.change_decide": lambda user, obj: reviews_not_own(user, obj.project if hasattr(obj, "project") else obj),
    "project.board": _sees,
    "initiative.view": _sees_initiative,
    "initiative.edit": _edits,
    "initiative.adopt": _adopts,
    "activity.view": _sees,
    "activity.edit": _edits,
}
