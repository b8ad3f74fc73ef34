"""Problems put into a unit's list from outside (督查发现, 群众提): written like the unit's own, waiting for
the unit's measures and review; the list's state is left alone; bad input saves nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import ItemReview, Ledger, LedgerState, Problem
from zuofeng.rectification.services.ledger import measure_create
from zuofeng.rectification.services.outside import problem_create_from_outside


def _create(campaign, org, people, **overrides):
    fields = {
        "actor": people.office,
        "unit": org.section_a1,
        "campaign": campaign,
        "source_kind": "organisation",
        "category": campaign.categories.get(key="duty"),
        "description": "  窗口对材料不全的办事群众未一次性告知  ",
        "found_on": dt.date(2018, 10, 10),
        "origin": "督查发现",
        "deadline": dt.date(2018, 10, 31),
        "source_detail": "第一轮专项督查",
    }
    return problem_create_from_outside(**{**fields, **overrides})


def test_a_unit_without_a_list_gets_one_holding_the_problem(campaign, org, people):
    problem = _create(campaign, org, people)

    ledger = Ledger.objects.get(unit=org.section_a1, campaign=campaign)
    assert problem.ledger_id == ledger.pk
    assert ledger.state == LedgerState.DRAFT
    assert (problem.description, problem.origin, problem.origin_deadline) == (
        "窗口对材料不全的办事群众未一次性告知",
        "督查发现",
        dt.date(2018, 10, 31),
    )
    assert (problem.source.key, problem.review, problem.order) == ("organisation", ItemReview.PENDING, 1)
    assert problem.recorded_by == people.office
    entry = AuditEntry.objects.get(action="problem.create_from_outside")
    assert entry.after["来源标记"] == "督查发现"
    assert entry.after["整改期限"] == "2018-10-31"


def test_an_approved_list_stays_approved_until_the_unit_adds_measures(ledger, campaign, org, people):
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.APPROVED)

    problem = _create(campaign, org, people, source_kind="public", origin="群众提")

    ledger.refresh_from_db()
    assert ledger.state == LedgerState.APPROVED
    assert problem.source.key == "public"
    measure_create(
        actor=people.own_clerk,
        problem=problem,
        text="当场一次性告知并出具清单",
        starts_on=dt.date(2018, 11, 1),
        deadline=dt.date(2018, 11, 30),
    )
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": "   "}, "请填写问题描述。"),
        ({"deadline": dt.date(2018, 10, 1)}, "整改期限不能早于发现日期。"),
        ({"source_kind": "nowhere"}, "活动定义中没有“nowhere”类的问题来源，无法转入整改清单。"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_saves_nothing(campaign, org, people, overrides, message):
    with pytest.raises(ValidationError) as raised:
        _create(campaign, org, people, **overrides)

    assert message in str(raised.value)
    assert Problem.objects.count() == 0
    assert AuditEntry.objects.filter(action="problem.create_from_outside").count() == 0
