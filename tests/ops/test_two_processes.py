"""Scale-out as production runs it: two app processes against one PostgreSQL, and a task worker.

Two gunicorn processes (one sync worker each, DEBUG off) serve the test database on two loopback
ports. Whatever one process learns must hold in the other: a session made by signing in on one,
login failures counted on one, a background task enqueued through one.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.surge_client import Browser
from tests.factories import PASSWORD, Role, make_user

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="app processes share PostgreSQL, not a test SQLite"),
]
ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    s = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        # The test users' passwords are hashed with the tests' fast hasher.
        "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def two_processes(django_db_setup):
    """Started once for the module (a few seconds each on a loaded machine); each test's data is its own."""
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [str(GUNICORN), "zuofeng.wsgi:application", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def _login(browser: Browser, username: str, password: str):
    browser.get("/accounts/login/")
    return browser.post("/accounts/login/", [("username", username), ("password", password)])


def _problem(org):
    """A problem of 预算科 in an approved list of the default campaign (made by the test, seen by both processes)."""
    import datetime as dt

    from zuofeng.campaigns.models import Campaign, ObstructionCategory, ProblemSource
    from zuofeng.rectification.models import Ledger, LedgerState, Problem

    campaign = Campaign.objects.create(
        slug="ops", year=2018, title="专项活动", issuer="区作风办", issued_on=dt.date(2018, 8, 8), is_default=True
    )
    category = ObstructionCategory.objects.create(campaign=campaign, key="duty", name="责任中梗阻")
    source = ProblemSource.objects.create(campaign=campaign, key="self", name="自己找", kind="self")
    ledger = Ledger.objects.create(campaign=campaign, unit=org.section_a1, state=LedgerState.APPROVED)
    return Problem.objects.create(ledger=ledger, unit=org.section_a1, category=category, source=source,
                                  description="推诿", found_on=dt.date(2018, 9, 1))  # fmt: skip


def test_a_session_made_on_one_process_is_valid_on_the_other(two_processes, org):
    make_user("clerk_a1", role=Role.SECTION_CLERK, unit=org.section_a1)
    a = Browser(two_processes[0], {})
    assert _login(a, "clerk_a1", PASSWORD).status == 302
    b = Browser(two_processes[1], a.cookies)
    home = b.get("/")
    assert home.status == 200
    assert "clerk_a1" in home.body or "预算科" in home.body


def test_login_failures_counted_on_one_process_lock_the_account_on_the_other(two_processes, org):
    make_user("clerk_a1", role=Role.SECTION_CLERK, unit=org.section_a1)
    browsers = [Browser(port, {}) for port in two_processes]
    for attempt in range(5):  # the default policy locks after 5 failures, wherever they happened
        answer = _login(browsers[attempt % 2], "clerk_a1", "wrong-password")
        assert answer.status == 200
    answer = _login(browsers[1], "clerk_a1", PASSWORD)
    assert answer.status == 200
    assert "账号已锁定" in answer.body


def test_a_task_enqueued_through_one_process_is_run_by_the_db_worker(two_processes, org):
    import datetime as dt

    from django_tasks_db.models import DBTaskResult

    from zuofeng.rectification.models import ExportJob, ExportState, Measure
    from zuofeng.rectification.services.export import DIRECT_LIMIT

    problem = _problem(org)
    campaign = problem.ledger.campaign
    # Enough rows that the export goes to the background instead of downloading at once.
    Measure.objects.bulk_create(
        Measure(
            problem=problem,
            unit=org.section_a1,
            campaign=campaign,
            order=i,
            text=f"措施{i}",
            starts_on=dt.date(2018, 9, 1),
            deadline=dt.date(2018, 12, 31),
        )
        for i in range(DIRECT_LIMIT)
    )
    make_user("office", role=Role.OFFICE)
    browser = Browser(two_processes[0], {})
    _login(browser, "office", PASSWORD)
    browser.get("/rectification/dashboard/")
    answer = browser.post("/rectification/dashboard/export/", [])
    assert answer.status == 302, answer.body[:300]
    job = ExportJob.objects.get()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT, env=_env(), check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    job.refresh_from_db()
    assert job.state == ExportState.DONE
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def _measure_add(problem, order: int):
    """An overdue measure of the problem's unit (the processes run on today's date)."""
    import datetime as dt

    from zuofeng.rectification.models import Measure

    return Measure.objects.create(
        problem=problem, unit=problem.unit, campaign=problem.ledger.campaign, order=order, text=f"措施{order}",
        starts_on=dt.date(2018, 9, 1), deadline=dt.date(2018, 12, 31),
    )  # fmt: skip


def _office_on_both(ports) -> list[Browser]:
    """The office signed in once, a browser with its session on each process."""
    make_user("office", role=Role.OFFICE)
    first = Browser(ports[0], {})
    _login(first, "office", PASSWORD)
    return [first, Browser(ports[1], first.cookies)]


def test_a_write_shows_on_both_processes_dashboards_at_once(two_processes, org):
    """Each process keeps its own cached board; the change marker is in the database they share."""
    problem = _problem(org)
    _measure_add(problem, 1)
    browsers = _office_on_both(two_processes)
    for _ in range(2):  # the second time from each process's cache
        for browser in browsers:
            assert 'data-testid="total-measures">1<' in browser.get("/rectification/dashboard/").body
    _measure_add(problem, 2)
    for browser in browsers:
        assert 'data-testid="total-measures">2<' in browser.get("/rectification/dashboard/").body


def test_a_write_shows_on_both_processes_home_pages_at_once(two_processes, org):
    """The office home's 督查 card is cached per process under the same marker; a measure's text,
    which the marker does not follow, is read on every request."""
    from zuofeng.rectification.models import Measure

    problem = _problem(org)
    first_measure = _measure_add(problem, 1)
    browsers = _office_on_both(two_processes)
    for _ in range(2):  # the second time from each process's cache
        for browser in browsers:
            assert "逾期未完成的整改措施 1 项" in browser.get("/").body
    _measure_add(problem, 2)
    Measure.objects.filter(pk=first_measure.pk).update(text="实行首问负责制")
    for browser in browsers:
        page = browser.get("/").body
        assert "逾期未完成的整改措施 2 项" in page
        assert "实行首问负责制" in page


def test_a_write_shows_on_both_processes_lists_at_once(two_processes, org):
    """Each process keeps its own cached list table; LedgerStamp is in the database they share."""
    problem = _problem(org)
    _measure_add(problem, 1)
    browsers = _office_on_both(two_processes)
    ledger = f"/rectification/ledgers/{problem.ledger_id}/"
    for _ in range(2):  # the second time from each process's cache
        for browser in browsers:
            page = browser.get(ledger).body
            assert "措施1" in page and "措施2" not in page
    _measure_add(problem, 2)
    for browser in browsers:
        assert "措施2" in browser.get(ledger).body
