"""找差整改 at city scale: p50/p95 and query counts of the busy pages, export and import, against the issue's targets.

`run()` is called by bench/run.py once Django is set up, the default campaign is loaded and the
units are built. It adds lists to every unit until the default campaign has BENCH_MEASURES
measures (300,000 by default; reused on the next run), then times:
  pages (p95 ≤ 200 ms): office dashboard, a unit's ledger page, a reviewer's queue, a filtered list
  search (p95 ≤ 150 ms): a two-character term (推诿)
  export (≤ 60 s, peak memory ≤ 300 MB): the consolidated 整改台账 of everything the office sees,
    and its time against a bare openpyxl write-only export of the same measures (ratio ≤ 0.8)
  import (≤ 15 s): a 10,000-row file built from the downloadable template
Run alone with `python bench/rectification.py` (same environment variables as bench/run.py).
"""

import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
MEASURES_TARGET = int(os.environ.get("BENCH_MEASURES", "300000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
TARGETS = {
    "page": 200.0,
    "search": 150.0,
    "export_s": 60.0,
    "export_mb": 300.0,
    "export_vs_bare": 0.8,
    "import_s": 15.0,
}
BATCH = 5000


def _line(label: str, value: str, ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ✓" if ok else "  ✗")
    wide = sum(1 for c in label if ord(c) > 0x2E80)  # CJK characters take two columns
    print(f"  {label:<{max(0, 44 - wide)}} {value}{mark}")


def _timed(fn, samples: int = SAMPLES) -> tuple[float, float]:
    runs = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)]


def _peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM). Not ru_maxrss: Linux carries that over from the
    parent across fork + exec, so a child started by a large parent would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576


# ── the dataset ────────────────────────────────────────────────────────────


def build_measures(campaign, target: int) -> int:
    """Lists for every in-scope unit without one, until the campaign has `target` measures; returns the count."""
    from zuofeng.core import clock
    from zuofeng.organisation.models import Person, Unit
    from zuofeng.rectification import lights
    from zuofeng.rectification.demo import ITEMS, flavour
    from zuofeng.rectification.models import (
        ItemReview,
        Ledger,
        LedgerEvent,
        LedgerState,
        Measure,
        Problem,
        ProgressUpdate,
    )
    from zuofeng.rectification.services.ledger import problem_import_key
    from zuofeng.rectification.services.search import bigrams

    have = Measure.objects.filter(campaign=campaign).count()
    if have >= target * 0.95:
        return have
    taken = set(Ledger.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    units = [u for u in Unit.objects.filter(is_active=True).select_related("parent").order_by("sort_key")]
    units = [u for u in units if u.in_scope and u.pk not in taken and u.code != "D20S02"]
    if not units:
        return have
    per_unit, extra = divmod(target - have, len(units))
    today, now = clock.today(), clock.now()
    limits = lights.thresholds(campaign)
    categories = {c.key: c for c in campaign.categories.all()}
    symptoms = {s.key: s for s in campaign.symptoms.all()}
    sources = list(campaign.sources.all())
    benchmarks = list(campaign.benchmarks.all())
    people = dict(Person.objects.order_by("unit_id", "-id").values_list("unit_id", "pk"))
    grams: dict[str, str] = {}
    rng = random.Random(2018)  # noqa: S311 - bench data
    through = Problem.benchmarks.through
    started = time.perf_counter()

    def gram(*texts: str) -> str:
        key = "\x1f".join(texts)
        if key not in grams:
            grams[key] = bigrams(*texts)
        return grams[key]

    for start in range(0, len(units), 100):
        chunk = units[start : start + 100]
        ledgers = []
        for unit in chunk:
            state = rng.choices([LedgerState.APPROVED, LedgerState.SUBMITTED, LedgerState.DRAFT], [85, 8, 7])[0]
            submitted = None if state == LedgerState.DRAFT else now - dt.timedelta(days=rng.randint(1, 60))
            approved_at = submitted if state == LedgerState.APPROVED else None
            ledgers.append(Ledger(campaign=campaign, unit=unit, state=state, submitted_at=submitted,
                                  first_submitted_at=submitted, approved_at=approved_at,
                                  version=3 if submitted else 1))  # fmt: skip
        Ledger.objects.bulk_create(ledgers)
        problems, measures, links, events = [], [], [], []
        for index, ledger in enumerate(ledgers):
            count = per_unit + (1 if start + index < extra else 0)
            catalogue = ITEMS[flavour(ledger.unit)]
            approved = ledger.state == LedgerState.APPROVED
            for order in range(1, (count + 1) // 2 + 1):
                category, symptom, text, texts = catalogue[(order + index) % len(catalogue)]
                problem = Problem(
                    ledger=ledger, unit=ledger.unit, order=order, category=categories[category],
                    symptom=symptoms.get(symptom), source=sources[order % len(sources)], description=text,
                    found_on=today - dt.timedelta(days=70), search_bigrams=gram(text),
                    review=ItemReview.APPROVED if approved else ItemReview.PENDING,
                )  # fmt: skip
                problem.import_key = problem_import_key(problem)
                problems.append(problem)
                links.append((problem, benchmarks[order % len(benchmarks)]))
                for m_order in range(1, min(2, count - 2 * (order - 1)) + 1):
                    m_text, standard = texts[(m_order - 1) % len(texts)]
                    measures.append(_measure(problem, ledger, m_order, m_text, standard, approved, today, rng, limits,
                                             people.get(ledger.unit_id), gram(m_text, standard)))  # fmt: skip
            if ledger.submitted_at:
                events.append(LedgerEvent(ledger=ledger, action="ledger.submit", from_state="draft",
                                          to_state="submitted", at=ledger.submitted_at))  # fmt: skip
        Problem.objects.bulk_create(problems, batch_size=BATCH)
        through.objects.bulk_create([through(problem_id=p.pk, benchmark_id=b.pk) for p, b in links], batch_size=BATCH)
        Measure.objects.bulk_create(measures, batch_size=BATCH)
        ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(measure=m, reported_on=m.last_progress_on, text="已按计划推进，完成阶段性任务。",
                               percent=m.percent)
                for m in measures
                if m.last_progress_on
            ],
            batch_size=BATCH,
        )  # fmt: skip
        LedgerEvent.objects.bulk_create(events, batch_size=BATCH)
        done = start + len(chunk)
        if done % 1000 < 100 or done == len(units):
            print(f"    … {done}/{len(units)} units, {time.perf_counter() - started:.0f} s", flush=True)
    return Measure.objects.filter(campaign=campaign).count()


