"""Every page that shows a form, for every demo role: the list the layout and date tests walk.

The list is not typed by hand. It starts from the URL conf and the demo district: each demo role
logs in (Django test client) and follows the links and htmx `hx-get` buttons it is shown, one or a
few representative URLs per named route, keeping the GET pages and htmx fragments that render a
<form>. `unreached_routes()` names the URL-conf routes no role reached, so a new page that no link
leads to shows up instead of silently going unchecked.
"""

import contextlib
import io
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from tests.conftest import FAST_AND_PLAIN
from zuofeng.accounts.models import User
from zuofeng.organisation.demo_data import demo_accounts

CAMPAIGN = Path(__file__).resolve().parents[1] / "campaigns" / "wujin-2018.yaml"
ANONYMOUS = "anonymous"  # nobody logged in: the login page
ROLES = [ANONYMOUS, *(account.username for account in demo_accounts())]
# Routes never worth a visit: JSON API, downloads and POST-only actions answer no form page.
SKIP_PREFIXES = ("/static/", "/media/", "/healthz", "/readyz", "/metrics")
SKIP_SUFFIXES = (".pdf", ".docx", ".xlsx", ".zip")
# Same route, different state (a draft vs a submitted nomination, one award's form vs another)
# can show different forms: keep opening URLs of a route until this many in a row show nothing new.
TRIES_PER_ROUTE = 2
MAX_PAGES_PER_ROLE = 400


@dataclass(frozen=True)
class FormPage:
    role: str
    url: str  # the page to open; for a fragment, the page whose button loads it
    route: str  # view name of `url`, or of the fragment when `fragment` is set
    fragment: str = ""  # the hx-get URL that loads the form into `url`
    forms: int = 0  # <form> elements in the page's <main> (or the fragment)

    @property
    def is_ledger(self) -> bool:
        """The ledger pages, their row forms and search: views/ledger.py."""
        view = resolve(urlsplit(self.fragment or self.url).path).func
        return view.__module__ == "zuofeng.rectification.views.ledger"


# The Makefile's `demo:` commands after the campaign, in its order (demo_district --accounts aside).
DEMO_COMMANDS = (
    "demo_district",
    "demo_ledgers",
    "demo_nominations",
    "demo_notices",
    "demo_supervision",
    "demo_projects",
    "demo_complaints",
    "demo_assessment",
)


def demo_load() -> None:
    """The demo as `make demo` builds it: campaign for this year, district, ledgers, nominations."""
    from zuofeng.campaigns.models import Award
    from zuofeng.core import clock
    from zuofeng.nominations.services.lifecycle import nomination_create_draft

    out = io.StringIO()
    call_command("load_campaign", str(CAMPAIGN), "--year", str(clock.today().year), "--default", stdout=out)
    for command in DEMO_COMMANDS:
        call_command(command, stdout=out)
    # The demo's drafts belong to units without a demo login; the leader starts one of each award
    # it may nominate for, as its 填写 buttons do, so every award's form page is reachable.
    leader = User.objects.get(username="leader")
    unit = leader.role_assignments.get().unit
    for award in Award.objects.filter(campaign__is_default=True, is_active=True).exclude(nominations__unit=unit):
        with contextlib.suppress(ValidationError):  # an award the unit does not nominate for
            nomination_create_draft(actor=leader, award=award, unit=unit)


def demo_flush() -> None:
    call_command("flush", "--noinput", verbosity=0)


