"""印发 → one copy per addressed unit; 签收 once per unit; 转发 down the unit's own tree; 催办."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import Role, make_user
from tests.notices.conftest import copy_of, draft, issue
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.notices.models import Delivery, Forwarding
from zuofeng.notices.selectors.delivery import delivery_tree, forward_targets, my_copies, unsigned_rows
from zuofeng.notices.services.delivery import deliveries_chase, delivery_acknowledge, notice_forward
from zuofeng.notices.tasks.delivery import notice_chase_due
from zuofeng.notices.workflow import notice_transition
from zuofeng.reminders.models import Reminder


def test_issuing_delivers_one_copy_to_each_addressed_unit(org, people):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    assert sorted(Delivery.objects.filter(notice=notice).values_list("unit__code", "acknowledged_at")) == [
        ("D01", None),
        ("D02", None),
    ]
    entry = AuditEntry.objects.filter(action="notice.issue").get()
    assert entry.after == {"doc_number": "武作组办〔2018〕1号", "units": 2, "printed_on": "2018-09-03"}


def test_issuing_twice_is_refused_and_only_the_office_issues(org, people):
    notice = draft(people.office, [org.dept_a])
    with pytest.raises(PermissionDenied):
        notice_transition(actor=people.reviewer, notice=notice, to="issued")
    assert AuditEntry.objects.filter(action="notice.manage", result="denied").count() == 1
    notice_transition(actor=people.office, notice=notice, to="issued")
    with pytest.raises(ValidationError) as error:
        notice_transition(actor=people.office, notice=notice, to="issued")
    assert error.value.messages == ["该通知已印发，不能重复印发。"]
    assert Delivery.objects.filter(notice=notice).count() == 1


def test_a_notice_without_addressees_is_not_issued(org, people):
    notice = draft(people.office, [])
    with pytest.raises(ValidationError) as error:
        notice_transition(actor=people.office, notice=notice, to="issued")
    assert error.value.message_dict == {"addressees": ["请选择至少一个主送单位，印发后各单位据此签收。"]}
    assert notice.number is None and Delivery.objects.count() == 0


def test_signing_twice_is_one_signature(org, people):
    notice = issue(people.office, [org.dept_a])
    clerk = make_user("clerk_a", role=Role.SECTION_CLERK, unit=org.dept_a)
    first = delivery_acknowledge(actor=people.reviewer, delivery=copy_of(notice, org.dept_a))
    again = delivery_acknowledge(actor=clerk, delivery=copy_of(notice, org.dept_a))
    assert (again.acknowledged_by, again.acknowledged_at) == (people.reviewer, first.acknowledged_at)
    assert AuditEntry.objects.filter(action="notice.acknowledge").count() == 1


def test_only_the_units_own_people_sign(org, people):
    notice = issue(people.office, [org.dept_a])
    for outsider in (people.other_leader, people.office, people.own_clerk, people.inspector):
        with pytest.raises(PermissionDenied):
            delivery_acknowledge(actor=outsider, delivery=copy_of(notice, org.dept_a))
    assert copy_of(notice, org.dept_a).acknowledged_at is None


def test_forwarding_reaches_the_subtree_signs_the_own_copy_and_keeps_its_printed_line(org, people):
    notice = issue(people.office, [org.dept_a])
    forwarding = notice_forward(
        actor=people.reviewer,
        delivery=copy_of(notice, org.dept_a),
        unit_ids=[org.section_a1.pk, org.sub_a1x.pk],
        text="请各科室认真学习。",
        printed_by="武进区财政局办公室",
        printed_on=dt.date(2018, 9, 5),
    )
    assert copy_of(notice, org.dept_a).acknowledged_by == people.reviewer
    assert (forwarding.printed_by, forwarding.printed_on, forwarding.text) == (
        "武进区财政局办公室",
        dt.date(2018, 9, 5),
        "请各科室认真学习。",
    )
    section_copy = copy_of(notice, org.section_a1)
    assert (section_copy.from_unit, section_copy.forwarding) == (org.dept_a, forwarding)
    delivery_acknowledge(actor=people.own_clerk, delivery=section_copy)
    tree = delivery_tree(notice=notice)
    assert [(n.delivery.unit.code, [c.delivery.unit.code for c in n.children]) for n in tree] == [
        ("D01", ["D01S01", "D01S01X"])
    ]
    assert tree[0].forwarded == [forwarding]


def test_forwarding_outside_the_own_tree_is_refused_and_nothing_saved(org, people):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    with pytest.raises(ValidationError) as error:
        notice_forward(
            actor=people.reviewer,
            delivery=copy_of(notice, org.dept_a),
            unit_ids=[org.section_b1.pk],
            text="",
            printed_by="",
            printed_on=None,
        )
    assert error.value.message_dict == {
        "units": ["只能转发给本单位的下属单位、内设科室或本单位审核的单位。"],
        "printed_by": ["请填写印发机关（如：某某局办公室）。"],
    }
    assert Forwarding.objects.count() == 0 and copy_of(notice, org.dept_a).acknowledged_at is None
    with pytest.raises(PermissionDenied):  # a clerk signs but does not forward
        notice_forward(
            actor=people.other_leader,
            delivery=copy_of(notice, org.dept_a),
            unit_ids=[org.section_a1.pk],
            text="",
            printed_by="x",
            printed_on=None,
        )


def test_a_unit_already_holding_a_copy_gets_no_second(org, people):
    notice = issue(people.office, [org.dept_a, org.section_a1])
    notice_forward(
        actor=people.reviewer,
        delivery=copy_of(notice, org.dept_a),
        unit_ids=[org.section_a1.pk, org.section_a2.pk],
        text="",
        printed_by="武进区财政局办公室",
        printed_on=None,
    )
    assert Delivery.objects.filter(notice=notice).count() == 3
    assert copy_of(notice, org.section_a1).from_unit is None  # still the office's copy


def test_forward_targets_are_the_subtree_and_reviewed_units(org):
    org.section_b1.reviewer = org.dept_a
    org.section_b1.save()
    assert [u.code for u in forward_targets(org.dept_a)] == ["D01S01", "D01S01X", "D01S02", "D02S01"]


def test_the_unsigned_table_and_one_click_chase(org, people):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    delivery_acknowledge(actor=people.reviewer, delivery=copy_of(notice, org.dept_a))
    rows = unsigned_rows(notice=notice, user=people.office)
    assert [(r.unit_name, r.from_name) for r in rows] == [("区商务局", "作风办")]
    chased = deliveries_chase(
        actor=people.office, deliveries=[copy_of(notice, org.dept_b), copy_of(notice, org.dept_a)]
    )
    assert chased == 1
    reminder = Reminder.objects.get(recipient=people.other_leader)
    assert (reminder.kind, reminder.title) == (
        "manual",
        "催办：请签收《关于开展作风效能专项督查的通知》（武作组办〔2018〕1号）",
    )
    assert copy_of(notice, org.dept_b).chase_count == 1
    with pytest.raises(PermissionDenied):
        deliveries_chase(actor=people.other_leader, deliveries=[copy_of(notice, org.dept_b)])


def test_automatic_chase_after_two_working_days_once_a_day(org, people, wujin):
    with clock.frozen(dt.datetime(2018, 9, 3, 9, 0)):  # Monday
        notice = issue(people.office, [org.dept_a, org.dept_b], campaign_id=wujin.pk)
    with clock.frozen(dt.date(2018, 9, 4)):
        assert notice_chase_due() == 0  # one working day
    with clock.frozen(dt.date(2018, 9, 5)):
        assert notice_chase_due() == 2
        assert notice_chase_due() == 0  # the second run that day sends nothing
    with clock.frozen(dt.date(2018, 9, 8)):  # Saturday
        assert notice_chase_due() == 0
    assert copy_of(notice, org.dept_a).chase_count == 1
    assert Reminder.objects.filter(kind="manual", recipient=people.reviewer).count() == 1


def test_my_copies_are_the_ones_the_person_signs_for(org, people):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    assert [(c.unit.code, c.may_forward) for c in my_copies(people.reviewer, notice)] == [("D01", True)]
    assert my_copies(people.office, notice) == []
