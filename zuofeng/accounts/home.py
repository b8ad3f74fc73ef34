"""「我的工作」: what each role has to do, by when, and what is late — each computed from the role's real
queue (tests/accounts/test_home.py checks every role with work present and absent)."""

import datetime as dt

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

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
    for a in assignments(user):
        if a.role == Role.UNIT_LEADER:
            context.setdefault("reviewed", []).extend(reviewed_units(a.unit).order_by("sort_key"))
            context.setdefault("my_units", []).append(a.unit)
        elif a.role == Role.SECTION_CLERK:
            context.setdefault("my_units", []).append(a.unit)
    # my units' lists, read once for the late check and the rectification card
    ledgers = _ledgers_of(campaign=campaign, units=context.get("my_units", []))
    # the rectification milestone (9月15日), taken from the statuses when they are read anyway
    rectification: dict = {}
    if campaign is not None and roles - {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}:
        statuses = milestone_statuses(campaign=campaign)
        context["due"] = [s for s in statuses if not s.is_late]
        passed = [s for s in statuses if s.is_late]
        first = next((s.milestone for s in statuses if s.milestone.applies_to == "rectification"), None)
        rectification["milestone"] = first
        # A passed date is "late" only for what this person's units still owe; else it is history.
        late_units = _units_late_for_rectification(user=user, milestone=first, ledgers=ledgers)
        context["late"] = [s for s in passed if s.milestone.applies_to == "rectification" and late_units]
        context["passed"] = [s for s in passed if s not in context["late"]]
        context["late_units"] = late_units
    if campaign is not None and roles & {Role.UNIT_LEADER, Role.SECTION_CLERK, Role.OFFICE}:
        context["rectification"] = _rectification_work(
            user=user, campaign=campaign, units=context.get("my_units", []), ledgers=ledgers
        )
    if campaign is not None and roles & {Role.UNIT_LEADER, Role.SECTION_CLERK, Role.OFFICE}:
        from zuofeng.projects.selectors.projects import project_work

        context["projects"] = project_work(user=user, campaign=campaign)
    # cards that follow only from what the dashboard's change marker covers: one marker read for both
    from zuofeng.rectification.selectors.dashboard_cache import MarkedCache

    marked = MarkedCache()
    if Role.OFFICE in roles:
        context["office"] = marked.get_or_set("office-units", (), _office_units)
    if campaign is not None and roles & {Role.OFFICE, Role.INSPECTOR}:
        context["inspection"] = _inspection_work(user=user, campaign=campaign, marked=marked, **rectification)
    if Role.INSPECTOR in roles:
        from zuofeng.supervision.selectors.rounds import inspector_rounds

        context["my_rounds"] = inspector_rounds(user=user, today=clock.today())
    if roles & {Role.OFFICE, Role.UNIT_LEADER}:
        from zuofeng.nominations.selectors.judging import opinion_queue

        context["opinions"] = opinion_queue(user=user)
    if roles & {Role.UNIT_LEADER, Role.SECTION_CLERK}:
        from zuofeng.notices.selectors.delivery import copies_to_sign

        context["notices_to_sign"] = copies_to_sign(user)
    if Role.JUDGE in roles:
        context["judging"] = _judging_work(user=user)
    if roles & {Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK}:
        from zuofeng.complaints.selectors.cases import complaints_work

        context["complaints"] = complaints_work(user=user)
    if campaign is not None and roles & {Role.OFFICE, Role.UNIT_LEADER}:
        from zuofeng.assessment.selectors.scores import home_assessment

        context["assessment"] = home_assessment(user=user, campaign=campaign)
    _qualify_units(context)
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


def _office_units() -> dict:
    """The office card: active units, and how many of them are top-level (units are watched by the marker)."""
    return Unit.objects.filter(is_active=True).aggregate(
        units=Count("id"), top_units=Count("id", filter=Q(parent__isnull=True))
    )


def _ledgers_of(*, campaign, units) -> dict:
    """The campaign's list of each of these units, by unit id (one query; none without units)."""
    from zuofeng.rectification.models import Ledger

    if campaign is None or not units:
        return {}
    return {lg.unit_id: lg for lg in Ledger.objects.filter(campaign=campaign, unit__in=units)}


# the first ten of each: measures due within the week, and those overdue (deadline before today)
MEASURES_SHOWN = 10
# what the page shows of a measure (its link, text, deadline and unit): a measure row is wide
SHOWN_MEASURE = ("id", "text", "deadline", "unit")


