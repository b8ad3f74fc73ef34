"""`make bench`: build a city-size organisation and print timings (p50/p95) and memory.

Uses DATABASE_URL when set (PostgreSQL in production-like runs), else a throw-away SQLite file
under var/. Targets are checked here, never in timed unit tests.
"""

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_SQLITE = ROOT / "var" / "bench.sqlite3"
if not os.environ.get("DATABASE_URL"):
    BENCH_SQLITE.parent.mkdir(exist_ok=True)
    BENCH_SQLITE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_SQLITE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

UNITS_TARGET = int(os.environ.get("BENCH_UNITS", "3000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))


def timed(fn, samples: int = SAMPLES) -> tuple[float, float]:
    runs = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)]


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def build_units() -> None:
    from zuofeng.organisation.models import Person, Unit, UnitKind
    from zuofeng.organisation.services import ORDER_WIDTH

    if Unit.objects.count() >= UNITS_TARGET:
        return
    tops = max(1, UNITS_TARGET // 20)
    for t in range(tops):
        # Bench departments follow the district's own top-level units in official order.
        top = Unit.objects.create(code=f"B{t:04d}", name=f"测试部门{t}", kind=UnitKind.DEPARTMENT, order=1000 + t)
        top.path, top.sort_key = f"/{top.pk}/", str(1000 + t).zfill(ORDER_WIDTH)
        top.save(update_fields=["path", "sort_key"])
        children = [
            Unit(
                code=f"B{t:04d}S{s:02d}",
                name=f"测试部门{t}第{s}科",
                kind=UnitKind.SECTION,
                parent=top,
                order=s,
                depth=1,
            )
            for s in range(19)
        ]
        Unit.objects.bulk_create(children)
        children = list(Unit.objects.filter(parent=top))
        for child in children:
            child.path = f"{top.path}{child.pk}/"
            child.sort_key = f"{top.sort_key}.{str(child.order).zfill(ORDER_WIDTH)}"
        Unit.objects.bulk_update(children, ["path", "sort_key"])
        Person.objects.bulk_create(
            [Person(name=f"人员{t}-{i}", unit=top, position="科员", phone=f"1390000{i:04d}") for i in range(10)]
        )
    print(f"  built {Unit.objects.count()} units, {Person.objects.count()} people")


def prepare() -> None:
    """The dataset of `make bench`, built or reused: campaign, demo district, ~BENCH_UNITS units, measures."""
    from bench.rectification import MEASURES_TARGET, build_measures
    from zuofeng.campaigns.models import Campaign

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_campaign", str(ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    call_command("demo_district", verbosity=0)
    build_units()
    start = time.perf_counter()
    total = build_measures(Campaign.objects.get(is_default=True), MEASURES_TARGET)
    # bulk_create went through the roll-up triggers; count 逾期 as of today, as the daily job does
    from zuofeng.core import clock
    from zuofeng.rectification.services.rollups import rollups_advance

    rollups_advance(today=clock.today())
    with connection.cursor() as cursor:  # fresh statistics after a bulk load, as autovacuum would leave them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    line(f"dataset: {total:,} measures", f"{time.perf_counter() - start:.1f} s")


def main() -> None:
    vendor = connection.vendor
    print(f"zuofeng bench — database: {vendor} ({settings.DATABASES['default']['NAME']})")
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    line("migrate", f"{time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    call_command("load_campaign", str(ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    line("load_campaign wujin-2018.yaml (first)", f"{(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    call_command("load_campaign", str(ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    line("load_campaign again (no change)", f"{(time.perf_counter() - start) * 1000:.0f} ms")

    start = time.perf_counter()
    call_command("demo_district", verbosity=0)
    line("demo_district", f"{time.perf_counter() - start:.1f} s")
    if os.environ.get("BENCH_SKIP_DOCUMENTS") != "1":
        from bench import documents

        documents.run()  # before tracemalloc, which would slow the rates it measures
    tracemalloc.start()
    start = time.perf_counter()
    build_units()
    line(f"build ~{UNITS_TARGET} units", f"{time.perf_counter() - start:.1f} s")

    from bench import notices

    notices.run()

    from zuofeng.accounts.models import User
    from zuofeng.audit.services import audit_record
    from zuofeng.audit.verify import audit_verify

    office = User.objects.get(username="office")
    clerk = User.objects.get(username="clerk")
    leader = User.objects.get(username="leader")
    n = 500
    start = time.perf_counter()
    for i in range(n):
        audit_record(actor=office, action="bench.append", detail=f"#{i}")
    elapsed = time.perf_counter() - start
    line("audit_record append", f"{n / elapsed:.0f} entries/s")
    start = time.perf_counter()
    result = audit_verify()
    elapsed = time.perf_counter() - start
    line("audit_verify", f"{result.count / elapsed:.0f} entries/s ({result.count} entries, ok={result.ok})")

    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()  # tracing slows Python several-fold; pages are timed without it
    line("peak Python memory while building (tracemalloc)", f"{peak / 1_048_576:.1f} MB")
    # As zuofeng/wsgi.py does in a server worker once the application is loaded.
    import gc

    gc.collect()
    gc.freeze()
    print(f"pages (p50 / p95 over {SAMPLES} requests)")
    for who, user in (("office", office), ("leader", leader), ("clerk", clerk)):
        client = Client()
        client.force_login(user)
        for label, url in (("home", "/"), ("unit list", "/organisation/units/"), ("api units", "/api/units")):
            assert client.get(url).status_code == 200, f"{who} {url}"
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            query_count = len(queries)
            p50, p95 = timed(lambda c=client, u=url: c.get(u))
            line(f"{who:<7} {label}", f"{p50:6.1f} / {p95:6.1f} ms  ({query_count} queries)")
    from bench.rectification import run as rectification_run

    rectification_run()
    from bench.supervision import run as supervision_run

    supervision_run()
    from bench.complaints import run as complaints_run

    complaints_run()
    from bench import assessment

    assessment.run()  # 年终考核 snapshot on this dataset; 系统性问题 quality and the 300,000-problem run
    from bench.projects import run as projects_run  # 突破攻坚: 3,000 projects × 4 milestones, office view p95

    projects_run()


if __name__ == "__main__":
    main()
