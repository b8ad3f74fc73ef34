"""搜索问题和整改措施: the first page of both lists, or further pages of one of them (keyset cursor).

The result rows are drawn by format strings, not by the template per row (as the list's rows are,
views/ledger_rows.py): 40 rows were a third of the page's CPU in variable lookups, `{% url %}` and
an `{% include %}` per light. The HTML is the template's own; tests/rectification/test_search_rows.py
pins a row of each kind and the link against reverse().
"""

from html import escape as escape_text

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.rectification.selectors.ledger_rows import LIGHT_LABELS
from zuofeng.rectification.selectors.search import (
    KINDS,
    MeasureHit,
    ProblemHit,
    SearchPage,
    ledger_search,
    search_page,
    search_terms,
)


def highlight(text: str, terms: list[str], width: int = 80) -> str:
    """Escaped text around the first match, every term wrapped in <mark>."""
    text = text or ""
    lower = text.lower()
    first = min((i for i in (lower.find(t.lower()) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 3)
    snippet = ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")
    html = escape(snippet)
    for term in sorted(terms, key=len, reverse=True):
        html = html.replace(escape(term), f"<mark>{escape(term)}</mark>")
    return mark_safe(html)  # built from escaped pieces only


PROBLEM_ROW = (
    '<tr><td>{unit}</td><td>{category}</td>\n      <td><a href="{ledger}#problem-{pk}">{snippet}</a></td></tr>\n'
)
MEASURE_ROW = (
    "<tr><td>{unit}</td>\n"
    '      <td><a href="{ledger}#measure-row-{pk}">{snippet}</a></td>\n'
    '      <td class="text-nowrap">{deadline}</td><td><span class="zf-light zf-light-{light} text-nowrap"'
    ' data-light="{light}"><i class="bi bi-circle-fill"></i> {light_label}</span></td></tr>\n'
)
_LEDGER_SENTINEL = 987654321


def _problem_row(hit: ProblemHit, terms: list[str], ledger: str) -> str:
    return PROBLEM_ROW.format(
        unit=escape_text(hit.unit),
        category=escape_text(hit.category),
        ledger=ledger.format(hit.ledger_id),
        pk=hit.pk,
        snippet=highlight(hit.description, terms),
    )


def _measure_row(hit: MeasureHit, terms: list[str], ledger: str) -> str:
    # the snippet comes from the first text holding a term: the measure, its standard, leader, person, remark
    lowered = [term.lower() for term in terms]
    text = next((t for t in hit.texts if any(term in (t or "").lower() for term in lowered)), hit.texts[0])
    return MEASURE_ROW.format(
        unit=escape_text(hit.unit),
        ledger=ledger.format(hit.ledger_id),
        pk=hit.pk,
        snippet=highlight(text, terms),
        deadline=escape_text(hit.deadline_label),
        light=escape_text(hit.light),
        light_label=LIGHT_LABELS[hit.light],
    )


def search_rows(page: SearchPage, terms: list[str]) -> SafeString:
    """The <tr> rows of one result list (the table and its 没有找到 row stay in the template)."""
    ledger = reverse("rectification:ledger_detail", args=[_LEDGER_SENTINEL]).replace(str(_LEDGER_SENTINEL), "{}")
    row = _problem_row if page.kind == "problem" else _measure_row
    return mark_safe("".join(row(hit, terms, ledger) for hit in page.items))  # every value is escaped


def _cursor(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
def search(request):
    if not may(request.user, "ledger.view"):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:50]
    kind = request.GET.get("kind", "")
    campaign = campaign_current()
    if kind in KINDS:  # further pages of one list
        after = _cursor(request.GET.get("after", ""))
        pages = [search_page(user=request.user, q=q, campaign=campaign, kind=kind, after=after)]
    else:
        result = ledger_search(user=request.user, q=q, campaign=campaign)
        pages = [result.problems, result.measures]
    terms = search_terms(q)
    results = [(page, search_rows(page, terms)) for page in pages]
    return render(request, "rectification/search/page.html", {"q": q, "results": results, "campaign": campaign})
