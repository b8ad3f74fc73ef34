"""`make bench-surge`: the deadline-day surge — many people saving, submitting and approving at once.

Virtual users, each a thread with its own signed-in session and think time, drive gunicorn (2 sync
workers, DEBUG off, started as bench/serve.py starts it) through the pages' own forms, as a browser
would: CSRF token read from the page, forms parsed from the HTML sent, htmx headers where the UI
uses htmx, the stamped scan uploaded as a real PDF in a multipart POST.
  - section clerks (科室填报员) open their list, save 2–4 measures in place, then submit the list;
  - unit leaders (分管领导), two per reviewing department, race to approve their sections' lists;
  - unit administrators (单位管理员), two per unit, each fill in a nomination and submit it with the
    stamped scan; the award allows one per unit, so exactly one of the two must get in.
Afterwards the database is checked: every write acknowledged to a client (a 2xx/3xx answer carrying
the page's success marker) must be stored exactly once; nothing may answer 5xx.

Plain threads and http.client rather than locust: the check needs each acknowledged write recorded
by the client and looked up in the database afterwards, which is direct here; locust would add
gevent (monkey-patching the same process that sets up Django for the dataset and the check) and a
dozen pinned packages for no figure this script cannot print.

Runs: `python bench/surge.py` runs PostgreSQL (when DATABASE_URL names one; SURGE_USERS=500 for
SURGE_SECONDS=60 by default), then SQLite (var/surge.sqlite3; SURGE_SQLITE_USERS=50 for
SURGE_SQLITE_SECONDS=30). `--run` runs one of them in this process. SURGE_THINK: mean think
time in seconds (default 10). Only 127.0.0.1 is contacted; every loop stops at its deadline.
"""

import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURGE_SQLITE = ROOT / "var" / "surge.sqlite3"
PORT = 8873
THINK_S = float(os.environ.get("SURGE_THINK", "10"))


