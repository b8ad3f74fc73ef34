"""Snapshot stability, deliberate recomputation, adjustments (audited, within limits), objections, publishing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assessment.support import compute, items_of
from zuofeng.assessment.models import Adjustment, AssessmentRun, ObjectionState, UnitScore
from zuofeng.assessment.services.scores import item_adjust, run_publish
from zuofeng.assessment.workflow import objection_raise, objection_transition
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.rectification.models import MeasureState


def test_snapshot_does_not_move_when_records_do(district):
    run = compute(district.people.office, district.campaign)
    before = dict(UnitScore.objects.filter(run=run).values_list("unit_id", "total"))
    district.open_1.state, district.open_1.closed_on = MeasureState.CLOSED, dt.date(2018, 11, 1)
    district.open_1.save()
    assert dict(UnitScore.objects.filter(run=run).values_list("unit_id", "total")) == before
    overdue = items_of(run, district.org.dept_a)["overdue"]
    assert overdue.points == Decimal("-3.00") and len(overdue.records) == 3


def test_recomputing_needs_a_reason_and_gives_the_same_numbers(district):
    office = district.people.office
    first = compute(office, district.campaign)
    with pytest.raises(ValidationError) as refused:
        compute(office, district.campaign)
    assert refused.value.message_dict == {"reason": ["已有考核结果，重新计算须填写理由"]}
    second = compute(office, district.campaign, reason="核对数据")
    totals = lambda run: dict(UnitScore.objects.filter(run=run).values_list("unit_id", "total"))  # noqa: E731
    assert totals(second) == totals(first)
    assert AuditEntry.objects.filter(action="assessment.recompute", object_id=str(second.pk)).count() == 1
    assert AssessmentRun.objects.count() == 2


def test_adjustment_is_audited_rescored_and_carried_to_a_recomputation(district):
    office = district.people.office
    run = compute(office, district.campaign)
    overdue = items_of(run, district.org.dept_a)["overdue"]
    score = overdue.score
    item_adjust(actor=office, item=overdue, points="-1", reason="两项措施经核实已延期批准", version=score.version)
    score.refresh_from_db()
    assert score.computed_total == Decimal("46.50")
    # 100 × (40 × 16.5/40 + 20 × 10/20 + 20 × 0/20 + 20 × 10/10) / 100 + 2
    assert score.total == Decimal("48.50")
    entry = AuditEntry.objects.get(action="assessment.adjust")
    assert entry.before == {"item": "overdue", "points": "-3.00"}
    assert entry.after == {"item": "overdue", "points": "-1.00", "reason": "两项措施经核实已延期批准"}
    again = compute(office, district.campaign, reason="补录数据")
    carried = items_of(again, district.org.dept_a)["overdue"]
    assert (carried.computed, carried.points) == (Decimal("-3.00"), Decimal("-1.00"))
    assert carried.adjustments.get().reason == "沿用上次计算的调整：两项措施经核实已延期批准"


def test_adjustment_refused_without_reason_out_of_limits_or_by_a_unit(district):
    run = compute(district.people.office, district.campaign)
    overdue = items_of(run, district.org.dept_a)["overdue"]
    with pytest.raises(ValidationError) as refused:
        item_adjust(actor=district.people.office, item=overdue, points="-12", reason=" ")
    assert refused.value.message_dict == {"reason": ["请填写调整理由"], "points": ["得分超出本项的上下限"]}
    with pytest.raises(PermissionDenied):
        item_adjust(actor=district.people.reviewer, item=overdue, points="0", reason="自评")
    assert Adjustment.objects.count() == 0


def test_hand_item_is_entered_by_adjustment(district):
    run = compute(district.people.office, district.campaign)
    appraisal = items_of(run, district.town)["appraisal"]
    item_adjust(actor=district.people.office, item=appraisal, points="9.5", reason="民主测评优秀率 95%")
    score = UnitScore.objects.get(pk=appraisal.score_id)
    # town: 找差整改 30/40; 岗位建功 5 + 9.5 of 20; 攻坚 0 (no project); 督查 10/10 → 30 + 14.5 + 0 + 20
    assert score.total == Decimal("64.50")


def test_objection_flow(district):
    office, leader = district.people.office, district.people.reviewer
    run = compute(office, district.campaign)
    score = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    item = items_of(run, district.org.dept_a)["overdue"]
    objection = objection_raise(actor=leader, score=score, text="两项措施已批准延期", item=item)
    with pytest.raises(ValidationError) as twice:
        objection_raise(actor=leader, score=score, text="再提一次")
    assert twice.value.message_dict == {"text": ["本单位已有一条待答复的异议，请等待作风办答复"]}
    with pytest.raises(PermissionDenied):
        objection_transition(actor=leader, objection=objection, to=ObjectionState.ANSWERED, answer="自答")
    answered = objection_transition(
        actor=office, objection=objection, to=ObjectionState.ANSWERED, answer="已核实并调整"
    )
    assert (answered.state, answered.answer) == (ObjectionState.ANSWERED, "已核实并调整")
    trail = AuditEntry.objects.filter(action__in=["assessment.object", "assessment.answer"]).order_by("id")
    # raised, refused to the unit (denied, kept though the move rolled back), answered
    assert list(trail.values_list("action", "result")) == [
        ("assessment.object", "success"),
        ("assessment.answer", "denied"),
        ("assessment.answer", "success"),
    ]


def test_objection_only_by_the_unit_itself_and_within_the_window(district):
    run = compute(district.people.office, district.campaign)
    score_b = UnitScore.objects.get(run=run, unit=district.org.dept_b)
    with pytest.raises(PermissionDenied):
        objection_raise(actor=district.people.reviewer, score=score_b, text="替别人提")
    score_a = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    # five working days after the run finished (a Friday in this test): the Friday after next is too late
    finished = run.finished_at.date()
    late = finished + dt.timedelta(days=30)
    with clock.frozen(late), pytest.raises(ValidationError) as refused:
        objection_raise(actor=district.people.reviewer, score=score_a, text="太晚了")
    assert refused.value.message_dict["text"][0].startswith("异议期已过（截至 ")


def test_publish_once_and_only_the_latest(district):
    office = district.people.office
    first = compute(office, district.campaign)
    compute(office, district.campaign, reason="补录")
    with pytest.raises(ValidationError) as refused:
        run_publish(actor=office, run=first)
    assert refused.value.messages == ["只能公布最新一次计算的结果"]
    latest = AssessmentRun.objects.order_by("-id").first()
    assert run_publish(actor=office, run=latest).published_at is not None
    with pytest.raises(ValidationError):
        run_publish(actor=office, run=latest)
    with pytest.raises(PermissionDenied):
        run_publish(actor=district.people.reviewer, run=latest)


def test_a_run_whose_worker_died_does_not_block_the_next(district):
    import datetime as dt

    from zuofeng.assessment.models import RunState
    from zuofeng.assessment.services.scores import run_request

    stuck = AssessmentRun.objects.create(
        campaign=district.campaign,
        cutoff=dt.date(2018, 12, 31),
        state=RunState.RUNNING,
        heartbeat_at=clock.now() - dt.timedelta(hours=2),
    )
    run = compute(district.people.office, district.campaign)
    stuck.refresh_from_db()
    assert stuck.state == RunState.FAILED and run.state == RunState.DONE
    AssessmentRun.objects.create(campaign=district.campaign, cutoff=dt.date(2018, 12, 31), state=RunState.QUEUED)
    with pytest.raises(ValidationError) as refused:
        run_request(actor=district.people.office, campaign=district.campaign, cutoff=dt.date(2018, 12, 31), reason="x")
    assert refused.value.messages == ["考核得分正在计算中，请等待完成后再操作"]
