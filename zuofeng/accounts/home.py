"""「我的工作」: what each role has to do, by when, and what is late."""

from zuofeng.accounts.models import LoginAttempt, Role, SecurityPolicy, User
from zuofeng.accounts.permissions import reviewed_units
from zuofeng.accounts.roles import assignments, roles_of
from zuofeng.audit.models import AuditEntry
from zuofeng.campaigns.selectors import campaign_current, milestone_statuses
from zuofeng.core import clock
from zuofeng.organisation.models import Person, Unit


def my_work(*, user) -> dict:
    roles = roles_of(user)
    campaign = campaign_current()
    context: dict = {"campaign": campaign, "roles": roles, "today": clock.today(), "cards": []}
    if campaign is not None and roles - {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}:
        statuses = milestone_statuses(campaign=campaign)
        context["due"] = [s for s in statuses if not s.is_late]
        context["late"] = [s for s in statuses if s.is_late]
    for a in assignments(user):
        if a.role == Role.UNIT_LEADER:
            context.setdefault("reviewed", []).extend(reviewed_units(a.unit).order_by("sort_key"))
            context.setdefault("my_units", []).append(a.unit)
        elif a.role == Role.SECTION_CLERK:
            context.setdefault("my_units", []).append(a.unit)
    if Role.OFFICE in roles:
        context["office"] = {
            "units": Unit.objects.filter(is_active=True).count(),
            "top_units": Unit.objects.filter(parent__isnull=True, is_active=True).count(),
        }
    if Role.SYSTEM_ADMIN in roles:
        context["sysadmin"] = {
            "units": Unit.objects.count(),
            "people": Person.objects.count(),
            "accounts": User.objects.filter(is_active=True).count(),
        }
    if Role.SECURITY_ADMIN in roles:
        context["security"] = {
            "policy": SecurityPolicy.current(),
            "locked": LoginAttempt.objects.filter(locked_until__gt=clock.now()).order_by("-locked_until"),
        }
    if Role.AUDIT_ADMIN in roles:
        context["audit"] = {
            # Counts only: reading individual entries happens on the audited audit pages.
            "today": AuditEntry.objects.filter(at__date=clock.today()).count(),
            "denied_today": AuditEntry.objects.filter(result__in=["denied", "failed"], at__date=clock.today()).count(),
        }
    return context
