"""Editing the list item by item: who may, what is locked, stale versions, audit and search text."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import ItemReview, Ledger, LedgerState, Light, Measure, MeasureState, Problem
from zuofeng.rectification.services import ledger as services

pytestmark = pytest.mark.django_db

D = dt.date


def new_problem(ledger, campaign, actor, description="审批环节多，材料反复提交", **extra):
    values = {
        "category": campaign.categories.get(key="duty"),
        "symptom": campaign.symptoms.get(key="tuiwei"),
        "source": campaign.sources.get(key="self"),
        "found_on": D(2018, 9, 1),
        **extra,
    }
    return services.problem_create(actor=actor, ledger=ledger, description=description, **values)


def new_measure(problem, actor, text="推行一次告知制度", **extra):
    values = {"starts_on": D(2018, 9, 16), "deadline": D(2018, 12, 31), **extra}
    return services.measure_create(actor=actor, problem=problem, text=text, **values)


def test_problem_create_by_own_clerk_sets_order_bigrams_key_and_audit(ledger, campaign, people):
    first = new_problem(ledger, campaign, people.own_clerk, source_detail="", benchmarks=campaign.benchmarks.all())
    second = new_problem(ledger, campaign, people.own_clerk, description="推诿扯皮")
    assert (first.order, second.order) == (1, 2)
    assert first.unit_id == ledger.unit_id
    assert first.recorded_by == people.own_clerk
    assert second.search_bigrams == "推诿 诿扯 扯皮"
    assert len(first.import_key) == 64
    assert list(first.benchmarks.values_list("key", flat=True)) == ["masses"]
    entry = AuditEntry.objects.get(action="problem.create", object_id=str(first.pk))
    assert entry.after["问题描述"] == "审批环节多，材料反复提交"
    assert entry.after["对照内容"] == "对照企业、基层、群众期盼诉求"


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "reviewer", "office", "inspector"])
def test_problem_create_by_others_is_denied_and_recorded(ledger, campaign, people, who):
    with pytest.raises(PermissionDenied):
        new_problem(ledger, campaign, getattr(people, who))
    assert Problem.objects.count() == 0
    assert AuditEntry.objects.filter(action="problem.create", result="denied").count() == 1


def test_problem_symptom_of_other_category_is_refused_at_field(ledger, campaign, people):
    with pytest.raises(ValidationError) as error:
        new_problem(ledger, campaign, people.own_clerk, symptom=campaign.symptoms.get(key="pirou"))
    assert error.value.message_dict == {"symptom": ["“疲软症”不属于“责任中梗阻”"]}


def test_problem_blank_description_is_refused(ledger, campaign, people):
    with pytest.raises(ValidationError) as error:
        new_problem(ledger, campaign, people.own_clerk, description="  ")
    assert error.value.message_dict == {"description": ["请填写问题描述"]}


def test_problem_update_bumps_version_and_records_before_after(problem_with_measure, campaign, people):
    problem, _ = problem_with_measure
    updated = services.problem_update(
        actor=people.own_clerk, problem=problem, version=1, data={"description": "审批推诿，群众多跑腿"}
    )
    assert updated.version == 2
    assert "审批" in updated.search_bigrams.split()
    entry = AuditEntry.objects.get(action="problem.update")
    assert entry.before["问题描述"] == "窗口办件推诿扯皮，群众多次跑腿"
    assert entry.after["问题描述"] == "审批推诿，群众多跑腿"


def test_problem_update_with_stale_version_is_refused_with_other_values(problem_with_measure, people):
    problem, _ = problem_with_measure
    services.problem_update(actor=people.own_clerk, problem=problem, version=1, data={"description": "第一人修改"})
    with pytest.raises(services.StaleVersion) as error:
        services.problem_update(actor=people.own_clerk, problem=problem, version=1, data={"description": "第二人修改"})
    assert error.value.message.startswith("该条目已被 clerk_a1姓名 于 ")
    assert error.value.message.endswith(" 修改，请核对后再保存。")
    assert error.value.current["问题描述"] == "第一人修改"
    problem.refresh_from_db()
    assert (problem.description, problem.version) == ("第一人修改", 2)


def test_approved_problem_is_locked(problem_with_measure, people):
    problem, measure = problem_with_measure
    Problem.objects.filter(pk=problem.pk).update(review=ItemReview.APPROVED)
    problem.refresh_from_db()
    with pytest.raises(ValidationError, match="锁定"):
        services.problem_update(actor=people.own_clerk, problem=problem, version=1, data={"description": "改"})
    with pytest.raises(ValidationError, match="变更申请"):
        new_measure(problem, people.own_clerk)
    with pytest.raises(ValidationError, match="锁定"):
        services.measure_update(actor=people.own_clerk, measure=measure, version=1, data={"text": "改"})
    with pytest.raises(ValidationError, match="锁定"):
        services.measure_delete(actor=people.own_clerk, measure=measure)
    with pytest.raises(ValidationError, match="锁定"):
        services.problem_delete(actor=people.own_clerk, problem=problem)
    assert Measure.objects.get(pk=measure.pk).text == "实行首问负责制，一次告知办理要求"


def test_submitted_ledger_cannot_be_edited(problem_with_measure, people, campaign):
    problem, _ = problem_with_measure
    Ledger.objects.filter(pk=problem.ledger_id).update(state=LedgerState.SUBMITTED)
    problem.ledger.refresh_from_db()
    with pytest.raises(ValidationError, match="等待审核"):
        services.problem_update(actor=people.own_clerk, problem=problem, version=1, data={"description": "改"})
    with pytest.raises(ValidationError, match="等待审核"):
        new_problem(problem.ledger, campaign, people.own_clerk)


def test_adding_to_approved_ledger_moves_it_back_to_draft(problem_with_measure, people, campaign):
    problem, _ = problem_with_measure
    Ledger.objects.filter(pk=problem.ledger_id).update(state=LedgerState.APPROVED)
    Problem.objects.filter(pk=problem.pk).update(review=ItemReview.APPROVED)
    ledger = Ledger.objects.get(pk=problem.ledger_id)
    added = new_problem(ledger, campaign, people.own_clerk, description="新查摆的问题")
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT
    assert ledger.events.get().to_state == LedgerState.DRAFT
    assert added.order == 2
    assert Problem.objects.get(pk=problem.pk).review == ItemReview.APPROVED


def test_measure_create_ongoing_and_light(problem_with_measure, people):
    problem, _ = problem_with_measure
    measure = new_measure(problem, people.own_clerk, text="长期坚持周例会", deadline=None, is_ongoing=True)
    assert (measure.order, measure.is_ongoing, measure.deadline, measure.light) == (2, True, None, Light.NONE)
    assert measure.deadline_label == "长期坚持"
    assert measure.campaign_id == problem.ledger.campaign_id


@pytest.mark.parametrize(
    ("deadline", "ongoing", "message"),
    [
        (None, False, "请填写完成时限，或选择“长期坚持”"),
        (D(2018, 12, 31), True, "已选择“长期坚持”，不应再填写完成时限"),
        (D(2018, 9, 1), False, "完成时限不能早于开始日期"),
    ],
)
def test_measure_deadline_or_ongoing_exactly_one(problem_with_measure, people, deadline, ongoing, message):
    problem, _ = problem_with_measure
    with pytest.raises(ValidationError) as error:
        new_measure(problem, people.own_clerk, deadline=deadline, is_ongoing=ongoing)
    assert error.value.message_dict == {"deadline": [message]}
    assert problem.measures.count() == 1


def test_measure_person_must_be_in_responsible_unit(problem_with_measure, people, org):
    problem, _ = problem_with_measure
    with pytest.raises(ValidationError) as error:
        new_measure(problem, people.own_clerk, responsible_person=people.sibling_clerk.person)
    assert error.value.message_dict == {"responsible_person": ["clerk_a2姓名不在预算科"]}
    with pytest.raises(ValidationError) as error:
        new_measure(problem, people.own_clerk, responsible_unit=org.section_a2)
    assert error.value.message_dict == {"responsible_unit": ["责任单位应为预算科或其下属单位"]}
    measure = new_measure(problem, people.own_clerk, responsible_person=people.own_clerk.person)
    assert "clerk" in measure.search_bigrams.split()


def test_measure_update_stale_version_refused(problem_with_measure, people):
    _, measure = problem_with_measure
    services.measure_update(actor=people.own_clerk, measure=measure, version=1, data={"standard": "甲"})
    with pytest.raises(services.StaleVersion) as error:
        services.measure_update(actor=people.own_clerk, measure=measure, version=1, data={"standard": "乙"})
    assert error.value.current["整改标准"] == "甲"
    assert Measure.objects.get(pk=measure.pk).standard == "甲"


def test_measure_update_by_reviewer_is_denied(problem_with_measure, people):
    _, measure = problem_with_measure
    with pytest.raises(PermissionDenied):
        services.measure_update(actor=people.reviewer, measure=measure, version=1, data={"text": "改"})


def test_delete_renumbers_and_audits(problem_with_measure, people, campaign):
    problem, measure = problem_with_measure
    second = new_measure(problem, people.own_clerk, text="第二条")
    services.measure_delete(actor=people.own_clerk, measure=measure, version=1)
    second.refresh_from_db()
    assert second.order == 1
    other = new_problem(problem.ledger, campaign, people.own_clerk)
    services.problem_delete(actor=people.own_clerk, problem=problem)
    other.refresh_from_db()
    assert other.order == 1
    assert AuditEntry.objects.get(action="problem.delete").before["整改措施"] == ["第二条"]


def test_measure_delete_in_progress_is_locked(problem_with_measure, people):
    _, measure = problem_with_measure
    Measure.objects.filter(pk=measure.pk).update(state=MeasureState.IN_PROGRESS)
    with pytest.raises(ValidationError, match="锁定"):
        services.measure_delete(actor=people.own_clerk, measure=measure)


def test_reorder_problems_and_measures(problem_with_measure, people, campaign):
    problem, measure = problem_with_measure
    ledger = problem.ledger
    other = new_problem(ledger, campaign, people.own_clerk)
    ids = services.moved([problem.pk, other.pk], other.pk, -1)
    services.problem_reorder(actor=people.own_clerk, ledger=ledger, ordered_ids=ids)
    assert list(ledger.problems.order_by("order").values_list("pk", flat=True)) == [other.pk, problem.pk]
    second = new_measure(problem, people.own_clerk, text="第二条")
    services.measure_reorder(actor=people.own_clerk, problem=problem, ordered_ids=[second.pk, measure.pk])
    assert list(problem.measures.order_by("order").values_list("pk", flat=True)) == [second.pk, measure.pk]
    assert services.moved([1, 2], 1, -1) == [1, 2]
    with pytest.raises(ValidationError, match="刷新"):
        services.problem_reorder(actor=people.own_clerk, ledger=ledger, ordered_ids=[problem.pk])


def test_ledger_get_or_create_once_and_only_by_editor(campaign, org, people):
    with pytest.raises(PermissionDenied):
        services.ledger_get_or_create(actor=people.reviewer, unit=org.section_a1, campaign=campaign)
    ledger = services.ledger_get_or_create(actor=people.own_clerk, unit=org.section_a1, campaign=campaign)
    again = services.ledger_get_or_create(actor=people.own_clerk, unit=org.section_a1, campaign=campaign)
    assert ledger.pk == again.pk
    assert AuditEntry.objects.filter(action="ledger.create").count() == 1
