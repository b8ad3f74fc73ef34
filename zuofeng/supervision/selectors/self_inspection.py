"""Who has reported 自查自纠 and who has not (the office's board)."""

from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.organisation.selectors import units_qualify
from zuofeng.supervision.models import ReportState, SelfInspectionReport


def expected_units():
    """Units that report: every active unit but a department's internal sections."""
    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.SECTION).order_by("sort_key", "id")


def report_board(*, campaign, only_missing: bool = False) -> list[tuple]:
    """(unit, report or None) in official order."""
    reports = {r.unit_id: r for r in SelfInspectionReport.objects.filter(campaign=campaign)}
    rows = [(u, reports.get(u.pk)) for u in expected_units()]
    if only_missing:
        rows = [(u, r) for u, r in rows if r is None or r.state in (ReportState.DRAFT, ReportState.RETURNED)]
    units_qualify([u for u, _ in rows])
    return rows


def units_not_reported(*, campaign) -> list[Unit]:
    return [u for u, _ in report_board(campaign=campaign, only_missing=True)]


def reports_visible(*, user) -> list[SelfInspectionReport]:
    """Every report for the office; a unit's own for its clerk or leader (permissions `self.view`)."""
    from zuofeng.accounts.permissions import may

    reports = (
        SelfInspectionReport.objects.select_related("unit").prefetch_related("problems").order_by("unit__sort_key")
    )
    if may(user, "self.review"):
        return list(reports)
    return [r for r in reports.filter(unit__in=_own_units(user)) if may(user, "self.view", r)]


def _own_units(user) -> list[int]:
    from zuofeng.accounts.roles import assignments

    return [a.unit_id for a in assignments(user) if a.unit_id]
