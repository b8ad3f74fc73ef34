"""Judges per award, opening judging, scoring with conflict exclusion, selecting the winners."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import Role, make_unit, make_user
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Score
from zuofeng.nominations.selectors.judging import award_ranking, judge_nominations
from zuofeng.nominations.services.judging import (
    judge_assign,
    judge_unassign,
    judging_open,
    results_select,
    score_save,
)
from zuofeng.organisation.models import Unit

pytestmark = pytest.mark.django_db
S = NominationState
AFTER = timezone.make_aware(dt.datetime(2018, 11, 10, 9, 0))


@pytest.fixture(autouse=True)
def _after_deadline():
    with clock.frozen(AFTER):
        yield


def nominate(award, unit, state=S.JUDGING, title="", **data) -> Nomination:
    return Nomination.objects.create(
        award=award, campaign=award.campaign, unit=unit, title=title or unit.display_name, state=state, data=data
    )


@pytest.fixture
def dept_c(org):
    """区教育局, reviewed by 区商务局 (dept_b)."""
    unit = make_unit(name="武进区教育局", short_name="区教育局", order=3, code="D03")
    Unit.objects.filter(pk=unit.pk).update(reviewer=org.dept_b)
    unit.refresh_from_db()
    return unit


@pytest.fixture
def judge_b(org, star_award, people):
    """A judge working at 区商务局: must never judge 区商务局 nor 区教育局 (which it reviews)."""
    judge = make_user("judge_b", role=Role.JUDGE, person_unit=org.dept_b)
    JudgeAssignment.objects.create(award=star_award, judge=judge, assigned_by=people.office)
    return judge


@pytest.fixture
def in_judging(star_award, org, dept_c):
    return [nominate(star_award, unit) for unit in (org.dept_a, org.dept_b, dept_c)]


def test_judge_assign_by_office_audited(star_award, people):
    created = judge_assign(actor=people.office, award=star_award, judges=[people.judge])
    again = judge_assign(actor=people.office, award=star_award, judges=[people.judge])
    assert ([a.judge for a in created], again) == ([people.judge], [])
    assert list(AuditEntry.objects.values_list("action", "after")) == [("judging.assign", {"judge": "judge"})]


def test_judge_assign_refuses_non_judge_accounts(star_award, people):
    with pytest.raises(ValidationError) as refused:
        judge_assign(actor=people.office, award=star_award, judges=[people.own_clerk])
    assert refused.value.message_dict == {"judges": ["clerk_a1姓名 不是评审专家账号，不能分配。"]}
    assert not JudgeAssignment.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "judge", "sysadmin"])
def test_judge_assign_by_others_denied(star_award, people, who):
    with pytest.raises(PermissionDenied):
        judge_assign(actor=getattr(people, who), award=star_award, judges=[people.judge])
    assert AuditEntry.objects.get().result == "denied"


def test_judge_unassign_refused_once_scored(star_award, in_judging, judge_b, people):
    score_save(actor=judge_b, nomination=in_judging[0], scores=[(0, D(80), ""), (1, D(90), "")])
    with pytest.raises(ValidationError, match="已经评分，不能取消分配"):
        judge_unassign(actor=people.office, award=star_award, judge=judge_b)
    judge_assign(actor=people.office, award=star_award, judges=[people.judge])
    judge_unassign(actor=people.office, award=star_award, judge=people.judge)
    assert list(JudgeAssignment.objects.values_list("judge__username", flat=True)) == ["judge_b"]


def test_judging_open_moves_submitted_and_opinion_given_only(star_award, org, dept_c, people, judge_b):
    submitted = nominate(star_award, org.dept_a, S.SUBMITTED)
    signed = nominate(star_award, org.dept_b, S.OPINION_GIVEN)
    draft = nominate(star_award, dept_c, S.DRAFT)
    assert judging_open(actor=people.office, award=star_award) == 2
    states = dict(Nomination.objects.values_list("pk", "state"))
    assert states == {submitted.pk: S.JUDGING, signed.pk: S.JUDGING, draft.pk: S.DRAFT}
    assert AuditEntry.objects.filter(action="nomination.judging").count() == 2
    assert AuditEntry.objects.filter(action="judging.open").get().after == {"moved": 2}


def test_judging_open_refused_before_deadline_or_without_judges(star_award, people):
    on_deadline_day = clock.frozen(timezone.make_aware(dt.datetime(2018, 11, 1, 12, 0)))
    with on_deadline_day, pytest.raises(ValidationError, match="截止后才能开始评审"):
        judging_open(actor=people.office, award=star_award)
    with pytest.raises(ValidationError, match="请先分配评审专家"):
        judging_open(actor=people.office, award=star_award)


def test_judge_never_sees_own_unit_nor_reviewed_units(star_award, in_judging, judge_b, org):
    assert judge_nominations(user=judge_b, award=star_award) == [in_judging[0]]


def test_unassigned_judge_sees_nothing(star_award, in_judging, people):
    assert judge_nominations(user=people.judge, award=star_award) == []


@pytest.mark.parametrize("index", [1, 2])
def test_judge_scoring_own_or_reviewed_unit_denied_and_audited(star_award, in_judging, judge_b, index):
    with pytest.raises(PermissionDenied):
        score_save(actor=judge_b, nomination=in_judging[index], scores=[(0, D(99), ""), (1, D(99), "")])
    assert not Score.objects.exists()
    assert list(AuditEntry.objects.values_list("action", "result")) == [("nomination.judge", "denied")]


def test_score_save_upserts_and_audits(in_judging, judge_b):
    target = in_judging[0]
    score_save(actor=judge_b, nomination=target, scores=[(0, D("80"), "热情"), (1, D("90.5"), "")])
    score_save(actor=judge_b, nomination=target, scores=[(0, D("85"), "热情周到"), (1, D("90.5"), "")])
    rows = list(Score.objects.order_by("criterion").values_list("criterion", "score", "comment"))
    assert rows == [(0, D("85.00"), "热情周到"), (1, D("90.50"), "")]
    audits = list(AuditEntry.objects.order_by("id").values_list("action", "before", "after"))
    assert audits == [
        ("nomination.score", None, {"0": "80", "1": "90.5"}),
        ("nomination.score", {"0": "80.00", "1": "90.50"}, {"0": "85", "1": "90.5"}),
    ]


@pytest.mark.parametrize(
    ("scores", "errors"),
    [
        ([(0, "101", ""), (1, "50", "")], {"score_0": ["“服务态度”的得分须在 0 到 100 之间。"]}),
        ([(0, "-1", ""), (1, "50", "")], {"score_0": ["“服务态度”的得分须在 0 到 100 之间。"]}),
        ([(0, "八十", ""), (1, "50", "")], {"score_0": ["“服务态度”的得分须为数字。"]}),
        ([(0, "80.123", ""), (1, "50", "")], {"score_0": ["“服务态度”的得分最多保留两位小数。"]}),
        ([(0, "80", "")], {"score_1": ["请为“履职成效”评分。"]}),
        ([(0, "80", "好" * 501), (1, "50", "")], {"comment_0": ["“服务态度”的评语不能超过 500 字。"]}),
    ],
)
def test_score_save_bad_input_refused_nothing_saved(in_judging, judge_b, scores, errors):
    with pytest.raises(ValidationError) as refused:
        score_save(actor=judge_b, nomination=in_judging[0], scores=scores)
    assert refused.value.message_dict == errors
    assert not Score.objects.exists()


def test_score_save_unknown_criterion_refused(in_judging, judge_b):
    with pytest.raises(ValidationError, match="评分项编号 5 不正确"):
        score_save(actor=judge_b, nomination=in_judging[0], scores=[(5, D(1), "")])


def test_score_save_outside_judging_refused(star_award, org, judge_b):
    decided = nominate(star_award, org.dept_a, S.SELECTED)
    with pytest.raises(ValidationError, match="不在评审中，不能评分"):
        score_save(actor=judge_b, nomination=decided, scores=[(0, D(80), ""), (1, D(80), "")])


def test_results_select_decides_every_nomination_and_audits_each(star_award, in_judging, people):
    selected, rest = results_select(actor=people.office, award=star_award, selected_ids=[in_judging[1].pk])
    states = [Nomination.objects.get(pk=n.pk).state for n in in_judging]
    assert (selected, rest, states) == (1, 2, [S.NOT_SELECTED, S.SELECTED, S.NOT_SELECTED])
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "nomination.not_selected",
        "nomination.selected",
        "nomination.not_selected",
        "award.results_select",
    ]
    assert AuditEntry.objects.get(action="award.results_select").after == {
        "selected": [in_judging[1].pk],
        "not_selected": 2,
        "winners": 10,
    }


def test_results_select_over_winners_needs_confirmation(star_award, in_judging, people):
    star_award.winners = 1
    star_award.save()
    ids = [in_judging[0].pk, in_judging[1].pk]
    with pytest.raises(ValidationError) as refused:
        results_select(actor=people.office, award=star_award, selected_ids=ids)
    assert refused.value.message_dict == {
        "selected": ["已选 2 名，超过评选名额 1 名；确需超额入选，请勾选“确认超出名额”。"]
    }
    assert Nomination.objects.filter(state=S.JUDGING).count() == 3
    assert results_select(actor=people.office, award=star_award, selected_ids=ids, allow_over_quota=True) == (2, 1)


def test_results_select_refuses_empty_or_foreign_ids(star_award, case_award, org, in_judging, people):
    other = nominate(case_award, org.dept_a)
    with pytest.raises(ValidationError, match="请至少选择 1 个入选申报"):
        results_select(actor=people.office, award=star_award, selected_ids=[])
    with pytest.raises(ValidationError, match="不在本奖项的评审中"):
        results_select(actor=people.office, award=star_award, selected_ids=[other.pk])


@pytest.mark.parametrize("who", ["reviewer", "judge"])
def test_results_select_by_others_denied(star_award, in_judging, people, who):
    with pytest.raises(PermissionDenied):
        results_select(actor=getattr(people, who), award=star_award, selected_ids=[in_judging[0].pk])
    assert Nomination.objects.filter(state=S.JUDGING).count() == 3


def test_award_ranking_from_database_scores(star_award, in_judging, judge_b, people, org):
    judge_a = make_user("judge_a", role=Role.JUDGE, person_unit=org.dept_a)
    judge_assign(actor=people.office, award=star_award, judges=[judge_a, people.judge])
    score_save(actor=judge_b, nomination=in_judging[0], scores=[(0, D("80"), ""), (1, D("90"), "")])  # 86.00
    score_save(actor=people.judge, nomination=in_judging[0], scores=[(0, D("70"), ""), (1, D("75"), "")])  # 73.00
    score_save(actor=judge_a, nomination=in_judging[1], scores=[(0, D("79.5"), ""), (1, D("79.5"), "")])  # 79.50
    score_save(actor=people.judge, nomination=in_judging[2], scores=[(0, D("100"), ""), (1, D("59.17"), "")])
    rows = award_ranking(award=star_award)
    assert [(r.nomination.unit.code, r.aggregate, r.judges, r.rank, r.tie) for r in rows] == [
        ("D01", D("79.50"), 2, 1, True),
        ("D02", D("79.50"), 1, 1, True),
        ("D03", D("75.50"), 1, 3, False),
    ]


def test_award_ranking_median_from_campaign_definition(star_award, in_judging, judge_b, people, org):
    campaign = star_award.campaign
    campaign.definition = {"awards": [{"key": "service-star", "judging": {"aggregate": "median"}}]}
    campaign.save()
    judge_c = make_user("judge_c", role=Role.JUDGE)
    judge_assign(actor=people.office, award=star_award, judges=[people.judge, judge_c])
    for judge, score in ((judge_b, "60"), (people.judge, "90"), (judge_c, "95")):
        score_save(actor=judge, nomination=in_judging[0], scores=[(0, D(score), ""), (1, D(score), "")])
    assert award_ranking(award=star_award)[0].aggregate == D("90.00")