def _rectification_work(*, user, campaign, units, ledgers) -> dict:
    """找差整改 on the home page: my lists, what is due or late in them, and what waits for my review."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from zuofeng.rectification.models import Measure, MeasureState
    from zuofeng.rectification.selectors.review import review_waiting

    today = clock.today()
    due, overdue = [], []
    if units:
        # Both lists in one query: each measure numbered within its list (overdue or not) by deadline,
        # the first ten of each kept. Only what the page shows is read (text, deadline, the unit).
        late = ExpressionWrapper(Q(deadline__lt=today), BooleanField())
        by_deadline = [F("deadline").asc(), F("id").asc()]
        numbered = (
            Measure.objects.filter(
                campaign=campaign, unit__in=units, state=MeasureState.IN_PROGRESS, deadline__isnull=False
            )
            .filter(deadline__lte=today + dt.timedelta(days=7))
            .annotate(n=Window(RowNumber(), partition_by=[late], order_by=by_deadline))
            .filter(n__lte=MEASURES_SHOWN)
            .select_related("unit")
            .only(*SHOWN_MEASURE)
            .order_by("deadline", "id")
        )
        for measure in numbered:
            (overdue if measure.deadline < today else due).append(measure)
    return {
        "my_ledgers": [(unit, ledgers.get(unit.pk)) for unit in units],
        "due": due,
        "overdue": overdue,
        **review_waiting(user=user, campaign=campaign),
    }


def _qualify_units(context: dict) -> None:
    """Units on this page are named with their parents (区教育局·办公室), all looked up in one query."""
    from zuofeng.organisation.selectors import units_qualify

    units = [*context.get("my_units", []), *context.get("reviewed", []), *context.get("late_units", [])]
    work = context.get("rectification") or {}
    units += [unit for unit, _ in work.get("my_ledgers", [])]
    units += [m.unit for m in [*work.get("due", []), *work.get("overdue", [])]]
    units += [n.unit for n in context.get("opinions", [])]
    units += [n.unit for g in (context.get("judging") or {}).get("groups", []) for n in g["unscored"]]
    units_qualify(units)


def _judging_work(*, user) -> dict:
    """Per award the nominations this judge may score and has not fully scored, earliest deadline first."""
    from zuofeng.nominations.selectors.judging import judge_awards, judge_nominations, judge_scores

    groups = []
    for award in judge_awards(user=user):
        nominations = judge_nominations(user=user, award=award)
        scored = judge_scores(user=user, nominations=nominations)
        criteria = len(award.criteria or [])
        unscored = [n for n in nominations if len(scored.get(n.pk, {})) < criteria]
        groups.append({"award": award, "total": len(nominations), "unscored": unscored})
    latest = dt.datetime.max.replace(tzinfo=dt.UTC)
    groups.sort(key=lambda g: (g["award"].deadline or latest, g["award"].order, g["award"].pk))
    return {"groups": groups, "unscored": sum(len(g["unscored"]) for g in groups)}


def _inspection_work(*, user, campaign, marked, milestone=None) -> dict:
    """督查 on the home page: the units in scope, their overdue measures and the lists late for the
    rectification milestone (9月15日), from the same selectors as the dashboard and the milestone page,
    cached under the dashboard's change marker (rectification/selectors/inspection.py)."""
    from zuofeng.organisation.selectors import units_qualify
    from zuofeng.rectification.selectors.inspection import inspection_figures

    figures = inspection_figures(user=user, campaign=campaign, milestone=milestone, today=clock.today(), marked=marked)
    scoped = [a.unit for a in assignments(user) if a.role == Role.INSPECTOR and a.unit_id]
    return {"scope": units_qualify(scoped), **figures}


def _units_late_for_rectification(*, user, milestone, ledgers) -> list:
    """My units (as clerk or leader) that had not submitted their list by the rectification milestone
    (by the end of its day, Beijing time); `ledgers`: my units' lists by unit id."""
    from django.utils import timezone

    units = [a.unit for a in assignments(user) if a.role in (Role.UNIT_LEADER, Role.SECTION_CLERK) and a.unit_id]
    if milestone is None or not units or clock.today() <= milestone.due_on:
        return []

    def on_time(unit) -> bool:
        ledger = ledgers.get(unit.pk)
        first = ledger.first_submitted_at if ledger is not None else None
        return first is not None and timezone.localtime(first).date() <= milestone.due_on

    return [u for u in units if not on_time(u)]
