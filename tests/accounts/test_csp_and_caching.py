"""Content-Security-Policy on every response, no inline script in any page a role reaches, and
no-store on pages and downloads (static files keep their long caching)."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

from zuofeng.api.services import api_token_create

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
ROLES = ["office", "reviewer", "own_clerk", "judge", "inspector", "sysadmin", "secadmin", "auditor"]
PAGES_PER_ROLE = 30
# "click[ctrlKey]" is an htmx event filter, evaluated with eval; "from:input[name=q]" is a selector.
EVENT_FILTER = re.compile(r"(?:^|,)\s*[\w.:-]+\[")


class _Scan(HTMLParser):
    """Collects what a strict policy would block, and the links to follow."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.problems.append("<script> without src")
        for name, value in attrs.items():
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "hx-trigger" and EVENT_FILTER.search(value or ""):
                self.problems.append(f"<{tag} hx-trigger={value!r}> (event filters need eval)")
            if name in ("href", "action", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"])


def _scan(html: str) -> _Scan:
    scan = _Scan()
    scan.feed(html)
    return scan


def _crawl(client: Client) -> dict[str, list[str]]:
    """Every HTML page reachable from the home page in two clicks (GET only), with its problems."""
    seen: dict[str, list[str]] = {}
    queue = [("/", 0)]
    while queue and len(seen) < PAGES_PER_ROLE:
        url, depth = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or path.startswith(("/accounts/logout", "/static/")):
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        assert response["Content-Security-Policy"] == POLICY, url
        assert response["Cache-Control"] == "no-store", url
        scan = _scan(response.content.decode())
        seen[path] = scan.problems
        if depth < 2:
            queue.extend((link, depth + 1) for link in scan.links)
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_no_inline_script_on_any_page_a_role_reaches(problem_with_measure_home, people, client_for, role):
    pages = _crawl(client_for(getattr(people, role)))
    assert len(pages) >= 4, pages.keys()
    assert {url: problems for url, problems in pages.items() if problems} == {}


def test_no_template_has_inline_script_or_handlers():
    """Pages the crawl above cannot reach without data (ranking, review…) are covered at the source."""
    from django.conf import settings

    # Rendered by WeasyPrint into a PDF on the server, never sent to a browser.
    not_served = {
        "zuofeng/documents/templates/documents/form.html",
        "zuofeng/documents/templates/documents/official.html",
        "zuofeng/complaints/templates/complaints/survey/poster.html",
    }
    templates = sorted((settings.BASE_DIR / "zuofeng").glob("**/templates/**/*.html"))
    templates = [t for t in templates if str(t.relative_to(settings.BASE_DIR)) not in not_served]
    assert len(templates) > 50
    found = {str(t.relative_to(settings.BASE_DIR)): _scan(t.read_text(encoding="utf-8")).problems for t in templates}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_scan_finds_what_it_looks_for():
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script><script type="application/json">{}</script>'
        '<button onclick="x()"></button><form onsubmit=\'y\'></form><a href="javascript:z()">z</a>'
        '<tr hx-trigger="click[ctrlKey]"></tr><form hx-trigger="keyup from:input[name=q]"></form>'
        '<b hx-on::after-request="q"></b><style>p{}</style>'
    )
    assert _scan(html).problems == [
        "<script> without src",
        "<button onclick=…>",
        "<form onsubmit=…>",
        "<a href=javascript:…>",
        "<tr hx-trigger='click[ctrlKey]'> (event filters need eval)",
        "<b hx-on::after-request=…>",
        "<style> element",
    ]


def test_base_turns_off_htmx_inline_styles_and_ships_them_as_a_file(people, client_for):
    html = client_for(people.office).get("/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>""" in html
    assert 'href="/static/zuofeng/htmx-indicators.css"' in html
    assert 'src="/static/zuofeng/behaviours.js"' in html


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/healthz", "/api/me", "/no-such-page/", "/static/zuofeng/app.css"]
)
def test_policy_on_every_response_anonymous_ones_too(db, client, url):
    assert client.get(url)["Content-Security-Policy"] == POLICY


def test_static_files_keep_long_caching(db, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from the source folders, as under DEBUG
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_MAX_AGE = 31536000
    response = Client().get("/static/zuofeng/app.css")
    assert response.status_code == 200
    assert (response["Cache-Control"], response["Content-Security-Policy"]) == ("max-age=31536000, public", POLICY)


@pytest.mark.parametrize("url", ["/", "/campaigns/", "/api/me", "/api/tokens/", "/organisation/import/template/"])
def test_authenticated_pages_json_and_downloads_not_stored(people, client_for, url):
    response = client_for(people.sysadmin).get(url)
    assert response.status_code == 200, url
    assert (response["Cache-Control"], response["Pragma"]) == ("no-store", "no-cache")


def test_file_download_of_personal_data_not_stored(problem_with_measure_home, people, client_for):
    ledger = problem_with_measure_home.problem.ledger
    response = client_for(people.own_clerk).get(f"/rectification/ledgers/{ledger.pk}/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"


def test_token_api_responses_not_stored(people):
    raw = api_token_create(actor=people.office, user=people.office, name="大屏").raw
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/units")
    assert (response.status_code, response["Cache-Control"]) == (200, "no-store")
