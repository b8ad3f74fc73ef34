"""Each computed item on fixed data (conftest.district), and the items whose source is not there yet."""

from decimal import Decimal

from tests.assessment.support import compute, items_of
from zuofeng.assessment.models import ItemStatus, RunState, UnitScore


def test_run_computes_every_assessed_unit(district):
    run = compute(district.people.office, district.campaign)
    assert run.state == RunState.DONE
    assert (run.total, run.done) == (3, 3)
    units = set(UnitScore.objects.filter(run=run).values_list("unit__name", "ranking"))
    assert units == {("武进区财政局", "departments"), ("武进区商务局", "departments"), ("湖塘镇", "grassroots")}


def test_milestone_on_time(district):
    run = compute(district.people.office, district.campaign)
    a, b, town = (items_of(run, u)["plan-on-time"] for u in (district.org.dept_a, district.org.dept_b, district.town))
    assert (a.points, a.detail) == (Decimal("10.00"), "1 份清单均按时审核通过")
    assert a.records == [{"type": "ledger", "id": district.ledger_a.pk}]
    assert (b.points, b.detail) == (Decimal("0.00"), "1 份清单未在 2018-09-15 前审核通过")
    assert b.records == [{"type": "ledger", "id": district.ledger_b.pk}]
    assert (town.points, town.detail) == (Decimal("0.00"), "未提交整改清单（2018-09-15 前应审核通过）")


def test_completion_rate_counts_closures_by_the_cutoff(district):
    run = compute(district.people.office, district.campaign)
    a = items_of(run, district.org.dept_a)["completion"]
    # due by 12-31: four; closed by then: one → 25 % of 30 points
    assert (a.points, a.detail) == (Decimal("7.50"), "到期 4 项，已销号 1 项，完成率 25.00%")
    assert [r["id"] for r in a.records] == [district.closed_late.pk, district.open_1.pk, district.open_2.pk]
    assert items_of(run, district.org.dept_b)["completion"].points == Decimal("30.00")
    assert items_of(run, district.town)["completion"].detail == "截止日前无到期措施，按满分计"


def test_overdue_measures_deduct_per_item(district):
    run = compute(district.people.office, district.campaign)
    a = items_of(run, district.org.dept_a)["overdue"]
    assert (a.points, a.detail) == (Decimal("-3.00"), "逾期未完成 3 项 × -1.00 分")
    assert [r["id"] for r in a.records] == [district.closed_late.pk, district.open_1.pk, district.open_2.pk]
    assert items_of(run, district.org.dept_b)["overdue"].points == Decimal("0.00")


def test_overdue_floor(district):
    problem = district.open_1.problem
    for _ in range(12):
        district.open_1.pk = None
        district.open_1.save()
    run = compute(district.people.office, district.campaign)
    overdue = items_of(run, district.org.dept_a)["overdue"]
    assert overdue.points == Decimal("-10.00")  # 15 overdue, floor −10
    assert len(overdue.records) == 15
    assert problem.measures.count() == 17


def test_nomination_quotas_and_awards(district):
    run = compute(district.people.office, district.campaign)
    a = items_of(run, district.org.dept_a)
    assert (a["star-quota"].points, a["case-quota"].points) == (Decimal("5.00"), Decimal("5.00"))
    assert a["star-quota"].detail == "报送「十佳优秀服务明星」1 项（要求至多 1 项），符合"
    assert (a["awards"].points, a["awards"].records) == (
        Decimal("2.00"),
        [{"type": "nomination", "id": district.case_a.pk}],
    )
    b = items_of(run, district.org.dept_b)
    # 十佳 ≤ 1 is met by none; 事例 ≥ 1 is not
    assert (b["star-quota"].points, b["case-quota"].points) == (Decimal("5.00"), Decimal("0.00"))
    assert b["case-quota"].detail == "报送「优质服务事例」0 项（要求至少 1 项），不符合"


def test_sources_not_there_are_skipped_not_zero(district):
    run = compute(district.people.office, district.campaign)
    a = items_of(run, district.org.dept_a)
    for key in ("paper-closeout", "projects", "complaints", "satisfaction", "findings", "accountability", "briefing"):
        assert (a[key].status, a[key].points) == (ItemStatus.SKIPPED, None), key
        assert a[key].detail.startswith("来源尚未启用"), key
    assert a["appraisal"].status == ItemStatus.HAND and a["appraisal"].points is None


def test_totals_from_the_default_rubric(district):
    run = compute(district.people.office, district.campaign)
    totals = dict(UnitScore.objects.filter(run=run).values_list("unit__name", "total"))
    # groups counted: 找差整改 (40, full 40) and 岗位建功 (20, full 20 incl. 民主测评 not yet scored)
    # dept_a: 10 + 7.5 − 3 = 14.5 of 40; 10 of 20 → 100 × (40×14.5/40 + 20×10/20) / 60 = 40.83; + 2 bonus
    assert totals["武进区财政局"] == Decimal("42.83")
    # dept_b: 0 + 30 + 0 = 30 of 40; 5 of 20 → 100 × (30 + 5) / 60 = 58.33
    assert totals["武进区商务局"] == Decimal("58.33")
    # town: 0 + 30 + 0 = 30; 5 of 20 (十佳 ≤ 1 met with none)
    assert totals["湖塘镇"] == Decimal("58.33")
