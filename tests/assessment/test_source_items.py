"""The items that read the other domains (督查问责, 活动信息, 攻坚项目, 群众投诉) on fixed records.

On top of conftest.district, as of the cut-off 2018-12-31 (records after it, or not yet decided, are
there too and must not count):
  区财政局 (dept_a, records partly on its section 预算科):
    6 纸面销号 (−2 each, floor −10); findings 一般 + 较重 + 严重 confirmed; one case decided 较重;
    9 活动信息 adopted (0.5 each, cap 4); one approved project, 3 milestones due, 1 met;
    4 complaints due, 3 answered in time; survey: 4 answers at the bureau (75 %), 3 at 预算科 (100 %).
  区商务局 (dept_b): 1 纸面销号; 3 严重 findings (floor −10); 3 adopted; an approved project with
    nothing due yet; 1 complaint due, not answered; 2 survey answers (below the minimum of 3).
  湖塘镇 (town): one case decided 一般; a draft project only; nothing else.
"""

import datetime as dt
from decimal import Decimal
from itertools import count

import pytest

from tests.assessment.conftest import aware
from tests.assessment.support import compute, items_of
from zuofeng.assessment.models import ItemStatus, UnitScore
from zuofeng.assessment.selectors.scores import item_records
from zuofeng.campaigns.models import KeyArea, ObstructionCategory
from zuofeng.campaigns.schema import SEVERITY_NAMES
from zuofeng.complaints.models import (
    Complaint,
    ComplaintKind,
    ComplaintState,
    ResponseStatus,
    SurveyPeriod,
    SurveyResponse,
)
from zuofeng.notices.models import InfoItem, InfoState
from zuofeng.projects.models import Milestone, Project, ProjectState
from zuofeng.rectification.models import Measure, MeasureState
from zuofeng.supervision.models import (
    AccountabilityCase,
    CaseOrigin,
    CaseState,
    Finding,
    FindingState,
    InspectionRound,
    RecheckItem,
    RecheckSample,
    Severity,
    Verdict,
)

SERIAL = count(1)


def _paper_closure(d, unit, checked_at, verdict=Verdict.NOT_FIXED):
    base = d.closed_in_time
    # 销号 early, due after the cut-off: it leaves the completion rate and the overdue count alone
    measure = Measure.objects.create(
        problem=base.problem, unit=unit, campaign=d.campaign, text="已销号措施", starts_on=base.starts_on,
        deadline=dt.date(2019, 3, 31), state=MeasureState.CLOSED, closed_on=dt.date(2018, 11, 30),
    )  # fmt: skip
    sample = RecheckSample.objects.create(campaign=d.campaign, name="回头看", scope="unit", size=1, seed=1)
    return RecheckItem.objects.create(sample=sample, measure=measure, unit=unit, verdict=verdict, checked_at=checked_at)


def _finding(d, unit, severity, found_on, state=FindingState.CONFIRMED):
    return Finding.objects.create(
        round=d.round, unit=unit, inspector=d.people.inspector, category=d.category, severity=severity,
        text=f"督查发现{next(SERIAL)}", found_on=found_on, state=state,
    )  # fmt: skip


def _case(d, unit, degree, decided_on, state=CaseState.DECIDED):
    return AccountabilityCase.objects.create(
        campaign=d.campaign, unit=unit, origin=CaseOrigin.OTHER, facts="事实", degree=degree, state=state,
        decided_on=decided_on,
    )  # fmt: skip


def _info(d, unit, decided_at, state=InfoState.ADOPTED):
    return InfoItem.objects.create(
        campaign=d.campaign, unit=unit, title=f"活动信息{next(SERIAL)}", text="内容", happened_on=dt.date(2018, 10, 1),
        state=state, reported_by=d.people.office, reported_at=aware(2018, 10, 1, 9, 0), decided_at=decided_at,
    )  # fmt: skip