class Tally:
    """What the clients saw: latencies per action, attempts, acknowledged writes, failures."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.attempts: Counter = Counter()
        self.acks: dict = {"save": set(), "submit": set(), "approve": set(), "nominate": set(), "quota_full_count": 0}
        self.expected_refusals: Counter = Counter()
        self.server_errors: list[str] = []
        self.other_errors: Counter = Counter()
        self.cpu = (0.0, 0.0)  # CPU seconds of the app workers and of the database backends

    def record(self, action: str, path: str, answer):
        with self.lock:
            if answer.status:
                self.latency[action].append(answer.elapsed_ms)
            if answer.status >= 500:
                self.server_errors.append(f"{answer.status} {path}")
            elif answer.status == 0:
                self.other_errors[f"{action}: {answer.error}"] += 1
            elif answer.status >= 400:
                self.other_errors[f"{action}: HTTP {answer.status}"] += 1
        return answer

    def unexpected(self, action: str, what: str) -> None:
        with self.lock:
            self.other_errors[f"{action}: {what}"] += 1

    def attempt(self, kind: str) -> None:
        with self.lock:
            self.attempts[kind] += 1

    def ack(self, kind: str, key) -> None:
        with self.lock:
            self.acks[kind].add(key)

    def refused(self, what: str) -> None:
        with self.lock:
            self.expected_refusals[what] += 1


class User:
    def __init__(self, browser, tally: Tally, deadline: float, seed: int):
        self.b, self.t, self.deadline = browser, tally, deadline
        self.rng = random.Random(seed)  # noqa: S311 - think times, not secrets

    def think(self, scale: float = 1.0) -> bool:
        pause = self.rng.uniform(0.5, 1.5) * THINK_S * scale
        if time.monotonic() + pause >= self.deadline:
            return False
        time.sleep(pause)
        return True

    def get(self, action: str, path: str, **kw):
        return self.t.record(action, path, self.b.get(path, **kw))

    def post(self, action: str, path: str, fields, **kw):
        return self.t.record(action, path, self.b.post(path, fields, **kw))

    def follow(self, action: str, answer, marker: str) -> bool:
        """A redirect after a POST is acknowledged when the page it leads to shows the success message."""
        if answer.status != 302:
            return False
        page = self.get(action, answer.location)
        return page.status == 200 and marker in page.body

    def browse(self, paths: list[str]) -> None:
        while self.think():
            self.get("browse", self.rng.choice(paths))


def clerk(user: User, c) -> None:
    from bench.surge_client import forms_in

    ledger = f"/rectification/ledgers/{c.ledger}/"
    if user.get("clerk: open list", ledger).status != 200:
        return
    for n in range(user.rng.randint(2, 4)):
        if not user.think():
            return
        measure = user.rng.choice(c.measures)
        url = f"{ledger}measures/{measure}/edit/"
        page = user.get("clerk: open measure form", url, htmx=True)
        form = next((f for f in forms_in(page.body) if f.get(f"m{measure}-version")), None)
        if form is None:
            if page.status == 200:
                user.t.unexpected("clerk: open measure form", "no form")
            continue
        token = f"{c.username}-{n}"
        form.set(f"m{measure}-text", form.get(f"m{measure}-text") + f"〔{token}〕")
        if not user.think(0.5):
            return
        user.t.attempt("save")
        answer = user.post("clerk: save measure", url, form.fields, htmx=True)
        if answer.status == 200 and token in answer.body and "<form" not in answer.body:
            user.t.ack("save", token)
        elif answer.status == 200:
            user.t.unexpected("clerk: save measure", "refused")
    if not user.think():
        return
    user.t.attempt("submit")
    answer = user.post("clerk: submit list", f"/rectification/review/ledgers/{c.ledger}/submit/", [])
    if user.follow("clerk: submit list", answer, "整改清单已提交"):
        user.t.ack("submit", c.ledger)
    elif answer.status == 302:
        user.t.unexpected("clerk: submit list", "no success message")
    user.browse([ledger, "/"])


def reviewer(user: User) -> None:
    while user.think():
        queue = user.get("reviewer: queue", "/rectification/review/")
        pending = sorted(set(re.findall(r"/rectification/review/ledgers/(\d+)/", queue.body)))
        if not pending:
            continue
        pk = int(user.rng.choice(pending))
        url = f"/rectification/review/ledgers/{pk}/"
        page = user.get("reviewer: open list", url)
        decisions = sorted(set(re.findall(r'name="(decision_\d+)"', page.body)))
        version = re.search(r'name="version" value="(\d+)"', page.body)
        if not decisions or not version or not user.think(0.5):
            continue
        user.t.attempt("approve")
        fields = [("version", version[1])] + [(d, "approved") for d in decisions]
        answer = user.post("reviewer: approve", url, fields)
        if user.follow("reviewer: approve", answer, "已审核通过"):
            user.t.ack("approve", pk)
        elif answer.status == 200 and ("请核对后再保存" in answer.body or "不在待审核之列" in answer.body):
            user.t.refused("approve: the other reviewer was first")
        elif answer.status in (200, 302):
            user.t.unexpected("reviewer: approve", "no success message")


SCAN = None


def leader(user: User, award: int, unit: int, data: dict) -> None:
    from bench.surge_client import forms_in

    if not user.think(0.5):
        return
    new = f"/nominations/new/{award}/"
    page = user.get("leader: open form", f"{new}?unit={unit}")
    form = next((f for f in forms_in(page.body) if f.get("unit")), None)
    if form is None:
        user.t.unexpected("leader: open form", f"HTTP {page.status}, no form")
        return
    for key, value in data.items():
        form.set(key, value)
    form.set("action", "submit")
    if not user.think():
        return
    answer = user.post("leader: save nomination", new, form.fields)
    if answer.status != 302 or "/submit/" not in answer.location:
        if answer.status == 200:
            user.t.unexpected("leader: save nomination", "refused")
        return
    submit = answer.location
    if user.get("leader: open submit page", submit).status != 200 or not user.think(0.5):
        return
    user.t.attempt("nominate")
    answer = user.post("leader: upload scan + submit", submit, [],
                       files=[("stamped_scan", "盖章申报表.pdf", SCAN, "application/pdf")])  # fmt: skip
    pk = int(re.search(r"/nominations/(\d+)/submit/", submit)[1])
    if user.follow("leader: upload scan + submit", answer, "已报送"):
        user.t.ack("nominate", pk)
    elif answer.status == 200 and "名额已满" in answer.body:
        with user.t.lock:
            user.t.acks["quota_full_count"] += 1
        user.t.refused("nomination: quota full, the other administrator was first")
    elif answer.status in (200, 302):
        user.t.unexpected("leader: upload scan + submit", "no success message")
    user.browse(["/nominations/", "/"])


def _nomination_fields(award_id: int, unit_id: int, seed: int) -> dict:
    """What the administrator types: the demo's generator, turned into the form's field names and codes."""
    from zuofeng.campaigns.models import Award
    from zuofeng.nominations.demo import nomination_data
    from zuofeng.organisation.models import Unit

    award, unit = Award.objects.get(pk=award_id), Unit.objects.get(pk=unit_id)
    fields = {}
    for key, value in nomination_data(award, unit, random.Random(seed), ["综合科"]).items():  # noqa: S311
        if isinstance(value, list):
            for i, row in enumerate(value):
                fields.update({f"{key}-{i}-{part}": str(row[part]) for part in ("year", "honour", "body")})
        else:
            fields[key] = {"男": "1", "女": "2"}.get(value, value) if key == "gender" else value
    fields["political_status"] = "01"
    return fields


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes (Linux /proc), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def _workers(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return children


def _backends() -> list[int]:
    """The PostgreSQL server processes serving this database (gunicorn keeps them: CONN_MAX_AGE)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else 0.0


