"""Reading rounds and findings: the office sees every round, an inspector the rounds whose team they are on."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import scope_to_units
from zuofeng.accounts.roles import has_role
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.models import Measure, MeasureState, Problem
from zuofeng.supervision.models import Finding, FindingState, InspectionRound, Severity


def rounds_visible(*, user) -> QuerySet[InspectionRound]:
    rounds = InspectionRound.objects.all()
    if has_role(user, Role.OFFICE):
        return rounds
    if has_role(user, Role.INSPECTOR):
        return rounds.filter(team=user)
    return rounds.none()


def round_visible(*, user, pk: int) -> InspectionRound:
    return rounds_visible(user=user).select_related("campaign").get(pk=pk)


def findings_visible(*, user) -> QuerySet[Finding]:
    findings = Finding.objects.select_related("unit", "inspector__person", "category")
    if has_role(user, Role.OFFICE):
        return findings
    if has_role(user, Role.INSPECTOR):
        return findings.filter(Q(round__team=user) | Q(recheck__team=user) | Q(inspector=user)).distinct()
    return findings.none()


def finding_visible(*, user, pk: int) -> Finding:
    return findings_visible(user=user).select_related("round__campaign", "recheck", "measure", "problem").get(pk=pk)


def round_units(*, round_) -> list:
    return units_qualify(list(round_.units.order_by("sort_key", "id")))


@dataclass
class RoundOverview:
    units: int
    visited: int
    findings: int
    confirmed: int
    dismissed: int
    to_problems: int
    closed: int
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_severity: list[tuple[str, int]] = field(default_factory=list)
    per_unit: list[dict] = field(default_factory=list)


def round_overview(*, round_) -> RoundOverview:
    """Counts for the round page and the report, in a handful of grouped queries (no per-unit loop)."""
    findings = Finding.objects.filter(round=round_)
    totals = findings.aggregate(
        n=Count("id"),
        confirmed=Count("id", filter=Q(state=FindingState.CONFIRMED)),
        dismissed=Count("id", filter=Q(state=FindingState.DISMISSED)),
        to_problems=Count("id", filter=Q(problem__isnull=False)),
        visited=Count("unit", distinct=True),
    )
    # A finding's problem is closed when it has measures and every one of them is 已销号.
    closed = (
        findings.filter(problem__isnull=False, problem__measures__isnull=False)
        .exclude(problem__measures__state__in=[s for s in MeasureState.values if s != MeasureState.CLOSED])
        .values("id")
        .distinct()
        .count()
    )
    by_category = list(
        findings.values_list("category__name").annotate(n=Count("id")).order_by("category__order", "category__name")
    )
    severity = dict(findings.values_list("severity").annotate(n=Count("id")).order_by())
    per_unit_counts = {
        row["unit"]: row
        for row in findings.values("unit").annotate(
            n=Count("id"),
            confirmed=Count("id", filter=Q(state=FindingState.CONFIRMED)),
            grave=Count("id", filter=Q(severity=Severity.GRAVE)),
        )
    }
    units = round_units(round_=round_)
    per_unit = [
        {"unit": u, **{k: per_unit_counts.get(u.pk, {}).get(k, 0) for k in ("n", "confirmed", "grave")}} for u in units
    ]
    return RoundOverview(
        units=len(units),
        visited=totals["visited"],
        findings=totals["n"],
        confirmed=totals["confirmed"],
        dismissed=totals["dismissed"],
        to_problems=totals["to_problems"],
        closed=closed,
        by_category=by_category,
        by_severity=[(s.label, severity.get(s.value, 0)) for s in Severity],
        per_unit=per_unit,
    )


def confirmed_findings(*, campaign, until) -> QuerySet[Finding]:
    """Findings of the campaign's inspections and 回头看 found by `until` (a date) and confirmed by the
    office, every unit, for the year-end computation (run for the office)."""
    return Finding.objects.filter(
        Q(round__campaign=campaign) | Q(recheck__campaign=campaign),
        state=FindingState.CONFIRMED,
        found_on__lte=until,
    ).order_by("pk")


RELATED_SHOWN = 200


def related_items(*, user, round_, unit_id) -> tuple[list, list]:
    """The visited unit's problems and measures in the round's campaign that the user may read (an
    inspector reads the units of their rounds), for linking a finding to them; the newest first."""
    if not unit_id or not round_.units.filter(pk=unit_id).exists():
        return [], []
    problems = Problem.objects.filter(unit_id=unit_id, ledger__campaign=round_.campaign)
    measures = Measure.objects.filter(unit_id=unit_id, campaign=round_.campaign)
    return (
        list(scope_to_units(user, problems).order_by("-id")[:RELATED_SHOWN]),
        list(scope_to_units(user, measures).order_by("-id")[:RELATED_SHOWN]),
    )


UNITS_TO_VISIT_SHOWN = 10


@dataclass
class RoundWork:
    round: InspectionRound
    to_visit: list  # units of the round with no finding recorded yet, the first UNITS_TO_VISIT_SHOWN
    to_visit_total: int


def inspector_rounds(*, user, today) -> list[RoundWork]:
    """An inspector's home card: the rounds on whose team they are that have not ended, each with the
    units nobody has recorded a finding at yet (a unit visited with nothing found gets none either, so
    the list is what is left to record, not proof of absence)."""
    if not has_role(user, Role.INSPECTOR):
        return []
    rounds = InspectionRound.objects.filter(team=user, ends_on__gte=today).order_by("starts_on", "id")
    work = []
    for round_ in rounds:
        visited = Finding.objects.filter(round=round_).values("unit")
        left = round_.units.exclude(pk__in=visited).order_by("sort_key", "id")
        shown = units_qualify(list(left[:UNITS_TO_VISIT_SHOWN]))
        work.append(RoundWork(round=round_, to_visit=shown, to_visit_total=left.count()))
    return work
