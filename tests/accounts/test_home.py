"""「我的工作」 tells each role what is really in its queue — tested with work present and absent."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import Role, make_user
from tests.rectification.test_dashboard_data import make_measure, make_problem
from zuofeng.campaigns.models import Award, Milestone
from zuofeng.core import clock
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Score
from zuofeng.rectification.models import Ledger, LedgerState, Light, MeasureState

TODAY = dt.date(2018, 10, 1)
DEADLINE = timezone.make_aware(dt.datetime(2018, 11, 1, 23, 59, 59))


def text(user) -> str:
    with clock.frozen(TODAY):
        html = login(user).get("/").content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def seeded(campaign):
    """The rectification campaign of tests/rectification with its 9月15日 milestone."""
    Milestone.objects.create(
        campaign=campaign, key="plan", name="完成找差和整改措施制定", due_on=dt.date(2018, 9, 15),
        applies_to="rectification",
    )  # fmt: skip
    return campaign


# ── 评审专家 ───────────────────────────────────────────────────────────────


@pytest.fixture
def star(seeded):
    return Award.objects.create(
        campaign=seeded, key="star", name="十佳优秀服务明星", kind="individual", deadline=DEADLINE, order=1,
        criteria=[{"name": "服务态度", "weight": 40}, {"name": "履职成效", "weight": 60}],
    )  # fmt: skip


def nominate(award, unit, title, state=NominationState.JUDGING):
    return Nomination.objects.create(award=award, campaign=award.campaign, unit=unit, title=title, state=state)


def test_judge_without_assignments_is_told_so(people, seeded):
    page = text(people.judge)
    assert "当前没有分配给您的评审任务。" in page
    assert "待您评分" not in page


def test_judge_sees_unscored_nominations_by_award_with_links(people, org, star):
    JudgeAssignment.objects.create(award=star, judge=people.judge)
    done = nominate(star, org.dept_a, "王五")
    half = nominate(star, org.section_a1, "李四")
    fresh = nominate(star, org.dept_b, "赵六")
    nominate(star, org.section_b1, "钱七", state=NominationState.SUBMITTED)  # not in judging yet
    for criterion in (0, 1):
        Score.objects.create(nomination=done, judge=people.judge, criterion=criterion, score=Decimal(90))
    Score.objects.create(nomination=half, judge=people.judge, criterion=0, score=Decimal(80))
    page = text(people.judge)
    assert "当前没有分配给您的评审任务" not in page
    assert "待您评分的申报 2 件。" in page
    assert "十佳优秀服务明星：未评分 2 件（共 3 件，申报截止 2018年11月1日）" in page
    assert "李四（区财政局·预算科）" in page
    assert "赵六（区商务局）" in page
    html = login(people.judge).get("/").content.decode()
    assert reverse("nominations:score", args=[half.pk]) in html
    assert reverse("nominations:score", args=[fresh.pk]) in html
    assert reverse("nominations:score", args=[done.pk]) not in html


def test_judge_who_scored_everything_is_told_so(people, org, star):
    JudgeAssignment.objects.create(award=star, judge=people.judge)
    done = nominate(star, org.dept_a, "王五")
    for criterion in (0, 1):
        Score.objects.create(nomination=done, judge=people.judge, criterion=criterion, score=Decimal(90))
    assert "分配给您的申报都已评分。" in text(people.judge)


# ── 督查员、作风办 ─────────────────────────────────────────────────────────


@pytest.fixture
def late_and_overdue(seeded, org):
    """预算科 filed on 9月14日 but has an overdue measure; 国库科 and the others never filed."""
    problem = make_problem(
        seeded, org.section_a1, ledger_state=LedgerState.APPROVED, category="duty", symptom="tuiwei", source="self",
        description="推诿",
    )  # fmt: skip
    Ledger.objects.filter(unit=org.section_a1).update(
        first_submitted_at=timezone.make_aware(dt.datetime(2018, 9, 14, 10, 0))
    )
    make_measure(
        problem, "实行首问负责制", state=MeasureState.IN_PROGRESS, light=Light.RED, deadline=dt.date(2018, 9, 20)
    )
    make_measure(problem, "限时办结", state=MeasureState.IN_PROGRESS, light=Light.GREEN, deadline=dt.date(2018, 12, 1),
                 order=2)  # fmt: skip


def test_inspector_with_nothing_late(people, seeded, org):
    Ledger.objects.bulk_create(
        Ledger(campaign=seeded, unit=u, first_submitted_at=timezone.make_aware(dt.datetime(2018, 9, 10)))
        for u in (org.dept_a, org.section_a1, org.section_a2, org.sub_a1x, org.dept_b, org.section_b1)
    )
    page = text(people.inspector)
    assert "当前没有分配给您的督查任务" not in page
    assert "督查范围：全区，共 6 个应报送整改清单的单位。" in page
    assert "没有逾期的整改措施。" in page
    assert "完成找差和整改措施制定（2018年9月15日截止）：没有逾期未报送的单位。" in page


def test_inspector_sees_overdue_measures_and_late_lists(people, late_and_overdue):
    page = text(people.inspector)
    assert "逾期未完成的整改措施 1 项： 实行首问负责制（区财政局·预算科，2018年9月20日到期）" in page
    assert (
        "完成找差和整改措施制定（2018年9月15日截止）逾期未报送的单位 5 个："
        "区财政局、区财政局·预算科·财政服务中心、区财政局·国库科、区商务局、区商务局·外贸科"
    ) in page


def test_scoped_inspector_sees_only_their_units(late_and_overdue, org):
    inspector = make_user("inspector_b", role=Role.INSPECTOR, unit=org.dept_b)
    page = text(inspector)
    assert "督查范围：区商务局，共 2 个应报送整改清单的单位。" in page
    assert "没有逾期的整改措施。" in page
    assert "逾期未报送的单位 2 个：区商务局、区商务局·外贸科" in page


def test_office_sees_the_district_and_the_opinions_waiting(people, late_and_overdue, star, org):
    nominate(star, org.dept_a, "王五", state=NominationState.SUBMITTED)
    page = text(people.office)
    assert "逾期未完成的整改措施 1 项" in page
    assert "逾期未报送的单位 5 个" in page
    assert "待签署审核意见的申报 1 件" in page
    assert "十佳优秀服务明星：王五（区财政局）" in page


def test_office_with_nothing_waiting(people, seeded):
    page = text(people.office)
    assert "没有待签署审核意见的申报。" in page
    assert "没有逾期的整改措施。" in page


# ── 单位管理员、科室填报员 ─────────────────────────────────────────────────


def test_leader_sees_opinions_for_units_they_review(people, star, org):
    nominate(star, org.section_a1, "李四", state=NominationState.SUBMITTED)
    nominate(star, org.section_b1, "钱七", state=NominationState.SUBMITTED)  # reviewed by 区商务局
    page = text(people.reviewer)
    assert "待签署审核意见的申报 1 件" in page
    assert "十佳优秀服务明星：李四（区财政局·预算科）" in page
    assert "钱七" not in page


def test_leader_with_nothing_waiting(people, seeded):
    page = text(people.reviewer)
    assert "没有待签署审核意见的申报。" in page
    assert "区财政局整改清单：尚未建立" in page


def test_clerk_sees_own_list_and_overdue_measure(people, late_and_overdue):
    page = text(people.own_clerk)
    assert "区财政局·预算科整改清单：已通过" in page
    assert "已逾期的整改措施：实行首问负责制（区财政局·预算科，2018年9月20日到期）" in page
    assert "待签署审核意见" not in page  # a clerk gives no opinions
    assert "督查范围" not in page  # no inspector block (the menu 督查问责 holds its 自查自纠 report)


def test_clerk_with_nothing_yet(people, seeded):
    page = text(people.own_clerk)
    assert "区财政局·预算科整改清单：尚未建立" in page
    assert "已逾期的整改措施" not in page


def test_home_names_units_in_one_query_each_page(people, late_and_overdue, django_assert_max_num_queries):
    # A fixed budget (the first request after login also writes the session and reads the policy),
    # far below one query per unit or measure named on the page. Each domain's card (通知, 群众反映,
    # 年终考核) adds its own fixed reads.
    with django_assert_max_num_queries(50), clock.frozen(TODAY):
        assert login(people.office).get("/").status_code == 200


def test_separated_admins_have_no_business_cards(people, seeded):
    for user in (people.sysadmin, people.secadmin, people.auditor):
        page = text(user)
        assert "督查范围" not in page and "待您评分" not in page and "审核意见" not in page


# ── 三员 ────────────────────────────────────────────────────────────────────


def test_sysadmin_counts_are_exact(people, org):
    assert "单位 6 个，人员 4 名，启用账号 10 个。" in text(people.sysadmin)


def test_security_admin_sees_locked_accounts_only_when_there_are_some(people):
    from zuofeng.accounts.models import LoginAttempt

    assert "当前没有被锁定的账号。" in text(people.secadmin)
    LoginAttempt.objects.create(
        username="clerk_a1", failures=5, locked_until=timezone.make_aware(dt.datetime(2018, 10, 1, 9, 30))
    )
    page = text(people.secadmin)
    assert "当前锁定的账号：clerk_a1（至 2018年10月1日 09:30）" in page


def test_auditor_sees_todays_counts(people):
    from zuofeng.audit.services import audit_record

    with clock.frozen(TODAY):
        audit_record(actor=people.own_clerk, action="ledger.view", result="denied")
        audit_record(actor=people.own_clerk, action="ledger.view")
    page = text(people.auditor)
    assert "今天被拒绝或失败的操作：1 次。" in page
