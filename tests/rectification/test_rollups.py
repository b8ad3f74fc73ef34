"""Dashboard roll-ups: equal to a full recount after any sequence of real writes, on both databases.

The recount here is written independently of the triggers and of services/rollups.py: it walks the
measures and problems one by one in Python.
"""

import datetime as dt
import random
import threading
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from tests.rectification.test_dashboard_data import TODAY, build
from tests.rectification.test_evidence_uploads import pdf_bytes, upload
from tests.rectification.test_import_ledger import good_rows, xlsx
from zuofeng.core import clock
from zuofeng.rectification import rollup_triggers
from zuofeng.rectification.models import (
    ClosureRollup,
    FilingRollup,
    ItemReview,
    Ledger,
    LedgerState,
    Light,
    Measure,
    MeasureState,
    Problem,
    ProblemRollup,
    RollupDay,
    UnitRollup,
)
from zuofeng.rectification.selectors.dashboard import Scope, overdue_q, overdue_total
from zuofeng.rectification.selectors.milestone import FilingStatus
from zuofeng.rectification.services import ledger as ledger_services
from zuofeng.rectification.services.importer import ledger_import
from zuofeng.rectification.services.progress import closeout_decide, closeout_request, measure_reopen, progress_report
from zuofeng.rectification.services.review import ledger_review, ledger_submit
from zuofeng.rectification.services.rollups import rollups_advance, rollups_rebuild, rollups_stored
from zuofeng.rectification.tasks.reminders import lights_refresh_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def recount() -> dict[str, dict]:
    day = RollupDay.objects.filter(pk=1).first()  # a transactional test elsewhere may have flushed it
    before = day and day.overdue_before
    units: dict[tuple, Counter] = {}
    closures, problems = Counter(), Counter()
    for m in Measure.objects.all():
        counts = units.setdefault((m.campaign_id, m.unit_id), Counter())
        counts["measures"] += 1
        counts[f"state_{m.state}"] += 1
        counts[f"light_{m.light}"] += 1
        if m.state != MeasureState.CLOSED:
            counts[f"open_{m.light}"] += 1  # there is no open_closed column: a closed light on an open measure
            counts["overdue"] += bool(before and not m.is_ongoing and m.deadline < before)
        if m.closed_on:
            closures[(m.campaign_id, m.unit_id, m.closed_on - dt.timedelta(days=m.closed_on.weekday()))] += 1
    for p in Problem.objects.select_related("ledger"):
        units.setdefault((p.ledger.campaign_id, p.unit_id), Counter())["problems"] += 1
        problems[(p.ledger.campaign_id, p.unit_id, p.category_id, p.symptom_id or 0, p.source_id)] += 1
    columns = [f.name for f in UnitRollup._meta.fields if f.name not in ("id", "campaign", "unit")]
    return {
        "unit": {key: {c: counts[c] for c in columns} for key, counts in units.items()},
        "closure": dict(closures),
        "problem": dict(problems),
        "filing": filing_recount_in_python(),
    }


def filing_recount_in_python() -> dict[tuple, int]:
    """Every list by (campaign, filing status, Beijing day first submitted): a draft without problems
    is 未开始, as the 9月15日 page says."""
    with_problems = set(Problem.objects.values_list("ledger_id", flat=True))
    filing = Counter()
    for ledger in Ledger.objects.all():
        status = ledger.state
        if status == LedgerState.DRAFT:
            status = FilingStatus.DRAFTING if ledger.pk in with_problems else FilingStatus.NOT_STARTED
        first = ledger.first_submitted_at
        day = timezone.localtime(first).date() if first else FilingRollup.NEVER
        filing[(ledger.campaign_id, status, day)] += 1
    return dict(filing)


def assert_exact() -> None:
    assert rollups_stored() == recount()


# ── the random sequence ─────────────────────────────────────────────────────


