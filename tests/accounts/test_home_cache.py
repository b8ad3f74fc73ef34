"""The home page's 督查 and 作风办 cards are cached under the dashboard's change marker: a person gets
exactly their own units' card, and every write the card shows is on the next page (decisions §50).
Two processes: tests/ops/test_two_processes.py."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.accounts.test_home import TODAY, late_and_overdue, seeded, text  # noqa: F401 - fixtures
from tests.conftest import login
from tests.factories import Role, make_user
from tests.rectification.test_dashboard_data import make_measure
from zuofeng.campaigns.models import Milestone
from zuofeng.core import clock
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, LedgerState, Light, Measure, MeasureState, Problem
from zuofeng.rectification.selectors import inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch):
    """Whose 督查 card was computed (not read from the cache)."""
    calls = []
    real = inspection._computed

    def counting(**kwargs):
        calls.append(kwargs["user"].username)
        return real(**kwargs)

    monkeypatch.setattr(inspection, "_computed", counting)
    return calls


def fresh(user) -> str:
    cache.clear()
    return text(user)


@pytest.fixture
def inspector_b(org):
    return make_user("inspector_b", role=Role.INSPECTOR, unit=org.dept_b)


def test_each_person_gets_the_card_of_exactly_their_own_units(people, late_and_overdue, inspector_b):  # noqa: F811
    order = [people.office, inspector_b, people.inspector, inspector_b, people.office, people.inspector]
    pages = {user.username: text(user) for user in order}
    for user in order:
        assert pages[user.username] == fresh(user)
    scoped = pages["inspector_b"]
    assert "督查范围：区商务局，共 2 个应报送整改清单的单位。" in scoped
    assert "没有逾期的整改措施。" in scoped
    assert "逾期未报送的单位 2 个：区商务局、区商务局·外贸科" in scoped
    assert "预算科" not in scoped and "实行首问负责制" not in scoped
    assert "逾期未完成的整改措施 1 项： 实行首问负责制（区财政局·预算科，2018年9月20日到期）" in pages["office"]


def test_the_card_is_computed_once_until_a_write(people, late_and_overdue, inspector_b, computed):  # noqa: F811
    for user in (people.office, people.office, inspector_b, inspector_b, people.office):
        text(user)
    assert computed == ["office", "inspector_b"]


def _new_overdue_measure(org, campaign):
    problem = Problem.objects.get(unit=org.section_a1)
    make_measure(problem, "压缩办理时限", state=MeasureState.IN_PROGRESS, light=Light.RED,
                 deadline=dt.date(2018, 9, 25), order=3)  # fmt: skip


def _measure_closed(org, campaign):
    Measure.objects.filter(text="实行首问负责制").update(state=MeasureState.CLOSED, closed_on=dt.date(2018, 9, 30))


def _list_filed_on_time(org, campaign):
    Ledger.objects.create(
        campaign=campaign, unit=org.section_a2, state=LedgerState.SUBMITTED,
        first_submitted_at=timezone.make_aware(dt.datetime(2018, 9, 15, 16, 0)),
        submitted_at=timezone.make_aware(dt.datetime(2018, 9, 15, 16, 0)),
    )  # fmt: skip


def _unit_renamed(org, campaign):
    Unit.objects.filter(pk=org.dept_b.pk).update(name="区商务和投资促进局", short_name="区商务和投资促进局")


def _unit_out_of_scope(org, campaign):
    Unit.objects.filter(pk=org.sub_a1x.pk).update(functions=[])


def _unit_deactivated(org, campaign):
    Unit.objects.filter(pk=org.section_b1.pk).update(is_active=False)


def _milestone_moved(org, campaign):
    Milestone.objects.filter(campaign=campaign, applies_to="rectification").update(due_on=dt.date(2018, 10, 8))


def _milestone_renamed(org, campaign):
    Milestone.objects.filter(campaign=campaign, applies_to="rectification").update(name="完成整改措施制定")


WRITES = {
    "new overdue measure": (_new_overdue_measure, "逾期未完成的整改措施 2 项"),
    "measure closed": (_measure_closed, "没有逾期的整改措施。"),
    "list filed on time": (_list_filed_on_time, "逾期未报送的单位 4 个"),
    "unit renamed": (_unit_renamed, "区商务和投资促进局·外贸科"),
    "unit out of scope": (_unit_out_of_scope, "共 5 个应报送整改清单的单位"),
    "unit deactivated": (_unit_deactivated, "逾期未报送的单位 4 个"),
    "milestone moved": (_milestone_moved, "（2018年10月8日截止）：没有逾期未报送的单位。"),
    "milestone renamed": (_milestone_renamed, "完成整改措施制定（2018年9月15日截止）逾期未报送的单位 5 个"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_after_a_write_the_card_shows_it_on_the_next_page(people, late_and_overdue, org, seeded, write):  # noqa: F811
    change, shown = write
    before = text(people.office)
    assert shown not in before
    change(org, seeded)
    after = text(people.office)
    assert shown in after
    assert after == fresh(people.office)


def test_a_measures_new_text_shows_without_computing_the_card_again(people, late_and_overdue, computed):  # noqa: F811
    assert "实行首问负责制" in text(people.office)
    Measure.objects.filter(text="实行首问负责制").update(text="推行首问负责制")
    page = text(people.office)
    assert "逾期未完成的整改措施 1 项： 推行首问负责制（区财政局·预算科，2018年9月20日到期）" in page
    assert computed == ["office"]


def test_the_office_card_counts_units_after_one_is_added(people, seeded, org):  # noqa: F811
    assert "全区共有 2 个区级机关部门、镇（街道）和开发区，6 个单位" in text(people.office)
    Unit.objects.create(name="区审计局", code="D03", kind=org.dept_a.kind)
    assert "全区共有 3 个区级机关部门、镇（街道）和开发区，7 个单位" in text(people.office)


def test_a_measure_falls_overdue_when_the_day_turns(people, late_and_overdue):  # noqa: F811
    """No write, but the day is part of the key."""
    assert "逾期未完成的整改措施 1 项" in text(people.office)
    with clock.frozen(dt.date(2018, 12, 2)):
        html = login(people.office).get("/").content.decode()
    assert "逾期未完成的整改措施 2 项" in html