def client_for(role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(User.objects.get(username=role))
    return client


def start_url(role: str) -> str:
    return "/accounts/login/" if role == ANONYMOUS else "/"


def _route(url: str) -> str | None:
    path = urlsplit(url).path
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    if path.startswith("/api/") and not path.startswith("/api/tokens/"):
        return None  # the JSON API; its token page is a form page
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _html(response) -> str | None:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode()


def _main_forms(doc) -> list:
    """Forms of the page body; the navbar's 退出登录 form is the same on every page."""
    return [f for f in doc.iter("form") if not any(a.tag == "nav" for a in f.iterancestors())]


FIELDS = ("input", "select", "textarea")


def _signature(forms: list) -> tuple:
    """What tells two forms apart: where they post and which kinds of field they carry (row ids
    in field names left out, so a longer list of the same rows is nothing new)."""
    return tuple(
        sorted(
            {
                (
                    _route(f.get("action") or "") or "",
                    tuple(
                        sorted(
                            {re.sub(r"\d+", "#", i.get("name") or "") for i in f.iter("input", "select", "textarea")}
                        )
                    ),
                )
                for f in forms
            }
        )
    )


@dataclass
class Crawl:
    pages: list[FormPage]
    routes: set[str]  # every route the role opened, with or without a form
    plain: list[FormPage]  # one full page of each route that showed no form (home, lists…)


def crawl(role: str) -> Crawl:
    """The form pages `role` reaches from its home page by links and htmx buttons."""
    client = client_for(role)
    queue: deque[tuple[str, str]] = deque([(start_url(role), "")])  # (url, parent page for an hx-get fragment)
    tries: dict[str, int] = {}
    seen_urls: set[str] = set()
    signatures: dict[str, set] = {}
    found: list[FormPage] = []
    plain: dict[str, FormPage] = {}
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        url, parent = queue.popleft()
        route = _route(url)
        if route is None or url in seen_urls or tries.get(route, 0) >= TRIES_PER_ROUTE:
            continue
        seen_urls.add(url)
        tries[route] = tries.get(route, 0) + 1  # reset below when the page shows a new form
        visited += 1
        headers = {"HX-Request": "true"} if parent else {}
        html = _html(client.get(url, headers=headers))
        if html is None:
            tries[route] = TRIES_PER_ROUTE  # a download or a refusal: the route's other URLs answer alike
            continue
        if not html.strip():
            continue
        doc = lxml.html.fromstring(html)
        forms = _main_forms(doc)
        signature = _signature(forms)
        if forms and signature not in signatures.setdefault(route, set()):
            signatures[route].add(signature)
            tries[route] = 0
            if parent:
                found.append(FormPage(role, parent, route, fragment=url, forms=len(forms)))
            else:
                found.append(FormPage(role, url, route, forms=len(forms)))
        if not forms and not parent and route not in plain:
            plain[route] = FormPage(role, url, route)
        if parent:
            continue  # links inside a fragment are reached from full pages too
        for a in doc.iter("a"):
            href = a.get("href")
            if href and not href.startswith(("#", "mailto:", "javascript:")) and a.get("download") is None:
                queue.append((urljoin(url, href.split("#")[0]), ""))
        for el in doc.xpath("//*[@hx-get]"):
            if el.tag != "form" and not (el.get("hx-trigger") or "").startswith(("every", "load")):
                queue.append((urljoin(url, el.get("hx-get")), url))
    with_forms = {p.route for p in found}
    return Crawl(found, set(tries), [p for r, p in plain.items() if r not in with_forms])


def _patterns(resolver: URLResolver, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            out += _patterns(p, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            out.append((f"{namespace}{p.name}", prefix + str(p.pattern)))
    return out


def url_conf_routes() -> dict[str, str]:
    """Every named route of the URL conf outside the JSON API: view name → pattern."""
    return {
        name: pattern
        for name, pattern in _patterns(get_resolver())
        if not pattern.startswith("api/") or "tokens" in pattern
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo district, committed once for a whole module (the crawl is the slow part), then flushed."""
    private = tmp_path_factory.mktemp("private")
    with (
        django_db_blocker.unblock(),
        # Demo mode, as `make run` serves the demo: its people log in with the published password
        # instead of being sent to 修改密码 first (which would hide every page behind that form).
        override_settings(PRIVATE_STORAGE_ROOT=private, ALLOWED_HOSTS=["*"], ZUOFENG_DEMO=True, **FAST_AND_PLAIN),
    ):
        demo_load()
        yield
        demo_flush()


def sample_url(route: str) -> str:
    """A URL of `route` with made-up arguments — enough to learn whether it answers GET at all."""
    pattern = url_conf_routes()[route]
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", pattern)