class Script:
    """One random step at a time through the services a person uses, on section_a1's list."""

    def __init__(self, rng: random.Random, campaign, org, people):
        self.rng, self.campaign, self.org, self.people = rng, campaign, org, people
        self.ledger, _ = Ledger.objects.get_or_create(campaign=campaign, unit=org.section_a1)

    def pick(self, qs):
        items = list(qs)
        return self.rng.choice(items) if items else None

    def problems(self):
        return Problem.objects.filter(ledger=self.ledger).select_related("ledger")

    def measures(self, **state):
        return Measure.objects.filter(problem__ledger=self.ledger, **state).select_related("problem__ledger")

    def dates(self) -> dict:
        if self.rng.random() < 0.25:
            return {"is_ongoing": True, "deadline": None}
        return {"is_ongoing": False, "deadline": TODAY + dt.timedelta(days=self.rng.randint(-20, 40))}

    def problem_create(self):
        c = self.campaign
        ledger_services.problem_create(
            actor=self.people.own_clerk,
            ledger=self.ledger,
            category=self.pick(c.categories.all()),
            symptom=self.rng.choice([None, *c.symptoms.all()]),
            source=self.pick(c.sources.all()),
            description=f"问题{self.rng.randint(1, 10**6)}",
            found_on=dt.date(2018, 9, 1),
        )

    def problem_update(self):
        problem = self.pick(self.problems())
        if problem:
            data = {
                "category": self.pick(self.campaign.categories.all()),
                "source": self.pick(self.campaign.sources.all()),
            }
            data["symptom"] = self.rng.choice([None, *self.campaign.symptoms.filter(category=data["category"])])
            ledger_services.problem_update(
                actor=self.people.own_clerk, problem=problem, version=problem.version, data=data
            )

    def problem_delete(self):
        problem = self.pick(self.problems())
        if problem:
            ledger_services.problem_delete(actor=self.people.own_clerk, problem=problem)

    def measure_create(self):
        problem = self.pick(self.problems())
        if problem:
            ledger_services.measure_create(
                actor=self.people.own_clerk, problem=problem, text="措施", starts_on=dt.date(2018, 9, 1), **self.dates()
            )

    def measure_update(self):
        measure = self.pick(self.measures())
        if measure:
            ledger_services.measure_update(
                actor=self.people.own_clerk, measure=measure, version=measure.version, data=self.dates()
            )

    def measure_delete(self):
        measure = self.pick(self.measures())
        if measure:
            ledger_services.measure_delete(actor=self.people.own_clerk, measure=measure)

    def submit(self):
        """Gives every problem a measure first, as a person does before submitting."""
        for problem in self.problems().filter(measures__isnull=True):
            ledger_services.measure_create(
                actor=self.people.own_clerk, problem=problem, text="措施", starts_on=dt.date(2018, 9, 1), **self.dates()
            )
        ledger_submit(actor=self.people.own_clerk, ledger=self.ledger)

    def review(self):
        pending = self.problems().filter(review=ItemReview.PENDING)
        decisions = {
            p.pk: self.rng.choice(
                [(ItemReview.APPROVED, ""), (ItemReview.APPROVED, ""), (ItemReview.RETURNED, "不具体")]
            )
            for p in pending
        }
        ledger_review(actor=self.people.reviewer, ledger=self.ledger, decisions=decisions)

    def progress(self):
        measure = self.pick(self.measures(state=MeasureState.IN_PROGRESS))
        if measure:
            progress_report(
                actor=self.people.own_clerk,
                measure=measure,
                reported_on=clock.today(),
                text="推进中",
                percent=self.rng.randrange(0, 100, 10),
            )

    def closeout(self):
        measure = self.pick(self.measures(state=MeasureState.IN_PROGRESS))
        if measure:
            files = [upload("验收报告.pdf", pdf_bytes())]
            closeout_request(actor=self.people.own_clerk, measure=measure, text="已完成", files=files)
        measure = self.pick(self.measures(state=MeasureState.CLOSE_REQUESTED))
        if measure:
            approve = self.rng.random() < 0.7
            closeout_decide(
                actor=self.people.reviewer, measure=measure, approve=approve, comment="" if approve else "缺材料"
            )

    def reopen(self):
        measure = self.pick(self.measures(state=MeasureState.CLOSED))
        if measure:
            measure_reopen(actor=self.people.office, measure=measure, reason="督查发现反弹")

    def import_rows(self):
        ledger_import(actor=self.people.own_clerk, ledger=self.ledger, uploaded=xlsx(good_rows()))

    def daily(self):
        day = TODAY + dt.timedelta(days=self.rng.randint(-10, 30))
        lights_refresh_all(today=day)
        rollups_advance(today=day)

    def bulk(self):
        """As the bench and demo loaders do: bulk_create, then update() and delete() on querysets."""
        problem = self.pick(self.problems())
        if problem:
            Measure.objects.bulk_create(
                Measure(problem=problem, unit_id=problem.unit_id, campaign=self.campaign, text=f"批量{i}",
                        starts_on=dt.date(2018, 9, 1), **self.dates(),
                        state=self.rng.choice(MeasureState.values), light=self.rng.choice(Light.values),
                        closed_on=self.rng.choice([None, TODAY - dt.timedelta(days=self.rng.randint(0, 20))]))
                for i in range(self.rng.randint(1, 4))
            )  # fmt: skip
        Measure.objects.filter(text__startswith="批量", light=Light.YELLOW).update(light=Light.RED)
        Measure.objects.filter(text__startswith="批量", state=MeasureState.CLOSED).delete()

    STEPS = (
        "problem_create",
        "problem_create",
        "problem_update",
        "problem_delete",
        "measure_create",
        "measure_create",
        "measure_update",
        "measure_delete",
        "submit",
        "review",
        "progress",
        "closeout",
        "reopen",
        "import_rows",
        "daily",
        "bulk",
    )

    def step(self) -> str:
        name = self.rng.choice(self.STEPS)
        try:
            getattr(self, name)()
        except (ValidationError, PermissionDenied):
            return f"{name} (refused)"  # a refused write must leave the roll-ups alone as well
        return name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_a_full_recount_after_random_operations(seed, campaign, org, people):
    build(campaign, org)  # the dashboard fixture: three lists over the tree
    assert_exact()
    script = Script(random.Random(seed), campaign, org, people)
    done = []
    with clock.frozen(TODAY):
        for _ in range(60):
            done.append(script.step())
            assert rollups_stored() == recount(), f"after {done}"
    assert UnitRollup.objects.exists()
    succeeded = {name for name in done if "refused" not in name}
    assert succeeded >= {"problem_create", "measure_create", "submit", "review", "closeout", "daily", "bulk"}


