"""The reviewer's queue compiled once per person (decisions §57): equal to the ORM's queue for the
office, a leader and a scoped leader in mixed order, right after every kind of write, drawn rows
equal to what the template drew, and a fixed number of queries per page."""

import datetime as dt
import unicodedata

import pytest
from django.db.models import Count, Q
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.factories import make_user
from tests.rectification.test_review_support import add_problem, at, ledger_for
from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.core import clock
from zuofeng.core.cn import cn_datetime
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.models import ChangeRequest, ChangeState, ItemReview, Ledger, Measure, MeasureState
from zuofeng.rectification.selectors.review import QueueLine, _queues, review_queue
from zuofeng.rectification.services import review as services
from zuofeng.rectification.views import review_rows

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 10, 20)


def _orm_queue(user) -> tuple:
    """What the queue showed before §57: the ORM's querysets with select_related, as the page read them."""
    ledgers, changes, closes = _queues(user, None)
    ledgers = ledgers.select_related("unit", "unit__parent").annotate(
        pending_count=Count("problems", filter=Q(problems__review=ItemReview.PENDING))
    )
    ledgers = list(ledgers.order_by("submitted_at", "id"))
    changes = list(changes.select_related("measure__unit", "requested_by__person").order_by("created_at", "id"))
    closes = list(closes.select_related("unit").order_by("updated_at", "id"))
    units_qualify([lg.unit for lg in ledgers] + [c.measure.unit for c in changes] + [m.unit for m in closes])

    def days(when):
        return (TODAY - dt.datetime.fromisoformat(str(when)).astimezone(at(2018, 1, 1).tzinfo).date()).days

    return (
        [(lg.pk, lg.unit.qualified_name, cn_datetime(lg.submitted_at), days(lg.submitted_at), lg.pending_count)
         for lg in ledgers],
        [(c.pk, c.measure.unit.qualified_name, cn_datetime(c.created_at), days(c.created_at), c.measure.text,
          c.requested_by.display_name if c.requested_by_id else "") for c in changes],
        [(m.pk, m.unit.qualified_name, cn_datetime(m.updated_at), days(m.updated_at), m.text, m.deadline_label)
         for m in closes],
    )  # fmt: skip


def _compiled_queue(user) -> tuple:
    queue = review_queue(user=user)
    assert (queue["change_total"], queue["close_total"]) == (len(queue["changes"]), len(queue["closes"]))

    def line(q: QueueLine) -> tuple:
        return (q.pk, q.unit.qualified_name, cn_datetime(q.at), q.waiting_days)

    return (
        [(*line(q), q.pending_count) for q in queue["ledgers"]],
        [(*line(q), q.text, q.requester) for q in queue["changes"]],
        [(*line(q), q.text, q.deadline_label) for q in queue["closes"]],
    )


@pytest.fixture
def scene(campaign, org, people):
    """Lists of every unit; 预算科's and 区财政局's are submitted; 国库科 has an approved item whose first
    measure has a change request and whose second asks to be closed."""
    scoped = make_user("leader_a1", role=Role.UNIT_LEADER, unit=org.section_a1)  # reviews 财政服务中心 only
    lists = {
        code: ledger_for(campaign, unit)
        for code, unit in (("a1", org.section_a1), ("a2", org.section_a2), ("x", org.sub_a1x), ("b1", org.section_b1))
    }
    lists["dept_a"] = ledger_for(campaign, org.dept_a)
    Ledger.objects.filter(pk=lists["a1"].pk).update(state="submitted", submitted_at=at(2018, 10, 1))
    Ledger.objects.filter(pk=lists["dept_a"].pk).update(state="submitted", submitted_at=at(2018, 10, 2))  # the office's
    approved = add_problem(lists["a2"], order=2, measures=2)
    approved.__class__.objects.filter(pk=approved.pk).update(review=ItemReview.APPROVED)
    measures = list(approved.measures.order_by("order"))
    ChangeRequest.objects.create(
        measure=measures[0], requested_by=people.sibling_clerk, reason="延期", old_values={}, new_values={}
    )
    Measure.objects.filter(pk=measures[1].pk).update(state=MeasureState.CLOSE_REQUESTED)
    return {"lists": lists, "scoped": scoped, "measures": measures}


def _everyone_right(people, scene):
    for user in (people.office, people.reviewer, scene["scoped"], people.other_leader, people.reviewer):
        user = User.objects.get(pk=user.pk)  # as each request reads the person afresh
        with clock.frozen(TODAY):
            assert _compiled_queue(user) == _orm_queue(user), user.username


def test_compiled_queue_equals_the_orm_queue_in_mixed_order(scene, people):
    with clock.frozen(TODAY):
        reviewer = _compiled_queue(people.reviewer)
    assert [row[1] for row in reviewer[0]] == ["区财政局·预算科"]
    with clock.frozen(TODAY):
        assert [row[1] for row in _compiled_queue(people.office)[0]] == ["区财政局"]
    assert [row[4:] for row in reviewer[1]] == [("第2个问题的第1条措施", "clerk_a2姓名")]
    assert [row[4:] for row in reviewer[2]] == [("第2个问题的第2条措施", "2018年10月16日")]
    _everyone_right(people, scene)
    _everyone_right(people, scene)