def _measure(problem, ledger, order, text, standard, approved, today, rng, limits, person_id, grams):
    from zuofeng.rectification import lights
    from zuofeng.rectification.models import Measure, MeasureState

    ongoing = rng.random() < 0.1
    starts = today - dt.timedelta(days=rng.randint(30, 70))
    deadline = None if ongoing else today + dt.timedelta(days=rng.randint(-20, 60))
    state, percent, last, closed = MeasureState.PLANNED, 0, None, None
    if approved:
        roll = rng.random()
        if roll < 0.12:
            state, percent, closed = MeasureState.CLOSED, 100, today - dt.timedelta(days=rng.randint(1, 20))
        elif roll < 0.15:
            state, percent = MeasureState.CLOSE_REQUESTED, 100
        else:
            state, percent = MeasureState.IN_PROGRESS, rng.randrange(0, 100, 5)
        last = today - dt.timedelta(days=rng.randint(0, 25))
    measure = Measure(
        problem=problem, unit_id=ledger.unit_id, campaign_id=ledger.campaign_id, order=order, text=text,
        standard=standard, responsible_leader="张副局长", responsible_unit_id=ledger.unit_id,
        responsible_name="" if person_id else "李四", responsible_person_id=person_id, starts_on=starts,
        deadline=deadline if deadline is None or deadline >= starts else starts, is_ongoing=ongoing, state=state,
        percent=percent, last_progress_on=last, closed_on=closed, search_bigrams=grams,
    )  # fmt: skip
    measure.light = lights.light_for(
        state=state, percent=percent, starts_on=starts, deadline=measure.deadline, is_ongoing=ongoing,
        last_progress_on=last, today=today, limits=limits,
    )  # fmt: skip
    return measure


# ── the figures ────────────────────────────────────────────────────────────


def _pages(office, leader, campaign) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zuofeng.rectification.models import Ledger

    ledger = (
        Ledger.objects.filter(campaign=campaign)
        .annotate(n=Count("problems__measures"))
        .filter(n__gte=50)
        .order_by("unit__sort_key")
        .first()
        or Ledger.objects.filter(campaign=campaign).first()
    )
    checks = [
        ("office dashboard", office, "/rectification/dashboard/", "page"),
        (f"ledger page ({ledger.unit.display_name})", office, f"/rectification/ledgers/{ledger.pk}/", "page"),
        ("reviewer queue (leader)", leader, "/rectification/review/", "page"),
        ("reviewer queue (office)", office, "/rectification/review/", "page"),
        ("filtered list: red lights", office, "/rectification/dashboard/items/?light=red", "page"),
        ("filtered list: ledgers", office, "/rectification/ledgers/", "page"),
        ("search 推诿", office, "/rectification/search/?q=推诿", "search"),
        ("search 审批", office, "/rectification/search/?q=审批", "search"),
    ]
    print(f"找差整改 pages (p50 / p95 over {SAMPLES} requests; target pages ≤ 200 ms, search ≤ 150 ms)")
    clients = {}
    for label, user, url, kind in checks:
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            _line(label, f"skipped: HTTP {response.status_code} for {url}")
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)  # read now: the captured list is sliced lazily from a log later requests reset
        p50, p95 = _timed(lambda c=client, u=url: c.get(u))
        _line(label, f"{p50:6.1f} / {p95:6.1f} ms  ({count} queries)", p95 <= TARGETS[kind])


