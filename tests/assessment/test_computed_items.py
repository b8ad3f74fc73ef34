"""Each computed item on fixed data (conftest.district); the source-app items on their own data are in
test_source_items.py."""

from decimal import Decimal

from tests.assessment.support import compute, items_of
from zuofeng.assessment import items
from zuofeng.assessment.models import ItemStatus, RunState, UnitScore

SOURCE_KEYS = ("paper-closeout", "findings", "accountability", "briefing", "projects", "complaints", "satisfaction")


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


def test_source_items_with_no_records(district):
    run = compute(district.people.office, district.campaign)
    a = items_of(run, district.org.dept_a)
    points = {key: (a[key].status, a[key].points, a[key].detail) for key in SOURCE_KEYS}
    assert points == {
        "paper-closeout": (ItemStatus.COMPUTED, Decimal("0.00"), "纸面销号 0 项 × -2.00 分"),
        "findings": (ItemStatus.COMPUTED, Decimal("0.00"), "无"),
        "accountability": (ItemStatus.COMPUTED, Decimal("0.00"), "无"),
        "briefing": (ItemStatus.COMPUTED, Decimal("0.00"), "被采用 0 项 × 0.50 分"),
        "projects": (ItemStatus.COMPUTED, Decimal("0.00"), "无已通过审核的攻坚项目"),
        "complaints": (ItemStatus.COMPUTED, Decimal("10.00"), "截止日前无到期投诉，按满分计"),
        # no survey result at all: skipped for the unit, never zero
        "satisfaction": (
            ItemStatus.SKIPPED,
            None,
            "无已公布的满意度测评结果（有效份数未达最少份数），本项不计分、不计入满分",
        ),
    }
    assert a["appraisal"].status == ItemStatus.HAND and a["appraisal"].points is None


def test_a_source_app_not_installed_is_skipped_not_zero(district, monkeypatch):
    monkeypatch.setattr(items, "source_ready", lambda kind: kind.source != "complaints")
    run = compute(district.people.office, district.campaign)
    a = items_of(run, district.org.dept_a)
    assert (a["complaints"].status, a["complaints"].points) == (ItemStatus.SKIPPED, None)
    assert a["complaints"].detail == "来源尚未启用（群众投诉 模块未上线），本项不计分、不计入满分"
    # 督查 group: complaints and satisfaction both out, full marks 0 → the group drops out; the rest scale to 100
    # dept_a: 100 × (14.5 + 10 + 0) / 80 + 2
    assert a["overdue"].score.total == Decimal("32.63")


def test_totals_from_the_default_rubric(district):
    run = compute(district.people.office, district.campaign)
    totals = dict(UnitScore.objects.filter(run=run).values_list("unit__name", "total"))
    # every group counts: 找差整改 40, 岗位建功 20 (民主测评 not yet scored), 攻坚 20 (no project: 0),
    # 督查 20 (no complaint due: 10 of 10; satisfaction skipped; no finding or case)
    # dept_a: 10 + 7.5 − 3 = 14.5 of 40; 10 of 20; 0; 10 of 10 → 14.5 + 10 + 0 + 20 = 44.5; + 2 bonus
    assert totals["武进区财政局"] == Decimal("46.50")
    # dept_b: 0 + 30 + 0 = 30 of 40; 5 of 20; 0; 20 → 55
    assert totals["武进区商务局"] == Decimal("55.00")
    # town: 0 + 30 + 0 = 30; 5 of 20 (十佳 ≤ 1 met with none); 0; 20 → 55
    assert totals["湖塘镇"] == Decimal("55.00")
