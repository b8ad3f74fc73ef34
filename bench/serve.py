"""`make bench-http`: zuofeng served as production serves it, against a bare reference, same run.

Builds (or reuses) the city-scale dataset exactly as `make bench` does, then starts gunicorn with 2
sync workers and DEBUG off, first for zuofeng and then for the bare reference (bench/reference: the
same queries in raw SQL, no login, middleware, templates or permissions), and drives each page with
wrk at 1 and 16 connections. Prints req/s and p50/p95/p99 per page, the ratio product / reference,
and the issue's targets with ✓/✗. Only loopback addresses are used; every run is bounded in time.

Environment: DATABASE_URL (PostgreSQL for production-like figures; else the SQLite bench file),
BENCH_UNITS, BENCH_MEASURES (dataset size), BENCH_HTTP_SECONDS (wrk duration, default 10),
BENCH_PAGES (only the pages whose label contains one of these comma-separated words, e.g.
"list,dashboard"; the targets of pages left out are not printed), BENCH_PORT (default 8871; the
reference uses the next port), BENCH_WARM (rounds of two simultaneous requests of every path before
measuring, so that both workers have drawn it, as a server in steady use would have; default 0: only
the first three paths are checked, and a page cached per worker, such as the list page, is measured
mostly drawing each of its 200 random lists the first time).
"""

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run as base  # sets up Django and the bench database

ROOT = base.ROOT
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
ONLY = [word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]
WARM = int(os.environ.get("BENCH_WARM", "0"))
# BENCH_PORT: the product's port (the reference gets the next one), so two benches can run side by side
PRODUCT_PORT = int(os.environ.get("BENCH_PORT", "8871"))
REFERENCE_PORT = PRODUCT_PORT + 1
TARGETS_MS = {"dashboard": 50.0, "search": 20.0, "home": 50.0}

WRK_SCRIPT = """
local paths = {%(paths)s}
local cookie = "%(cookie)s"
math.randomseed(%(seed)d)
request = function()
  local headers = {}
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Result:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int


def _session_cookie(username: str) -> str:
    """The cookies of a browser signed in as a demo person: a session made the way login makes one,
    and the CSRF cookie the first page it loaded set (without it every page would mint a new secret)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import _get_new_csrf_string

    from zuofeng.accounts.models import User

    user = User.objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"


def server_env() -> dict:
    """The environment of a production-like gunicorn on loopback: DEBUG off, plain HTTP, this bench's database."""
    from django.conf import settings

    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }


