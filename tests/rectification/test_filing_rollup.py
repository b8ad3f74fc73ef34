"""FilingRollup: the 9月15日 counts kept by triggers equal a recount after any sequence of writes, and
the office's counts read from it equal the rows its page lists (inactive and out-of-scope units,
units without a list, drafts without problems, every day around the due date)."""

import datetime as dt
import random

import pytest
from django.db import connection

from tests.concurrency import second_writer_does_not_wait
from tests.factories import make_unit
from tests.rectification.test_review_support import add_milestone, add_problem, at
from tests.rectification.test_rollups import filing_recount_in_python
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.rectification import rollup_triggers
from zuofeng.rectification.models import FilingRollup, Ledger, LedgerState, Problem
from zuofeng.rectification.selectors import milestone
from zuofeng.rectification.selectors.milestone import CHASEABLE, FilingStatus, milestone_tracking
from zuofeng.rectification.services.rollups import filing_compact, rollups_rebuild, rollups_stored

pytestmark = pytest.mark.django_db

DUE = dt.date(2018, 9, 15)
DAYS = [dt.date(2018, 9, 10), DUE, dt.date(2018, 9, 16), dt.date(2018, 10, 30)]


def counts_from_rows(tracking) -> dict:
    """What the page lists, counted in Python: the figures the counts must equal."""
    rows = tracking.rows
    return {
        "counts": {s: sum(r.status == s for r in rows) for s in FilingStatus.values},
        "late": sum(r.late for r in rows),
        "chase": sum(r.late and r.status in CHASEABLE for r in rows),
        "total": len(rows),
    }


def counts_of(tracking) -> dict:
    return {
        "counts": tracking.counts,
        "late": tracking.late_count,
        "chase": tracking.chase_count,
        "total": tracking.total,
    }


def assert_exact(campaign, office) -> None:
    assert rollups_stored()["filing"] == filing_recount_in_python()
    for today in DAYS:
        tracking = milestone_tracking(user=office, campaign=campaign, today=today)
        assert counts_of(tracking) == counts_from_rows(tracking), today
        # the home page's first late units, found by walking the official order, are the list's first
        chased = [unit.pk for unit in tracking.chase_units]
        for limit in (1, 3, 10):
            assert tracking._walk(limit) == chased[:limit]
            assert [unit.pk for unit in tracking.chase_first(limit)] == chased[:limit]


class Script:
    """Random writes to lists, problems and units, through the ORM paths the product and loaders use."""

    def __init__(self, rng, campaign, units):
        self.rng, self.campaign, self.units = rng, campaign, units

    def ledgers(self):
        return list(Ledger.objects.filter(campaign=self.campaign).order_by("pk"))

    def ledger_create(self):
        free = [u for u in self.units if not Ledger.objects.filter(campaign=self.campaign, unit=u).exists()]
        if free:
            Ledger.objects.create(campaign=self.campaign, unit=self.rng.choice(free))

    def problem_add(self):
        if ledgers := self.ledgers():
            ledger = self.rng.choice(ledgers)
            add_problem(ledger, order=Problem.objects.filter(ledger=ledger).count() + 1, measures=0)

    def problem_delete(self):
        if problems := list(Problem.objects.filter(ledger__campaign=self.campaign).order_by("pk")):
            self.rng.choice(problems).delete()  # its measures go with it

    def state_move(self):
        if ledgers := self.ledgers():
            ledger = self.rng.choice(ledgers)
            first = self.rng.choice([None, at(2018, 9, 15, 23, 59), at(2018, 9, 16, 0, 0), at(2018, 9, 1)])
            state = self.rng.choice(LedgerState.values)
            Ledger.objects.filter(pk=ledger.pk).update(state=state, first_submitted_at=first)

    def bulk_submit(self):
        """One statement over many lists (as an import or a script would)."""
        Ledger.objects.filter(campaign=self.campaign, state=LedgerState.DRAFT).update(
            state=LedgerState.SUBMITTED, first_submitted_at=at(2018, 9, 14)
        )

    def ledger_delete(self):
        if ledgers := self.ledgers():
            self.rng.choice(ledgers).delete()  # cascades to its problems and measures

    def unit_toggle(self):
        unit = self.rng.choice(self.units)
        Unit.objects.filter(pk=unit.pk).update(is_active=not Unit.objects.get(pk=unit.pk).is_active)

    def unit_functions(self):
        unit = self.rng.choice(self.units)
        Unit.objects.filter(pk=unit.pk).update(
            kind=UnitKind.SUBORDINATE, functions=self.rng.choice([[], ["approval"], ["unknown"]])
        )

    STEPS = ("ledger_create",) * 3 + ("problem_add",) * 3 + (
        "problem_delete", "problem_delete", "state_move", "state_move", "bulk_submit", "ledger_delete",
        "unit_toggle", "unit_functions",
    )  # fmt: skip

    def step(self) -> str:
        name = self.rng.choice(self.STEPS)
        getattr(self, name)()
        return name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_filing_counts_equal_a_recount_and_the_rows_after_random_writes(seed, campaign, org, people, monkeypatch):
    monkeypatch.setattr(milestone, "WALK", 2)  # several reads per walk over these few units
    add_milestone(campaign)
    extra = [make_unit(name=f"科室{i}", kind=UnitKind.SECTION, parent=org.dept_b, order=10 + i) for i in range(4)]
    units = [org.dept_a, org.section_a1, org.section_a2, org.dept_b, org.section_b1, *extra]
    script = Script(random.Random(seed), campaign, units)
    done = []
    for _ in range(40):
        done.append(script.step())
        assert rollups_stored()["filing"] == filing_recount_in_python(), f"after {done}"
    assert_exact(campaign, people.office)
    stored = rollups_stored()["filing"]
    assert filing_compact() == len(stored) == FilingRollup.objects.count()  # one row per key left at non-zero
    assert rollups_stored()["filing"] == stored
    assert_exact(campaign, people.office)