def _project(d, unit, state=ProjectState.APPROVED, approved_at=None):
    return Project.objects.create(
        campaign=d.campaign, unit=unit, key_area=KeyArea.objects.filter(campaign=d.campaign).first(),
        title=f"攻坚项目{next(SERIAL)}", goal="目标", starts_on=dt.date(2018, 9, 1), deadline=dt.date(2019, 6, 30),
        state=state, approved_at=approved_at,
    )  # fmt: skip


def _complaint(d, unit, deadline, replied_on, kind=ComplaintKind.COMPLAINT, state=ComplaintState.CONCLUDED):
    n = next(SERIAL)
    return Complaint.objects.create(
        campaign=d.campaign, code=f"T{n:06d}", secret_hash="x", submission_key=f"k{n}", kind=kind, state=state,
        unit=unit, text_original="反映", text="反映", received_at=aware(2018, 10, 1, 9, 0), deadline=deadline,
        replied_on=replied_on,
    )  # fmt: skip


def _answers(d, unit, *scores, submitted_at=None, status=ResponseStatus.COUNTED):
    for attitude, speed in scores:
        SurveyResponse.objects.create(
            period=d.period, unit=unit, scores={"态度": attitude, "效率": speed}, device_key=f"dev{next(SERIAL)}",
            submitted_at=submitted_at or aware(2018, 11, 5, 9, 0), status=status,
        )  # fmt: skip


@pytest.fixture
def sourced(district):
    d, a, a1, b, town = district, district.org.dept_a, district.org.section_a1, district.org.dept_b, district.town
    d.round = InspectionRound.objects.create(
        campaign=d.campaign, name="第一轮专项督查", focus="service", starts_on=dt.date(2018, 11, 1),
        ends_on=dt.date(2018, 11, 30),
    )  # fmt: skip
    d.category = ObstructionCategory.objects.filter(campaign=d.campaign).first()
    # 纸面销号
    d.paper_a = [_paper_closure(d, a1, aware(2018, 12, 10, 9, 0)) for _ in range(6)]
    _paper_closure(d, a1, aware(2019, 1, 3, 9, 0))  # after the cut-off
    _paper_closure(d, a1, aware(2018, 12, 10, 9, 0), verdict=Verdict.FIXED)
    d.paper_b = _paper_closure(d, b, aware(2018, 12, 11, 9, 0))
    # findings
    d.findings_a = [
        _finding(d, a1, Severity.GENERAL, dt.date(2018, 11, 5)),
        _finding(d, a, Severity.SERIOUS, dt.date(2018, 11, 6)),
        _finding(d, a, Severity.GRAVE, dt.date(2018, 11, 7)),
    ]
    _finding(d, a, Severity.GRAVE, dt.date(2018, 11, 8), state=FindingState.DISMISSED)
    _finding(d, a, Severity.GRAVE, dt.date(2018, 11, 9), state=FindingState.RECORDED)
    _finding(d, a, Severity.GRAVE, dt.date(2019, 1, 2))
    for day in (5, 6, 7):
        _finding(d, b, Severity.GRAVE, dt.date(2018, 11, day))
    # accountability
    d.case_a = _case(d, a1, Severity.SERIOUS, dt.date(2018, 12, 20))
    _case(d, a, Severity.GRAVE, None, state=CaseState.OPEN)
    _case(d, a, Severity.GRAVE, dt.date(2019, 1, 5))
    d.case_town = _case(d, town, Severity.GENERAL, dt.date(2018, 12, 1))
    # 活动信息
    for _ in range(9):
        _info(d, a, aware(2018, 11, 1, 9, 0))
    _info(d, a, aware(2018, 11, 1, 9, 0), state=InfoState.DECLINED)
    _info(d, a, aware(2019, 1, 2, 9, 0))
    for _ in range(3):
        _info(d, b, aware(2018, 11, 1, 9, 0))
    # 攻坚 projects
    project_a = _project(d, a1, approved_at=aware(2018, 9, 20, 9, 0))
    d.met = Milestone.objects.create(
        project=project_a, title="一季度", due_on=dt.date(2018, 10, 31), done_on=dt.date(2018, 10, 30)
    )
    d.late = Milestone.objects.create(
        project=project_a, title="二季度", due_on=dt.date(2018, 11, 30), done_on=dt.date(2018, 12, 5)
    )
    d.undone = Milestone.objects.create(project=project_a, title="三季度", due_on=dt.date(2018, 12, 31), percent=60)
    Milestone.objects.create(project=project_a, title="四季度", due_on=dt.date(2019, 3, 31))
    project_b = _project(d, b, approved_at=aware(2018, 9, 25, 9, 0))
    Milestone.objects.create(project=project_b, title="一季度", due_on=dt.date(2019, 3, 31))
    _project(d, town, state=ProjectState.DRAFT)
    # complaints
    for replied in (dt.date(2018, 11, 1), dt.date(2018, 11, 10), dt.date(2018, 11, 15)):
        _complaint(d, a1, dt.date(2018, 11, 15), replied)
    d.late_complaint = _complaint(d, a, dt.date(2018, 11, 15), dt.date(2018, 11, 20))
    _complaint(d, a, dt.date(2018, 11, 15), None, kind=ComplaintKind.SUGGESTION)
    _complaint(d, a, dt.date(2018, 11, 15), None, state=ComplaintState.DECLINED)
    _complaint(d, a, dt.date(2019, 1, 10), None, state=ComplaintState.HANDLING)
    d.unanswered = _complaint(d, b, dt.date(2018, 12, 20), None, state=ComplaintState.HANDLING)
    # 满意度测评: minimum 3 counted answers
    d.period = SurveyPeriod.objects.create(
        campaign=d.campaign, name="2018年第四季度测评", items=["态度", "效率"], min_responses=3
    )
    SurveyPeriod.objects.filter(pk=d.period.pk).update(created_at=aware(2018, 11, 1, 9, 0))
    s, ok, no = "satisfied", "basically", "unsatisfied"
    _answers(d, a, (s, s), (s, ok), (no, s), (s, no))  # 态度 75 %, 效率 75 %
    _answers(d, a, (no, no), submitted_at=aware(2019, 1, 2, 9, 0))  # after the cut-off
    _answers(d, a, (no, no), status=ResponseStatus.SET_ASIDE)
    _answers(d, a1, (s, s), (s, s), (ok, s))  # 100 %
    _answers(d, b, (s, s), (s, s))  # 2 < 3: not published
    return d


