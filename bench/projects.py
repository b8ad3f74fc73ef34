"""突破攻坚 at city scale: BENCH_PROJECTS projects (3,000 by default) with 4 milestones and a target each,
spread over the bench units and the eight key areas; then the office view's p50/p95 (target ≤ 200 ms,
like every page), a filtered and a paged view, the Excel export of everything, and the daily light
refresh. `run()` is called by bench/run.py; alone: `python bench/projects.py` (same environment).
"""

import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.rectification import _line, _timed

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
PROJECTS_TARGET = int(os.environ.get("BENCH_PROJECTS", "3000"))
TARGETS = {"page": 200.0, "export_s": 10.0}


def build_projects(campaign, target: int) -> int:
    """Bulk rows (no services: the bench measures reading), lights computed as the daily job would."""
    from zuofeng.organisation.models import Unit
    from zuofeng.projects.models import Milestone, Project, ProjectState, Target
    from zuofeng.projects.tasks.reminders import project_lights_refresh

    have = Project.objects.filter(campaign=campaign).count()
    if have >= target:
        return have
    rng = random.Random("bench-projects")  # noqa: S311 - repeatable bench data
    units = list(Unit.objects.filter(parent__isnull=True).order_by("sort_key").values_list("pk", flat=True))
    areas = list(campaign.key_areas.order_by("order").values_list("pk", flat=True))
    today = dt.date.today()
    projects = []
    for i in range(have, target):
        start = today - dt.timedelta(days=rng.randint(30, 200))
        projects.append(
            Project(
                campaign=campaign, unit_id=units[i % len(units)], key_area_id=areas[i % len(areas)],
                title=f"攻坚项目{i}", goal="项目目标", starts_on=start,
                deadline=start + dt.timedelta(days=rng.randint(240, 400)),
                state=ProjectState.APPROVED if i % 10 else ProjectState.SUBMITTED,
            )
        )  # fmt: skip
    for batch in range(0, len(projects), 1000):
        Project.objects.bulk_create(projects[batch : batch + 1000])
    rows = Project.objects.filter(campaign=campaign, targets__isnull=True).values_list("pk", "starts_on", "deadline")
    targets, milestones = [], []
    for pk, start, deadline in rows:
        targets.append(
            Target(project_id=pk, order=1, name="办理时间", measure_unit="个工作日", baseline=Decimal(10),
                   target=Decimal(2), direction="lower", current=Decimal(rng.randint(2, 10)))
        )  # fmt: skip
        step = (deadline - start) / 4
        for q in range(4):
            due = start + step * (q + 1)
            done = due < today and rng.random() < 0.8
            percent = 100 if done else (rng.randint(0, 90) if due - step < today else 0)
            milestones.append(
                Milestone(project_id=pk, order=q + 1, title=f"第{q + 1}季度节点", due_on=due, percent=percent,
                          done_on=due if done else None, last_report_on=min(today, due) if percent else None)
            )  # fmt: skip
    Target.objects.bulk_create(targets, batch_size=2000)
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    project_lights_refresh(today=today)
    return Project.objects.filter(campaign=campaign).count()


def run() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Campaign
    from zuofeng.projects.tasks.reminders import project_lights_refresh

    campaign = Campaign.objects.get(is_default=True)
    office = User.objects.get(username="office")
    print(f"突破攻坚 dataset (target {PROJECTS_TARGET:,} projects × 4 milestones)")
    start = time.perf_counter()
    total = build_projects(campaign, PROJECTS_TARGET)
    _line(f"{total:,} projects ready", f"{time.perf_counter() - start:.1f} s")
    client = Client()
    client.force_login(office)
    area = campaign.key_areas.order_by("order").first()
    print(f"突破攻坚 office view (p50 / p95 over {SAMPLES} requests; target ≤ {TARGETS['page']:.0f} ms)")
    for label, url in (
        ("office view", "/projects/board/"),
        ("office view: one key area, red", f"/projects/board/?key_area={area.pk}&light=red"),
        ("office view: page 20", "/projects/board/?page=20"),
    ):
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)
        p50, p95 = _timed(lambda u=url: client.get(u))
        _line(label, f"{p50:6.1f} / {p95:6.1f} ms  ({count} queries)", p95 <= TARGETS["page"])
    start = time.perf_counter()
    response = client.get("/projects/board/export.xlsx")
    elapsed = time.perf_counter() - start
    _line(f"Excel export ({total:,} rows)", f"{elapsed:.1f} s, {len(response.content) / 1024:.0f} KB",
          elapsed <= TARGETS["export_s"])  # fmt: skip
    start = time.perf_counter()
    project_lights_refresh(today=dt.date.today())
    _line("daily light refresh (all projects)", f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from django.core.management import call_command

    from bench import run as base  # sets up Django and the database exactly as `make bench` does

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_campaign", str(base.ROOT / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    call_command("demo_district", verbosity=0)
    base.build_units()
    run()
