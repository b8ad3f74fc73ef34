"""Fixture people for access tests: own unit, sibling unit, reviewer, other unit, office, anonymous.

Tree:
    区财政局 (dept_a) ── 预算科 (section_a1) ── 预算科下属服务中心 (sub_a1x)
                      └─ 国库科 (section_a2)
    区商务局 (dept_b) ── 外贸科 (section_b1)
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import PASSWORD, Role, make_unit, make_user
from zuofeng.accounts.models import SecurityPolicy
from zuofeng.organisation.models import UnitKind

# Fast hashing, no static manifest, tasks run at once, mail kept in memory (tests/pages.py's
# module-scoped demo applies the same before the per-test fixture can).
FAST_AND_PLAIN = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@pytest.fixture(autouse=True)
def _fast_and_plain(settings, tmp_path):
    for name, value in FAST_AND_PLAIN.items():
        setattr(settings, name, value)
    # Each test its own audit anchor file: an anchor left in var/ by the daily job must not judge a test's chain.
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.log"
    # Files each test its own too: with parallel workers (pytest-xdist) two tests of the same ids
    # would otherwise share var/private/evidence/1/… and count each other's files.
    # A module that set up its own folders (tests/pages.py's demo) keeps them.
    var = settings.BASE_DIR / "var"
    if Path(settings.PRIVATE_STORAGE_ROOT) == var / "private":
        settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    if Path(settings.MEDIA_ROOT) == var / "media":
        settings.MEDIA_ROOT = tmp_path / "media"
    # The policy is cached per process; each test starts from its own database's row.
    SecurityPolicy.forget()
    # So is a computed dashboard board (locmem): another test's database may repeat its key.
    cache.clear()


@pytest.fixture
def kept_fresh(monkeypatch):
    """`kept_fresh(module, "_name")`: that per-process keep (core/kept.Kept) starts empty, with DEBUG off
    as in production (under DEBUG pages are drawn in full and nothing is kept)."""
    from zuofeng.core.kept import Kept

    with override_settings(DEBUG=False):
        yield lambda module, name: monkeypatch.setattr(module, name, Kept(keep=1024))


@pytest.fixture
def org(db):
    dept_a = make_unit(name="武进区财政局", short_name="区财政局", order=1, code="D01")
    section_a1 = make_unit(name="预算科", kind=UnitKind.SECTION, parent=dept_a, order=1, code="D01S01")
    section_a2 = make_unit(name="国库科", kind=UnitKind.SECTION, parent=dept_a, order=2, code="D01S02")
    sub_a1x = make_unit(
        name="财政服务中心",
        kind=UnitKind.SUBORDINATE,
        parent=section_a1,
        order=1,
        code="D01S01X",
        functions=["service"],
    )
    dept_b = make_unit(name="武进区商务局", short_name="区商务局", order=2, code="D02")
    section_b1 = make_unit(name="外贸科", kind=UnitKind.SECTION, parent=dept_b, order=1, code="D02S01")

    class Org:
        pass

    o = Org()
    o.dept_a, o.section_a1, o.section_a2, o.sub_a1x, o.dept_b, o.section_b1 = (
        dept_a,
        section_a1,
        section_a2,
        sub_a1x,
        dept_b,
        section_b1,
    )
    return o


@pytest.fixture
def people(org):
    """Users by relation to section_a1 ("own unit")."""

    class People:
        pass

    p = People()
    p.own_clerk = make_user("clerk_a1", role=Role.SECTION_CLERK, unit=org.section_a1)
    p.sibling_clerk = make_user("clerk_a2", role=Role.SECTION_CLERK, unit=org.section_a2)
    p.reviewer = make_user("leader_a", role=Role.UNIT_LEADER, unit=org.dept_a)
    p.other_leader = make_user("leader_b", role=Role.UNIT_LEADER, unit=org.dept_b)
    p.office = make_user("office", role=Role.OFFICE)
    p.sysadmin = make_user("sysadmin", role=Role.SYSTEM_ADMIN)
    p.secadmin = make_user("secadmin", role=Role.SECURITY_ADMIN)
    p.auditor = make_user("auditor", role=Role.AUDIT_ADMIN)
    p.judge = make_user("judge", role=Role.JUDGE)
    p.inspector = make_user("inspector", role=Role.INSPECTOR)
    return p


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def problem_with_measure_home(people, org):
    """A section_a1 measure in progress, due in three days, in the default campaign."""
    import datetime as dt

    from zuofeng.campaigns.models import Campaign, ObstructionCategory, ProblemSource
    from zuofeng.core import clock
    from zuofeng.rectification.models import Ledger, LedgerState, Measure, MeasureState, Problem

    campaign = Campaign.objects.create(
        slug="home", year=2018, title="专项活动", issuer="区作风办", issued_on=dt.date(2018, 8, 8), is_default=True
    )
    category = ObstructionCategory.objects.create(campaign=campaign, key="duty", name="责任中梗阻")
    source = ProblemSource.objects.create(campaign=campaign, key="self", name="自己找", kind="self")
    ledger = Ledger.objects.create(campaign=campaign, unit=org.section_a1, state=LedgerState.APPROVED)
    problem = Problem.objects.create(
        ledger=ledger, unit=org.section_a1, category=category, source=source, description="推诿", found_on=clock.today()
    )
    return Measure.objects.create(
        problem=problem,
        unit=org.section_a1,
        campaign=campaign,
        text="首问负责",
        starts_on=clock.today() - dt.timedelta(days=10),
        deadline=clock.today() + dt.timedelta(days=3),
        state=MeasureState.IN_PROGRESS,
    )


# --- browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright -------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def warm_process():
    """The live server runs in this process: build its URL conf and templates before the first
    page is asked for, as a gunicorn worker does, so no test's first page waits for it."""
    from zuofeng.core.warm import process_warm

    process_warm()


@pytest.fixture(scope="session")
def browser(warm_process):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"浏览器测试需要 Chromium（{CHROMIUM}）：apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