def test_office_counts_exact_with_inactive_and_out_of_scope_units(campaign, org, people):
    add_milestone(campaign)
    gone = make_unit(name="已撤销科室", kind=UnitKind.SECTION, parent=org.dept_b, order=8, is_active=False)
    bare = make_unit(name="无职能下属单位", kind=UnitKind.SUBORDINATE, parent=org.dept_b, order=9)
    for unit in (gone, bare):  # lists of units the page leaves out: in the roll-up, not in the counts
        ledger = Ledger.objects.create(campaign=campaign, unit=unit, state=LedgerState.SUBMITTED)
        Ledger.objects.filter(pk=ledger.pk).update(first_submitted_at=at(2018, 9, 20))
    Ledger.objects.create(campaign=campaign, unit=org.dept_a)  # no problem: 未开始
    drafting = Ledger.objects.create(campaign=campaign, unit=org.section_a1)
    add_problem(drafting, order=1, measures=0)
    on_time = Ledger.objects.create(campaign=campaign, unit=org.section_a2)
    Ledger.objects.filter(pk=on_time.pk).update(state=LedgerState.APPROVED, first_submitted_at=at(2018, 9, 15, 23, 59))
    tracking = milestone_tracking(user=people.office, campaign=campaign, today=dt.date(2018, 9, 20))
    # D01 未开始 (an empty list), D01S01 起草中, D01S01X and D02 and D02S01 have no list, D01S02 on time
    assert tracking.counts == {"not_started": 4, "drafting": 1, "submitted": 0, "returned": 0, "approved": 1}
    assert (tracking.total, tracking.late_count, tracking.chase_count) == (6, 5, 5)
    assert sum(FilingRollup.objects.values_list("n", flat=True)) == 5  # every list, the left-out units' too
    assert_exact(campaign, people.office)


def test_missing_filing_triggers_are_reinstalled_and_recounted(campaign, org):
    """What post_migrate does after a migration rebuilt the list table on SQLite."""
    Ledger.objects.create(campaign=campaign, unit=org.dept_a)
    rollup_triggers.remove(connection)
    Ledger.objects.create(campaign=campaign, unit=org.section_a1)
    assert rollups_stored()["filing"] != filing_recount_in_python()
    assert rollup_triggers.ensure(connection) is True
    assert (
        rollups_stored()["filing"]
        == filing_recount_in_python()
        == {(campaign.pk, "not_started", FilingRollup.NEVER): 2}
    )
    Ledger.objects.create(campaign=campaign, unit=org.section_a2)
    assert rollups_stored()["filing"] == filing_recount_in_python()


def test_rebuild_recounts_the_filing_counts(campaign, org):
    Ledger.objects.create(campaign=campaign, unit=org.dept_a)
    FilingRollup.objects.update(n=99)
    rollups_rebuild()
    assert rollups_stored()["filing"] == {(campaign.pk, "not_started", FilingRollup.NEVER): 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_a_list_filed_while_another_transaction_holds_its_count_does_not_wait(campaign, org):
    """Two clerks starting lists at once move the same key (未开始, never submitted): the second must
    not wait for the first to commit, as it would on one shared row (signed rows are appended)."""

    def second() -> None:
        ledger = Ledger.objects.create(campaign=campaign, unit=org.section_a1)
        add_problem(ledger, order=1, measures=0)

    second_writer_does_not_wait(lambda: Ledger.objects.create(campaign=campaign, unit=org.dept_a), second)
    assert (
        rollups_stored()["filing"]
        == filing_recount_in_python()
        == {
            (campaign.pk, "not_started", FilingRollup.NEVER): 1,
            (campaign.pk, "drafting", FilingRollup.NEVER): 1,
        }
    )