def test_rows_left_at_zero_are_removed(campaign, org):
    data = build(campaign, org)
    Measure.objects.filter(pk=data["M2"].pk).update(closed_on=None)
    assert not ClosureRollup.objects.exists()  # M2 was the only closure
    Ledger.objects.filter(unit=org.section_a1).delete()  # cascades to its problems and measures
    assert not UnitRollup.objects.filter(unit=org.section_a1).exists()
    assert not ProblemRollup.objects.filter(unit=org.section_a1).exists()
    assert_exact()


def test_overdue_counts_move_with_the_day(campaign, org):
    data = build(campaign, org)  # M1 is due 2018-09-20, M4 2018-11-30, M5 2018-10-31
    rollups_advance(today=dt.date(2018, 9, 1))
    assert not UnitRollup.objects.filter(overdue__gt=0).exists()
    assert rollups_advance(today=dt.date(2018, 11, 1)) == 2  # M1's and M5's units recounted
    overdue = UnitRollup.objects.filter(overdue__gt=0).values_list("unit_id", "overdue")
    assert sorted(overdue) == sorted([(data["M1"].unit_id, 1), (data["M5"].unit_id, 1)])
    assert rollups_advance(today=dt.date(2018, 11, 1)) == 0
    assert_exact()


def test_rebuild_command_repairs_tampered_rollups(campaign, org, capsys):
    build(campaign, org)
    UnitRollup.objects.update(measures=99)
    call_command("rollups_rebuild")
    assert_exact()
    assert "已重新统计" in capsys.readouterr().out


def test_rebuild_counts_what_triggers_count(campaign, org):
    build(campaign, org)
    rollups_advance(today=TODAY)
    stored = rollups_stored()
    rollups_rebuild()
    assert rollups_stored() == stored == recount()


def test_missing_triggers_are_reinstalled_and_their_writes_recounted(campaign, org):
    """What post_migrate does after a migration rebuilt the measure table on SQLite."""
    data = build(campaign, org)
    rollup_triggers.remove(connection)
    Measure.objects.filter(pk=data["M4"].pk).update(state=MeasureState.IN_PROGRESS, light=Light.GREEN)
    assert rollups_stored() != recount()
    assert rollup_triggers.ensure(connection) is True
    assert_exact()
    assert rollup_triggers.ensure(connection) is False
    Measure.objects.filter(pk=data["M4"].pk).update(light=Light.RED)
    assert_exact()


# ── concurrency (PostgreSQL: SQLite has one writer at a time) ───────────────


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_updates_on_one_unit_lose_no_counts(campaign, org):
    build(campaign, org)
    problem = Problem.objects.get(unit=org.section_a1)
    Measure.objects.bulk_create(
        Measure(problem=problem, unit_id=problem.unit_id, campaign=campaign, text=f"并发{i}",
                starts_on=dt.date(2018, 9, 1), deadline=dt.date(2018, 12, 1), state=MeasureState.IN_PROGRESS,
                light=Light.GREEN)
        for i in range(40)
    )  # fmt: skip
    ids = list(Measure.objects.filter(text__startswith="并发").values_list("pk", flat=True))
    barrier, errors = threading.Barrier(2), []

    def worker(mine: list[int], lights: list[str]) -> None:
        try:
            barrier.wait()
            for round_ in range(6):
                for pk in mine:
                    # each its own transaction, moving counts between the same keys in opposite orders
                    Measure.objects.filter(pk=pk).update(light=lights[round_ % 2])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(ids[::2], [Light.RED, Light.YELLOW])),
        threading.Thread(target=worker, args=(ids[1::2], [Light.YELLOW, Light.RED])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_exact()
    row = UnitRollup.objects.get(unit=org.section_a1)
    # the last round leaves the first half yellow and the second red; M1 (red) and M3 (green) were there
    assert (row.open_red, row.open_yellow, row.open_green) == (21, 20, 1)


@pytest.mark.parametrize("who", ["office", "reviewer", "own_clerk"])
def test_overdue_total_from_rollups_equals_counting_measures(campaign, org, people, who):
    build(campaign, org)
    scope = Scope(user=getattr(people, who), campaign=campaign)
    rollups_advance(today=dt.date(2018, 9, 1))  # the roll-up counts as of 9月1日; later days add the rest
    for day in (dt.date(2018, 9, 1), dt.date(2018, 10, 15), dt.date(2018, 11, 1), dt.date(2018, 12, 31)):
        assert overdue_total(scope, day) == scope.measures().filter(overdue_q(day)).count(), day
