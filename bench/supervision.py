"""督查问责 at city scale: a round over 300 units with 3 findings each, turning every finding into a problem
in its unit's list, and the round's page, overview API and Word report, against targets.

`run()` is called by bench/run.py once the units are built. Run alone with `python bench/supervision.py`.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
UNITS = int(os.environ.get("BENCH_ROUND_UNITS", "300"))
PER_UNIT = 3
TARGETS = {"record_per_s": 20.0, "confirm_per_s": 10.0, "page": 300.0, "api": 200.0, "report_s": 10.0}


def _line(label: str, value: str, ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ✓" if ok else "  ✗")
    wide = sum(1 for c in label if ord(c) > 0x2E80)
    print(f"  {label:<{max(0, 44 - wide)}} {value}{mark}")


def _timed(fn, samples: int = SAMPLES) -> tuple[float, float]:
    runs = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)]


def _round(office, campaign):
    from zuofeng.accounts.models import Role, RoleAssignment, User
    from zuofeng.organisation.models import Unit, UnitKind
    from zuofeng.supervision.models import InspectionRound
    from zuofeng.supervision.services.rounds import round_create

    inspector, _ = User.objects.get_or_create(username="bench_inspector")
    RoleAssignment.objects.get_or_create(user=inspector, role=Role.INSPECTOR, unit=None)
    InspectionRound.objects.filter(name="bench round").delete()
    # working units first; the bench tree is mostly sections, which fill the round up to UNITS
    active = Unit.objects.filter(is_active=True).order_by("sort_key")
    units = list(active.exclude(kind=UnitKind.SECTION)[:UNITS])
    units += list(active.filter(kind=UnitKind.SECTION)[: UNITS - len(units)])
    today = dt.date.today()
    round_ = round_create(
        actor=office,
        campaign=campaign,
        name="bench round",
        focus="rectify",
        starts_on=today,
        ends_on=today,
        team=[inspector],
        units=units,
    )
    return round_, inspector, units


def run() -> None:
    from django.db import connection
    from django.test import Client

    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Campaign
    from zuofeng.supervision.models import FindingState, Severity
    from zuofeng.supervision.services.findings import finding_record
    from zuofeng.supervision.services.report import round_report_docx
    from zuofeng.supervision.workflow import finding_transition

    campaign = Campaign.objects.get(is_default=True)
    office = User.objects.get(username="office")
    round_, inspector, units = _round(office, campaign)
    category = campaign.categories.order_by("order").first()
    n = len(units) * PER_UNIT
    print(f"督查问责: a round over {len(units)} units × {PER_UNIT} findings")
    start = time.perf_counter()
    findings = [
        finding_record(
            actor=inspector,
            round=round_,
            unit=unit,
            category=category,
            severity=Severity.values[i % 3],
            text=f"督查发现的第{i + 1}个问题：窗口未一次性告知",
            found_on=dt.date.today(),
            checklist={"listed": "no"},
        )
        for unit in units
        for i in range(PER_UNIT)
    ]
    rate = n / (time.perf_counter() - start)
    _line(
        f"record {n} findings",
        f"{rate:.0f} /s (target ≥ {TARGETS['record_per_s']:.0f})",
        rate >= TARGETS["record_per_s"],
    )
    start = time.perf_counter()
    for finding in findings:
        finding_transition(actor=office, finding=finding, to=FindingState.CONFIRMED)
    rate = n / (time.perf_counter() - start)
    _line(
        f"confirm {n} → problems in the lists",
        f"{rate:.0f} /s (target ≥ {TARGETS['confirm_per_s']:.0f})",
        rate >= TARGETS["confirm_per_s"],
    )
    client = Client()
    client.force_login(office)
    for label, url, target in (
        ("round page (office)", f"/supervision/rounds/{round_.pk}/", TARGETS["page"]),
        ("round overview API", f"/api/supervision/rounds/{round_.pk}/overview", TARGETS["api"]),
    ):
        assert client.get(url).status_code == 200, url
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *args, q=queries: q.append(sql) or execute(sql, *args)):
            client.get(url)
        p50, p95 = _timed(lambda u=url: client.get(u))
        _line(label, f"{p50:6.1f} / {p95:6.1f} ms  ({len(queries)} queries, p95 ≤ {target:.0f})", p95 <= target)
    start = time.perf_counter()
    size = len(round_report_docx(round_=round_))
    elapsed = time.perf_counter() - start
    _line(
        "Word inspection report",
        f"{elapsed:.1f} s, {size // 1024} KB (≤ {TARGETS['report_s']:.0f} s)",
        elapsed <= TARGETS["report_s"],
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from django.core.management import call_command

    from bench import run as base  # sets up Django and the database exactly as `make bench` does

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_campaign", str(base.ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    call_command("demo_district", verbosity=0)
    base.build_units()
    run()
