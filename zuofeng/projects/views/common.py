"""Shared by the projects app's views: the unit a person registers for, reading ids, 404 for the hidden."""

from django.http import Http404

from zuofeng.accounts.permissions import may
from zuofeng.accounts.permissions.units import UNIT_EDITORS
from zuofeng.accounts.roles import assignments
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.ids import id_or_none
from zuofeng.projects.models import Project
from zuofeng.projects.selectors.projects import project_visible


def editing_units(user) -> list:
    """The units this person fills in for (their editing assignments), in the order assigned."""
    return [a.unit for a in assignments(user) if a.role in UNIT_EDITORS and a.unit_id]


def unit_for_new(request):
    """The unit a new record is for: ?unit= when the person edits several, else their first."""
    units = editing_units(request.user)
    wanted = id_or_none(request.GET.get("unit") or request.POST.get("unit"))
    for unit in units:
        if unit.pk == wanted:
            return unit
    return units[0] if units else None


def current_campaign():
    campaign = campaign_current()
    if campaign is None:
        raise Http404("尚未载入专项活动定义。")
    return campaign


def project_or_404(user, pk: int) -> Project:
    try:
        return project_visible(user=user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def require_view(user, action: str) -> None:
    from django.core.exceptions import PermissionDenied

    if not may(user, action):
        raise PermissionDenied
