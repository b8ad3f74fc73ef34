"""Who to tell: the accounts that edit or review a unit (for notifications and 催办)."""

from django.db.models import QuerySet

from zuofeng.accounts.models import Role, User
from zuofeng.organisation.models import Unit


def users_editing(*, unit: Unit) -> QuerySet[User]:
    """Clerks and leaders of the unit itself."""
    return User.objects.filter(
        is_active=True,
        role_assignments__unit=unit,
        role_assignments__role__in=[Role.SECTION_CLERK, Role.UNIT_LEADER],
    ).distinct()


def users_reviewing(*, unit: Unit) -> QuerySet[User]:
    """Leaders of the reviewing unit; the office for units reviewed by nobody else."""
    reviewer_id = unit.effective_reviewer_id
    if reviewer_id is None:
        return User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE).distinct()
    return User.objects.filter(
        is_active=True, role_assignments__unit_id=reviewer_id, role_assignments__role=Role.UNIT_LEADER
    ).distinct()
