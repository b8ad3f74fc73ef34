"""评优申报: who fills in, submits, gives an opinion on and judges a nomination; judges' conflicts."""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import (
    UNIT_EDITORS,
    can_see_unit,
    edits_unit,
    leads_unit,
    reviews_not_own,
    unit_of,
)
from zuofeng.accounts.roles import has_role
from zuofeng.organisation.models import Unit


def judge_conflict_paths(user) -> tuple[str, ...]:
    """The subtrees a judge must stay out of: their whole unit (from its top level, since units
    nominate as a whole) and every unit that unit reviews. Paths, so a list filters in one query."""
    own = user.person.unit if getattr(user, "person_id", None) else None
    if own is None:
        return ()
    top_path = "/" + own.path.strip("/").split("/")[0] + "/"
    reviewed = Unit.objects.filter(reviewer__path__startswith=top_path).values_list("path", flat=True)
    return (top_path, *reviewed)


def judge_conflicts(user, unit: Unit) -> bool:
    return unit.path.startswith(judge_conflict_paths(user))


def _judges(user, nomination) -> bool:
    """Assigned to the nomination's award and without a conflict of interest."""
    from zuofeng.nominations.models import JudgeAssignment

    award_id = getattr(nomination, "award_id", None)
    if award_id is None or not has_role(user, Role.JUDGE):
        return False
    if not JudgeAssignment.objects.filter(award_id=award_id, judge=user).exists():
        return False
    return not judge_conflicts(user, unit_of(nomination))


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "nomination.view": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR, Role.JUDGE}),
    "nomination.edit": UNIT_EDITORS,
    "nomination.submit": frozenset({Role.UNIT_LEADER}),
    "nomination.withdraw": frozenset({Role.UNIT_LEADER}),
    "nomination.opinion": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "nomination.judge": frozenset({Role.JUDGE}),
    "nomination.select": frozenset({Role.OFFICE}),
    "nomination.view_private": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK}),
    "award.manage": frozenset({Role.OFFICE}),
}

OBJECT_RULES = {
    "nomination.view": lambda user, obj: _judges(user, obj) or can_see_unit(user, unit_of(obj)),
    "nomination.edit": lambda user, obj: edits_unit(user, unit_of(obj)),
    "nomination.submit": lambda user, obj: leads_unit(user, unit_of(obj)),
    "nomination.withdraw": lambda user, obj: leads_unit(user, unit_of(obj)),
    "nomination.opinion": reviews_not_own,
    "nomination.judge": lambda user, obj: _judges(user, obj),
    # Phone numbers and birth dates: the unit itself, its reviewers and the office, never judges.
    "nomination.view_private": lambda user, obj: has_role(user, Role.OFFICE) or can_see_unit(user, unit_of(obj)),
}