def test_the_next_queue_is_right_after_each_kind_of_write(scene, people, org):
    lists, measures = scene["lists"], scene["measures"]
    _everyone_right(people, scene)
    # a list submitted (its clerk, through the service)
    sibling = User.objects.get(pk=people.sibling_clerk.pk)
    services.ledger_submit(actor=sibling, ledger=Ledger.objects.get(pk=lists["a2"].pk))
    _everyone_right(people, scene)
    # a list reviewed: one item approved, the other returned
    ledger = Ledger.objects.get(pk=lists["a1"].pk)
    problem = ledger.problems.get()
    services.ledger_review(
        actor=User.objects.get(pk=people.reviewer.pk),
        ledger=ledger,
        decisions={problem.pk: (ItemReview.RETURNED, "重写")},
    )
    _everyone_right(people, scene)
    # a change request decided, another filed
    change = ChangeRequest.objects.get(measure=measures[0])
    reviewer = User.objects.get(pk=people.reviewer.pk)
    services.change_request_decide(actor=reviewer, change=change, approve=False, comment="理由不足")
    assert ChangeRequest.objects.get(pk=change.pk).state == ChangeState.REJECTED
    _everyone_right(people, scene)
    services.change_request_create(
        actor=sibling, measure=Measure.objects.get(pk=measures[0].pk), new_values={"standard": "更高"}, reason="调整"
    )
    _everyone_right(people, scene)
    # a close-out requested (the state the service sets) and one decided
    Measure.objects.filter(pk=measures[0].pk).update(state=MeasureState.CLOSE_REQUESTED)
    _everyone_right(people, scene)
    Measure.objects.filter(pk=measures[1].pk).update(state=MeasureState.CLOSED)
    _everyone_right(people, scene)
    # a role granted, then revoked: the other leader leads 区财政局 too
    granted = RoleAssignment.objects.create(user=people.other_leader, role=Role.UNIT_LEADER, unit=org.dept_a)
    with clock.frozen(TODAY):
        assert _compiled_queue(User.objects.get(pk=people.other_leader.pk))[2]  # 国库科's close-out request
    _everyone_right(people, scene)
    granted.delete()
    with clock.frozen(TODAY):
        assert _compiled_queue(User.objects.get(pk=people.other_leader.pk))[2] == []
    _everyone_right(people, scene)
    # a unit moved under another reviewer: 国库科 reviewed by 区商务局, then moved under it
    Unit.objects.filter(pk=org.section_a2.pk).update(reviewer=org.dept_b)
    with clock.frozen(TODAY):
        assert _compiled_queue(User.objects.get(pk=people.other_leader.pk))[2]
        assert _compiled_queue(User.objects.get(pk=people.reviewer.pk))[2] == []
    _everyone_right(people, scene)
    Unit.objects.filter(pk=org.section_a2.pk).update(
        reviewer=None, parent=org.dept_b, path=f"{org.dept_b.path}{org.section_a2.pk}/"
    )
    with clock.frozen(TODAY):
        assert _compiled_queue(User.objects.get(pk=people.other_leader.pk))[2][0][1] == "区商务局·国库科"
    _everyone_right(people, scene)


def test_page_rows_are_the_templates_rows(scene, people, client_for):
    measure = scene["measures"][1]
    Measure.objects.filter(pk=measure.pk).update(text="<b>逾期" + "长" * 60)
    with clock.frozen(TODAY):
        body = client_for(people.reviewer).get("/rectification/review/").content.decode()
        queue = review_queue(user=User.objects.get(pk=people.reviewer.pk))
    ledger, change, close = queue["ledgers"][0], queue["changes"][0], queue["closes"][0]
    assert (
        f'<tr>\n<td>区财政局·预算科</td>\n<td class="text-nowrap">{cn_datetime(at(2018, 10, 1))}</td>\n'
        f'<td class="text-danger fw-bold">19 天</td>\n<td>1 项</td>\n<td class="text-end"><a class="btn btn-sm '
        f'btn-primary" href="{reverse("rectification:ledger_review", args=[ledger.pk])}">逐项审核</a></td>\n</tr>\n'
    ) in body
    assert f'href="{reverse("rectification:change_decide", args=[change.pk])}">审核</a>' in body
    assert f'href="{reverse("rectification:measure_detail", args=[close.pk])}">核实销号</a>' in body
    assert f"<td>{escape(truncatechars('<b>逾期' + '长' * 60, 40))}</td>" in body
    assert "<td>&lt;b&gt;逾期长长" in body
    assert "<td>clerk_a2姓名</td>" in body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "text",
    ["短", "长" * 40, "长" * 41, "a<&>'\"" * 9, "e\u0301" * 30, "e\u0301" * 45, "x" * 38 + "e\u0301" * 5, "Å" * 50],
)
def test_rows_shorten_text_as_truncatechars(text, language):
    with translation.override(language):
        assert review_rows._short(text) == escape(truncatechars(text, 40))
    assert unicodedata.is_normalized("NFC", review_rows._short(text))


def test_queries_per_page(scene, people, client_for, django_assert_num_queries):
    """7 for a leader: session with user, the units they review and see (2), the three queues, the
    units' ancestors' names; 4 for the office, who sees every unit and reviews top-level ones (no
    ancestors to name)."""
    for user, queries in ((people.reviewer, 7), (people.office, 4)):
        client = client_for(user)
        client.get("/rectification/review/")
        with django_assert_num_queries(queries):
            assert client.get("/rectification/review/").status_code == 200
