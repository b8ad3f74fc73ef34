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
