"""群众提 intake under a burst: 1,000 reports from many visitors at once, one in ten sent twice (a double tap),
through the same service as the public form; every report must be stored exactly once.

Run by bench/run.py; alone (after migrate and load_campaign):
`.venv/bin/python -c "import bench.run; from bench import complaints; complaints.run()"`.
"""

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections

REPORTS = int(os.environ.get("BENCH_COMPLAINTS", "1000"))


def _one(n: int, campaign, run_id: str) -> list[float]:
    from zuofeng.complaints.captcha import captcha_new
    from zuofeng.complaints.services.intake import Report, complaint_report

    times = []
    try:
        for _tap in range(2 if n % 10 == 0 else 1):  # every tenth visitor taps twice
            captcha = captcha_new()
            a, b = captcha.answer.split("+")
            start = time.perf_counter()
            complaint_report(
                campaign=campaign,
                report=Report(
                    kind="complaint",
                    text=f"压测反映第 {n} 件：窗口推诿扯皮，来回跑了三趟。",
                    named=n % 2 == 0,
                    name="压测人",
                    phone=f"139{n:08d}",
                ),
                address=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}",
                submission_key=f"{run_id}-{n}",
                captcha_token=captcha.token,
                captcha_answer=str(int(a) + int(b)),
            )
            times.append((time.perf_counter() - start) * 1000)
    finally:
        connections.close_all()
    return times


def run() -> None:
    from zuofeng.campaigns.models import Campaign
    from zuofeng.complaints.models import Complaint

    campaign = Campaign.objects.get(is_default=True)
    run_id = f"bench-{time.time_ns()}"
    workers = 16 if connection.vendor == "postgresql" else 4
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        times = [t for ts in pool.map(lambda n: _one(n, campaign, run_id), range(REPORTS)) for t in ts]
    elapsed = time.perf_counter() - start
    stored = Complaint.objects.filter(submission_key__startswith=f"{run_id}-")
    count = stored.count()
    distinct = stored.values("submission_key").distinct().count()
    times.sort()
    print(f"complaints intake burst ({REPORTS} reports, {len(times) - REPORTS} repeated, {workers} threads)")
    print(f"  {'stored / lost / duplicated':<44} {count} / {REPORTS - distinct} / {count - distinct}")
    print(f"  {'reports per second':<44} {REPORTS / elapsed:.0f}")
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  {'one report p50 / p95':<44} {statistics.median(times):.1f} / {p95:.1f} ms")
    assert (count, distinct) == (REPORTS, REPORTS), "reports lost or duplicated"
