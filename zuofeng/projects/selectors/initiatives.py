"""Reads of innovation initiatives and post activities, scoped through accounts.permissions.

Promoted (推广) initiatives are there to be copied, so every business viewer sees them besides their
own units' (the rule is `initiative.view` in accounts/permissions/projects.py).
"""

from django.db.models import Count, Q, QuerySet

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may, visible_unit_ids
from zuofeng.accounts.roles import has_role
from zuofeng.projects.models import Initiative, PostActivity


def initiatives_visible(*, user) -> QuerySet[Initiative]:
    qs = Initiative.objects.select_related("unit").annotate(adopted=Count("adoptions"))
    if not may(user, "initiative.view") or has_role(user, Role.SYSTEM_ADMIN):
        return qs.none()
    ids = visible_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(unit_id__in=ids) | Q(promoted_at__isnull=False))


def initiative_visible(*, user, pk: int) -> Initiative:
    initiative = Initiative.objects.select_related("unit", "campaign", "promoted_by__person").get(pk=pk)
    if not may(user, "initiative.view", initiative):
        raise Initiative.DoesNotExist
    return initiative


def activities_visible(*, user) -> QuerySet[PostActivity]:
    from zuofeng.accounts.permissions import scope_to_units

    if not may(user, "activity.view") or has_role(user, Role.SYSTEM_ADMIN):
        return PostActivity.objects.none()
    return scope_to_units(user, PostActivity.objects.select_related("unit")).prefetch_related("participants")


def person_activities(*, user, person) -> list[PostActivity]:
    """A person's post activities, for their person page (the basis of 服务标兵 / 阳湖先锋 nominations)."""
    return list(activities_visible(user=user).filter(participants=person).order_by("-held_on", "-id"))
