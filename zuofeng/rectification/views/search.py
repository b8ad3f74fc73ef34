"""搜索问题和整改措施: the first page of both lists, or further pages of one of them (keyset cursor)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.rectification.selectors.search import KINDS, ledger_search, search_page, search_terms


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


def _snippets(page, terms: list[str]) -> None:
    for item in page.items:
        if page.kind == "problem":
            item.snippet = highlight(item.description, terms)
            continue
        texts = [item.text, item.standard, item.responsible_leader, item.responsible_name, item.remark]
        hit = next((t for t in texts if any(term.lower() in (t or "").lower() for term in terms)), item.text)
        item.snippet = highlight(hit, terms)


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
    for page in pages:
        _snippets(page, terms)
    return render(request, "rectification/search/page.html", {"q": q, "pages": pages, "campaign": campaign})