def _export_in_child(mode: str, path: Path, office, campaign) -> tuple[int, float, float, float, float] | str:
    """(rows, seconds, CPU seconds, RSS with Django loaded, peak RSS) of one export in a fresh process, or its error.

    CPU seconds are the process's own (the database server's work is not in them): on a machine
    shared with other work they move less than the wall time does."""
    done = subprocess.run(  # noqa: S603 - our own script, same interpreter
        [sys.executable, __file__, mode, str(path), str(office.pk), str(campaign.pk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"failed: {done.stderr.strip().splitlines()[-1:]}"
    # The child reports its own peak: RUSAGE_CHILDREN would also count earlier children (PDF workers).
    rows, elapsed, cpu, base, peak = done.stdout.split()[-5:]
    return int(rows), float(elapsed), float(cpu), float(base), float(peak)


def _export(office, campaign) -> None:
    """Time the export in a fresh process, so its peak memory is the export's own, not the dataset build's;
    then the bare openpyxl reference on the same rows, so the ratio holds on a loaded machine too."""
    try:
        from zuofeng.rectification.services.export import ledger_export_direct  # noqa: F401 - is it there?
    except ImportError:
        _line("export 整改台账", "skipped: exporter not available")
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        ours = _export_in_child("--export", path, office, campaign)
        size = path.stat().st_size / 1_048_576 if path.exists() else 0
        bare = _export_in_child("--export-bare", Path(folder) / "bare.xlsx", office, campaign)
    if isinstance(ours, str):
        _line("export 整改台账", ours)
        return
    rows, elapsed, cpu, base, peak = ours
    _line(f"export 整改台账 ({rows:,} rows, {size:.0f} MB)", f"{elapsed:6.1f} s", elapsed <= TARGETS["export_s"])
    _line("export peak memory (process RSS)", f"{peak:6.1f} MB (Django loaded: {base:.0f} MB)",
          peak <= TARGETS["export_mb"])  # fmt: skip
    if isinstance(bare, str):
        _line("bare openpyxl write-only export", bare)
        return
    _line(f"bare openpyxl write-only ({bare[0]:,} rows)", f"{bare[1]:6.1f} s, peak {bare[4]:.0f} MB")
    ratio = elapsed / bare[1]
    _line("export time / bare openpyxl (target ≤ 0.8)", f"{ratio:6.2f}", ratio <= TARGETS["export_vs_bare"])
    _line("  the same in CPU seconds of each process", f"{cpu:6.1f} s / {bare[2]:.1f} s = {cpu / bare[2]:.2f}")


def _export_child(path: str, office_id: int, campaign_id: int) -> None:
    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Campaign
    from zuofeng.rectification.selectors.dashboard import dashboard_scope
    from zuofeng.rectification.services.export import ledger_export_direct

    office, campaign = User.objects.get(pk=office_id), Campaign.objects.get(pk=campaign_id)
    base = _rss_mb()
    start = time.perf_counter(), time.process_time()
    rows = ledger_export_direct(actor=office, scope=dashboard_scope(user=office, campaign=campaign), target=path)
    _report(rows, start, base)


def _report(rows: int, start: tuple[float, float], base: float) -> None:
    """What the parent reads: rows, wall and CPU seconds since `start`, RSS before and at peak."""
    wall, cpu = time.perf_counter() - start[0], time.process_time() - start[1]
    print(rows, f"{wall:.2f}", f"{cpu:.2f}", f"{base:.1f}", f"{_peak_rss_mb():.1f}")


# What a bare export of the same measures reads: the row's own columns and its joins, in one query.
BARE_COLUMNS = (
    "unit__name",
    "problem__ledger__state",
    "problem__source__name",
    "problem__source_detail",
    "problem__description",
    "problem__category__name",
    "problem__symptom__name",
    "text",
    "standard",
    "responsible_leader",
    "responsible_unit__name",
    "responsible_person__name",
    "responsible_name",
    "deadline",
    "is_ongoing",
    "light",
    "closed_on",
    "remark",
)


def _bare_export_child(path: str, office_id: int, campaign_id: int) -> None:
    """The reference: the same measures (same scope and order), 19 columns, one query streamed into an
    openpyxl write-only sheet with no formats, no names qualified, no progress or evidence looked up."""
    from openpyxl import Workbook

    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Campaign
    from zuofeng.rectification.exports import HEADERS
    from zuofeng.rectification.selectors.dashboard import dashboard_scope
    from zuofeng.rectification.selectors.export import ledger_export_measures

    office, campaign = User.objects.get(pk=office_id), Campaign.objects.get(pk=campaign_id)
    base = _rss_mb()
    start = time.perf_counter(), time.process_time()
    measures = ledger_export_measures(scope=dashboard_scope(user=office, campaign=campaign))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("整改台账")
    sheet.append(HEADERS)
    rows = 0
    for rows, values in enumerate(measures.values_list(*BARE_COLUMNS).iterator(chunk_size=2000), start=1):
        sheet.append([rows, *values])
    book.save(path)
    _report(rows, start, base)


def _import_file(campaign, unit, rows: int) -> bytes:
    """The downloadable template, filled with `rows` measures (two per problem)."""
    from openpyxl import load_workbook

    from zuofeng.rectification.services.importer import SHEET
    from zuofeng.rectification.services.ledger_template import ledger_template

    book = load_workbook(io.BytesIO(ledger_template(campaign=campaign)))
    sheet = book[SHEET]
    category = campaign.categories.order_by("order").first()
    symptom = category.symptoms.order_by("order").first()
    source = campaign.sources.order_by("order").first()
    benchmark = campaign.benchmarks.order_by("order").first()
    for n in range(rows):
        problem = [category.name, symptom.name, benchmark.name, source.name, "", f"第{n // 2 + 1}个问题：窗口推诿扯皮",
                   "2018-09-01"] if n % 2 == 0 else [""] * 7  # fmt: skip
        measure = [f"措施{n + 1}：实行首问负责制", "一次办结率95%", "张副局长", "", "李四", "2018/9/16"]
        ending = ["2018年12月31日", "否"] if n % 3 else ["", "是"]
        sheet.append([n + 1, *problem, *measure, *ending, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(clerk, campaign) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zuofeng.organisation.models import Unit
    from zuofeng.rectification.models import Ledger, Problem
    from zuofeng.rectification.services.importer import ledger_import

    unit = Unit.objects.get(code="D20S02")
    ledger, _ = Ledger.objects.get_or_create(campaign=campaign, unit=unit)
    Problem.objects.filter(ledger=ledger, description__contains="个问题：窗口推诿扯皮").delete()
    content = _import_file(campaign, unit, IMPORT_ROWS)
    upload = SimpleUploadedFile("整改清单.xlsx", content)
    start = time.perf_counter()
    result = ledger_import(actor=clerk, ledger=ledger, uploaded=upload)
    elapsed = time.perf_counter() - start
    if result.errors:
        _line(f"import {IMPORT_ROWS:,} rows", f"refused: {result.errors[0]}")
        return
    label = f"import {IMPORT_ROWS:,} rows ({result.measures_created:,} measures)"
    _line(label, f"{elapsed:6.1f} s", elapsed <= TARGETS["import_s"])
    # Leave the dataset as it was, so the next run times the same thing.
    Problem.objects.filter(ledger=ledger, description__contains="个问题：窗口推诿扯皮").delete()


def run() -> None:
    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Campaign

    tracing = tracemalloc.is_tracing()
    if tracing:  # tracemalloc slows allocation-heavy code several times over; memory is sampled as RSS here
        tracemalloc.stop()
    try:
        campaign = Campaign.objects.get(is_default=True)
        office, leader, clerk = (User.objects.get(username=n) for n in ("office", "leader", "clerk"))
        print(f"找差整改 dataset (target {MEASURES_TARGET:,} measures)")
        start = time.perf_counter()
        total = build_measures(campaign, MEASURES_TARGET)
        from django.db import connection

        # Fresh statistics and visibility maps after a bulk load, as autovacuum would leave a live database.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        _line(f"{total:,} measures ready", f"{time.perf_counter() - start:.1f} s")
        _pages(office, leader, campaign)
        print("找差整改 export and import (targets: export ≤ 60 s, ≤ 0.8 × bare openpyxl, ≤ 300 MB; import ≤ 15 s)")
        _export(office, campaign)
        _import(clerk, campaign)
    finally:
        if tracing:
            tracemalloc.start()


if __name__ == "__main__" and sys.argv[1:2] in (["--export"], ["--export-bare"]):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    child = _export_child if sys.argv[1] == "--export" else _bare_export_child
    child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
elif __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from django.core.management import call_command

    from bench import run as base  # sets up Django and the database exactly as `make bench` does

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_campaign", str(base.ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    call_command("demo_district", verbosity=0)
    base.build_units()
    run()