def _serve(module: str, port: int, env: dict) -> subprocess.Popen:
    command = [str(GUNICORN), module, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if "zuofeng" in module else  # noqa: S310
                                   f"http://127.0.0.1:{port}/json", timeout=2)  # fmt: skip
            return process
        except OSError:
            time.sleep(0.5)
    _stop(process)
    raise SystemExit(f"gunicorn for {module} did not start on port {port}")


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _check(port: int, path: str, cookie: str) -> None:
    """Every path must answer 200 itself: a redirect to the login page would look fast and prove nothing."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    status = opener.open(request, timeout=60).status
    if status != 200:
        raise SystemExit(f"{path} answered HTTP {status}")


def _warm(port: int, paths: list[str], cookie: str) -> None:
    """Each path twice at once, WARM times: a sync worker answers one request at a time, so the second
    of two simultaneous requests goes to the other worker."""
    with ThreadPoolExecutor(2) as pool:
        for path in paths * WARM:
            list(pool.map(lambda p: _check(port, p, cookie), (path, path)))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wrk(port: int, paths: list[str], cookie: str, connections: int, seconds: int | None = None) -> Result:
    lua = WRK_SCRIPT % {
        "paths": ", ".join('"' + p.replace('"', '\\"') + '"' for p in paths),
        "cookie": cookie,
        "seed": 7,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    threads = min(2, connections)
    seconds = seconds or (SECONDS if connections > 1 else max(3, SECONDS // 2))
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name]
    out = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", *command[1:], f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    os.unlink(script.name)
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", out)
    requests, duration_us = int(match[1]), int(match[2])
    return Result(
        rps=requests / (duration_us / 1e6),
        p50=float(match[3]),
        p95=float(match[4]),
        p99=float(match[5]),
        errors=int(match[6]) + int(match[7]),
    )


def _pages(campaign) -> tuple[list, dict]:
    """(label, who, product paths, reference paths or None, target kind) for every page measured."""
    from zuofeng.accounts.models import User
    from zuofeng.rectification.models import Ledger

    ledger_ids = list(Ledger.objects.filter(campaign=campaign).values_list("pk", flat=True))
    sample = random.Random(11).sample(  # noqa: S311 - a repeatable sample, not a secret
        ledger_ids, min(200, len(ledger_ids))
    )
    search = "/rectification/search/?q="
    leader = User.objects.get(username="leader").pk
    pages = [
        ("office dashboard", "office", ["/rectification/dashboard/"], ["/dashboard"], "dashboard"),
        ("list page, random unit", "office", [f"/rectification/ledgers/{pk}/" for pk in sample],
         [f"/ledger/{pk}" for pk in sample], "list"),
        ("search 推诿 (2 characters)", "office", [search + "推诿"], ["/search?q=推诿"], "search"),
        ("search 中梗阻 (3 characters)", "office", [search + "中梗阻"], ["/search?q=中梗阻"], None),
        ("JSON, no database (healthz)", "", ["/healthz"], ["/json"], None),
        ("home, office", "office", ["/"], None, "home"),
        ("home, leader", "leader", ["/"], None, "home"),
        ("home, clerk", "clerk", ["/"], None, "home"),
        ("9月15日 milestone, office", "office", ["/rectification/review/milestone/"], None, "home"),
        ("reviewer queue, leader", "leader", ["/rectification/review/"], [f"/review/{leader}"], "list"),
        ("filtered list: red lights", "office", ["/rectification/dashboard/items/?light=red"], ["/items/red"],
         "list"),
    ]  # fmt: skip
    if ONLY:
        pages = [page for page in pages if any(word in page[0] for word in ONLY)]
    return pages, {who: _session_cookie(who) for who in {"office", "leader", "clerk"}}


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


def main() -> None:
    from django.conf import settings

    from zuofeng.campaigns.models import Campaign

    if shutil.which("wrk") is None:
        raise SystemExit("缺少 wrk：请先运行 sudo apt-get install -y wrk")
    base.prepare()
    campaign = Campaign.objects.get(is_default=True)
    pages, cookies = _pages(campaign)
    env = server_env()
    db = settings.DATABASES["default"]
    print(f"HTTP bench — gunicorn, 2 sync workers, DEBUG off; {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
    print(
        f"  wrk: 2 connections for 1 s (not timed: every worker serves the page once), then 1 connection for "
        f"{max(3, SECONDS // 2)} s and 16 connections for {SECONDS} s, per page"
    )
    if WARM:
        print(f"  every path requested by two at once, {WARM} times, before it is measured (BENCH_WARM)")
    results: dict[tuple[str, str, int], Result] = {}
    for side, module, port in (
        ("product", "zuofeng.wsgi:application", PRODUCT_PORT),
        ("reference", "bench.reference.wsgi:application", REFERENCE_PORT),
    ):
        settings_module = "zuofeng.settings" if side == "product" else "bench.reference.settings"
        server = _serve(module, port, {**env, "DJANGO_SETTINGS_MODULE": settings_module})
        try:
            for label, who, product_paths, reference_paths, _kind in pages:
                paths = product_paths if side == "product" else reference_paths
                if paths is None:
                    continue
                cookie = cookies.get(who, "") if side == "product" else ""
                paths = [_quote(p) for p in paths]
                for path in paths[:3]:
                    _check(port, path, cookie)
                # Two connections for a second, so that both workers have served the page before it is
                # timed: a worker's first office dashboard computes the board for its own cache (~40 ms
                # CPU, 100-200 ms under load), which in a 3 s one-user run was the p95 by itself.
                _wrk(port, paths, cookie, 2, seconds=1)
                _warm(port, paths, cookie)
                for connections in (1, 16):
                    results[(side, label, connections)] = _wrk(port, paths, cookie, connections)
        finally:
            _stop(server)
    _report(pages, results)


def _report(pages: list, results: dict) -> None:
    print(f"  {'page':<34}{'conns':>6}{'req/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}  ref req/s   ratio")
    for label, *_ in pages:
        for connections in (1, 16):
            r = results[("product", label, connections)]
            ref = results.get(("reference", label, connections))
            ratio = f"{r.rps / ref.rps:6.2f}×" if ref else ""
            ref_rps = f"{ref.rps:9.1f}" if ref else ""
            errors = f"  ({r.errors} errors)" if r.errors else ""
            wide = sum(1 for c in label if ord(c) > 0x2E80)
            print(
                f"  {label:<{34 - wide}}{connections:>6}{r.rps:>9.1f}{r.p50:>8.1f}{r.p95:>8.1f}{r.p99:>8.1f}"
                f"  {ref_rps:>9} {ratio:>7}{errors}"
            )
    print("targets (issue 9)")

    def target(text: str, ok: bool) -> None:
        print(f"  {text:<70} {'✓' if ok else '✗'}")

    def ratio(label: str) -> tuple[float, float] | None:
        product, reference = results.get(("product", label, 16)), results.get(("reference", label, 16))
        return (product.rps, reference.rps) if product and reference else None

    dash1 = results.get(("product", "office dashboard", 1))
    if dash1:
        target(f"office dashboard p95 ≤ 50 ms, one user: {dash1.p95:.1f} ms", dash1.p95 <= 50)
    if dash := ratio("office dashboard"):
        target(f"office dashboard ≥ 5× reference at 16 connections: {dash[0] / dash[1]:.2f}×", dash[0] >= 5 * dash[1])
    for label, _who, _p, _r, kind in pages:
        if kind == "list" and (lst := ratio(label)):
            target(f"{label} ≥ 0.5× reference, 16 connections: {lst[0] / lst[1]:.2f}×", lst[0] >= 0.5 * lst[1])
    if s1 := results.get(("product", "search 推诿 (2 characters)", 1)):
        target(f"2-character search p95 ≤ 20 ms, one user: {s1.p95:.1f} ms", s1.p95 <= 20)
    for label, _who, _p, _r, kind in pages:
        if kind == "home":
            r = results[("product", label, 1)]
            target(f"{label} p95 ≤ 50 ms, one user: {r.p95:.1f} ms", r.p95 <= 50)
    failed = sum(r.errors for key, r in results.items() if key[0] == "product")
    target(f"no errors or non-2xx answers from the product: {failed}", failed == 0)


if __name__ == "__main__":
    main()
