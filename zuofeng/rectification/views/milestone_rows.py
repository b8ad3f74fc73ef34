"""The 9月15日 page's table rows drawn by string formatting, as the list's rows are (views/ledger_rows.py).

A page shows 100 units; through the template engine their rows (each with its own 催办 form) were a
third of the page's time. The HTML is the template's own; tests/rectification/test_milestone_page.py
reads it.
"""

from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from zuofeng.core.cn import cn_datetime
from zuofeng.rectification.selectors.milestone import FilingStatus, TrackingRow

BADGES = {
    FilingStatus.APPROVED: "text-bg-success",
    FilingStatus.RETURNED: "text-bg-warning",
    FilingStatus.SUBMITTED: "text-bg-primary",
    FilingStatus.DRAFTING: "text-bg-info",
}
ROW = (
    '<tr data-unit="{pk}">\n<td>{index}</td>\n<td>{parent}{name}</td>\n'
    '<td><span class="badge {badge}">{status}</span></td>\n<td>{problems}</td>\n'
    '<td class="text-nowrap">{submitted}</td>\n<td class="text-nowrap">{approved}</td>\n'
    "<td>{late}</td>\n"
    '<td class="text-end">\n{chase}</td>\n</tr>\n'
)
PARENT = '<span class="text-muted small">{} · </span>'
CHASE = (
    '<form method="post" action="{url}" class="d-inline">\n'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '<input type="hidden" name="units" value="{pk}">\n'
    '<input type="hidden" name="campaign" value="{campaign}">\n'
    '<input type="hidden" name="next" value="{next}">\n'
    '<button class="btn btn-sm btn-outline-danger" type="submit">催办</button>\n</form>\n'
)
ON_TIME = '<span class="text-success">按时</span>'
NO_CHASE = frozenset({FilingStatus.APPROVED, FilingStatus.SUBMITTED})


def _late(row: TrackingRow) -> str:
    if not row.late:
        return ON_TIME
    days = f" {row.days_late} 天" if row.days_late else ""
    return f'<span class="text-danger fw-bold">逾期{days}</span>'


def tracking_rows(request, page, campaign) -> SafeString:
    """The rows of one page; each unit that still owes its list gets a 催办 form back to this page."""
    chase = {
        "url": reverse("rectification:milestone_chase"),
        "token": escape(get_token(request)),
        "campaign": escape(campaign.slug),
        "next": escape(request.get_full_path()),
    }
    parts = []
    for index, row in enumerate(page.object_list, start=page.start_index()):
        unit = row.unit
        parts.append(
            ROW.format(
                pk=unit.pk,
                index=index,
                parent=PARENT.format(escape(unit.parent_name)) if unit.parent_name else "",
                name=escape(unit.display_name),
                badge=BADGES.get(row.status, "text-bg-light border"),
                status=row.status_label,
                problems=row.problem_count,
                submitted=cn_datetime(row.first_submitted_at) or "—",
                approved=cn_datetime(row.approved_at) or "—",
                late=_late(row),
                chase="" if row.status in NO_CHASE else CHASE.format(pk=unit.pk, **chase),
            )
        )
    return mark_safe("".join(parts))  # every value above is escaped