@pytest.fixture
def sourced_run(sourced):
    return compute(sourced.people.office, sourced.campaign)


def _item(run, unit, key):
    item = items_of(run, unit)[key]
    return item.status, item.points, item.detail


def test_paper_closeout_per_item_with_floor(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["paper-closeout"]
    assert (a.points, a.detail) == (Decimal("-10.00"), "纸面销号 6 项 × -2.00 分")  # −12 held at the floor
    assert a.records == [{"type": "recheck", "id": r.pk} for r in sourced.paper_a]
    b = items_of(sourced_run, sourced.org.dept_b)["paper-closeout"]
    assert (b.points, b.records) == (Decimal("-2.00"), [{"type": "recheck", "id": sourced.paper_b.pk}])


def test_findings_weighted_by_severity(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["findings"]
    assert (a.points, a.detail) == (Decimal("-7.00"), "一般 1 项、较重 1 项、严重 1 项，计 -7.00 分")
    assert a.records == [{"type": "finding", "id": f.pk} for f in sourced.findings_a]
    assert _item(sourced_run, sourced.org.dept_b, "findings") == (
        ItemStatus.COMPUTED,
        Decimal("-10.00"),
        "严重 3 项，计 -12.00 分",
    )


def test_accountability_weighted_by_degree(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["accountability"]
    assert (a.points, a.detail, a.records) == (
        Decimal("-3.00"),
        "较重 1 项，计 -3.00 分",
        [{"type": "case", "id": sourced.case_a.pk}],
    )
    assert _item(sourced_run, sourced.town, "accountability")[1:] == (Decimal("-1.00"), "一般 1 项，计 -1.00 分")


def test_briefing_adopted_per_item_with_cap(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["briefing"]
    assert (a.points, a.detail, len(a.records)) == (Decimal("4.00"), "被采用 9 项 × 0.50 分", 9)  # 4.5 capped at 4
    assert _item(sourced_run, sourced.org.dept_b, "briefing")[1] == Decimal("1.50")


def test_project_milestones_rate(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["projects"]
    assert (a.points, a.detail) == (Decimal("6.67"), "到期节点 3 项，按期 1 项，按期率 33.33%")
    assert a.records == [{"type": "milestone", "id": m.pk} for m in (sourced.late, sourced.undone)]
    assert _item(sourced_run, sourced.org.dept_b, "projects")[1:] == (Decimal("20.00"), "截止日前无到期节点，按满分计")
    assert _item(sourced_run, sourced.town, "projects")[1:] == (Decimal("0.00"), "无已通过审核的攻坚项目")


def test_complaints_on_time_rate(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["complaints"]
    assert (a.points, a.detail) == (Decimal("7.50"), "到期投诉 4 项，按期 3 项，按期率 75.00%")
    assert a.records == [{"type": "complaint", "id": sourced.late_complaint.pk}]
    b = items_of(sourced_run, sourced.org.dept_b)["complaints"]
    assert (b.points, b.records) == (Decimal("0.00"), [{"type": "complaint", "id": sourced.unanswered.pk}])
    assert _item(sourced_run, sourced.town, "complaints")[1] == Decimal("10.00")


def test_satisfaction_from_published_results_only(sourced_run, sourced):
    a = items_of(sourced_run, sourced.org.dept_a)["satisfaction"]
    # bureau 75 % over 4 answers, 预算科 100 % over 3: (300 + 300) / 7 = 85.71 % of 10 points
    assert (a.points, a.detail) == (Decimal("8.57"), "测评有效 7 份（2 个单位），满意及基本满意 85.71%")
    assert a.records == [{"type": "survey", "id": sourced.period.pk}]
    for unit in (sourced.org.dept_b, sourced.town):  # below the minimum / no answers: skipped, not zero
        assert _item(sourced_run, unit, "satisfaction")[:2] == (ItemStatus.SKIPPED, None)


def test_totals_with_every_source(sourced_run, sourced):
    totals = dict(UnitScore.objects.filter(run=sourced_run).values_list("unit__name", "total"))
    # dept_a: 找差整改 10 + 7.5 − 3 − 10 = 4.5; 岗位建功 10; 攻坚 6.67; 督查 7.5 + 8.57 − 7 − 3 = 6.07 of 20;
    #         bonus 2 + 4 → 4.5 + 10 + 6.67 + 6.07 + 6
    assert totals["武进区财政局"] == Decimal("33.24")
    # dept_b: 30 − 2 = 28; 5; 20; 督查 0 − 10 → group floor 0 of 10 (satisfaction skipped); bonus 1.5
    assert totals["武进区商务局"] == Decimal("54.50")
    # town: 30; 5; 0; 督查 10 − 1 = 9 of 10 → 18
    assert totals["湖塘镇"] == Decimal("53.00")


def test_every_record_links_to_its_page(sourced_run, sourced):
    items = items_of(sourced_run, sourced.org.dept_a)
    lines = {key: item_records(items[key]) for key in ("paper-closeout", "findings", "accountability", "projects")}
    assert [line.url for line in lines["paper-closeout"]] == [
        f"/supervision/rechecks/{r.sample_id}/" for r in sourced.paper_a
    ]
    assert [line.kind for line in lines["findings"]] == ["督查发现"] * 3
    # a case line names the case, its degree and date; never the person or the facts
    assert [(line.label, line.detail) for line in lines["accountability"]] == [
        (f"问责案件 {sourced.case_a.pk}", "情节较重 · 决定 2018-12-20")
    ]
    assert [line.url for line in lines["projects"]] == [f"/projects/{sourced.late.project_id}/"] * 2
    for key in ("briefing", "complaints", "satisfaction"):
        assert len(item_records(items[key])) == len(items[key].records), key


def test_weights_are_named_by_the_severity_labels():
    assert tuple(label for _, label in Severity.choices) == SEVERITY_NAMES