def run(users: int, seconds: int) -> None:
    """One surge against the database this process is set up for."""
    from django.conf import settings
    from django.core.management import call_command

    from bench import run as base  # sets up Django (DATABASE_URL must be set before)
    from bench import surge_data
    from bench.serve import _serve, _session_cookie, _stop, server_env
    from bench.surge_client import Browser

    global SCAN
    from zuofeng.nominations.demo import placeholder_pdf

    SCAN = placeholder_pdf()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_campaign", str(base.ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    print(f"deadline-day surge — {vendor} {db['NAME']}: {users} users for {seconds} s, think {THINK_S:.0f} s ± 50 %")
    started_build = time.perf_counter()
    plan = surge_data.build(users)
    cookies = {name: dict([_session_cookie(name).split("=", 1)]) for name in plan.usernames}
    nominations = {name: _nomination_fields(plan.award, unit, i) for i, (name, unit) in enumerate(plan.leaders)}
    print(f"  {len(plan.clerks)} clerks, {len(plan.reviewers)} reviewers, {len(plan.leaders)} unit administrators "
          f"(dataset and sessions {time.perf_counter() - started_build:.1f} s)")  # fmt: skip
    tally = Tally()
    server = _serve("zuofeng.wsgi:application", PORT, server_env())
    started = surge_data.now()
    workers_at_start = _cpu_seconds(_workers(server.pid))  # importing Django etc. is not the surge's cost
    try:
        begin = time.monotonic()
        deadline = begin + seconds
        ramp = min(10.0, seconds / 4)
        jobs = [(clerk, c.username, (c,)) for c in plan.clerks]
        jobs += [(reviewer, name, ()) for name in plan.reviewers]
        jobs += [(leader, name, (plan.award, unit, nominations[name])) for name, unit in plan.leaders]
        random.Random(1).shuffle(jobs)  # noqa: S311

        def start(index: int, job) -> None:
            fn, name, args = job
            time.sleep(ramp * index / len(jobs))
            fn(User(Browser(PORT, cookies[name]), tally, deadline, index), *args)

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            futures = [pool.submit(start, i, job) for i, job in enumerate(jobs)]
            for future in futures:
                future.result(timeout=seconds + 120)  # one request may still wait its 60 s client timeout
        elapsed = time.monotonic() - begin
        # CPU the surge cost the app and the database, per answered request: a figure the other load on
        # a shared machine does not distort the way it distorts latencies.
        # Backends closed during the run (CONN_MAX_AGE) are not counted: the database figure is a floor.
        tally.cpu = (_cpu_seconds(_workers(server.pid)) - workers_at_start, _cpu_seconds(_backends()))
    finally:
        _stop(server)
    found = surge_data.check(plan, tally.acks, tally.attempts, started)
    _report(tally, found, elapsed)


def _report(tally: Tally, found: list, elapsed: float) -> None:
    requests = sum(len(v) for v in tally.latency.values())
    print(f"  {requests} answered requests in {elapsed:.0f} s: {requests / elapsed:.1f} req/s")
    app, db = tally.cpu
    print(
        f"  CPU per answered request: app (gunicorn workers) {1000 * app / max(1, requests):.0f} ms, "
        f"database (its backends) {1000 * db / max(1, requests):.0f} ms  (app {app:.0f} s, database {db:.0f} s)"
    )
    columns = ("attempted", "acknowledged", "found in DB", "duplicates", "stored, not acked")
    print(f"  {'write':<26}" + "".join(f"{c:>{len(c) + 2}}" for c in columns))
    for f in found:
        values = (f.attempted, f.acknowledged, f.found, f.duplicates, f.unacknowledged_stored)
        print(f"  {f.label:<26}" + "".join(f"{v:>{len(c) + 2}}" for c, v in zip(columns, values, strict=True)))
        if f.note:
            print(f"      {f.note}")
    lost = sum(f.acknowledged - f.found for f in found)
    print(f"  acknowledged but lost: {lost}; duplicated: {sum(f.duplicates for f in found)}")
    examples = f"  e.g. {tally.server_errors[:3]}" if tally.server_errors else ""
    print(f"  5xx answers: {len(tally.server_errors)}{examples}")
    others = sum(tally.other_errors.values())
    print(f"  other errors: {others}" + (f"  {dict(tally.other_errors.most_common(6))}" if others else ""))
    for what, count in tally.expected_refusals.items():
        print(f"  refused as expected — {what}: {count}")
    print(f"  {'action':<30}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for action in sorted(tally.latency):
        values = tally.latency[action]
        print(f"  {action:<30}{len(values):>6}{statistics.median(values):>9.0f}"
              f"{_percentile(values, 0.95):>9.0f}{_percentile(values, 0.99):>9.0f}")  # fmt: skip


def main() -> None:
    runs = []
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        runs.append(("env", url, os.environ.get("SURGE_USERS", "500"), os.environ.get("SURGE_SECONDS", "60")))
    sqlite_url = f"sqlite:///{SURGE_SQLITE}"
    users, seconds = os.environ.get("SURGE_SQLITE_USERS", "50"), os.environ.get("SURGE_SQLITE_SECONDS", "30")
    runs.append(("sqlite", sqlite_url, users, seconds))
    for _name, database, users, seconds in runs:
        env = {**os.environ, "DATABASE_URL": database}
        subprocess.run([sys.executable, __file__, "--run", users, seconds], env=env, check=True, timeout=1800)  # noqa: S603


if __name__ == "__main__" and sys.argv[1:2] == ["--run"]:
    sys.path.insert(0, str(ROOT))
    if os.environ.get("DATABASE_URL", "").startswith("sqlite"):
        SURGE_SQLITE.parent.mkdir(exist_ok=True)
    run(int(sys.argv[2]), int(sys.argv[3]))
elif __name__ == "__main__":
    main()
