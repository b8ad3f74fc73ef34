"""The 9月15日 tracking page and manual 催办: one reminder per editor, only to units one may chase."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import Role, make_unit, make_user
from tests.rectification.test_review_support import add_milestone, at, ledger_for
from zuofeng.accounts.models import User
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.organisation.models import UnitKind
from zuofeng.rectification.models import Ledger, LedgerState
from zuofeng.rectification.services.review import DEFAULT_CHASE_MESSAGE, reminder_chase
from zuofeng.reminders.models import Reminder, ReminderKind

pytestmark = pytest.mark.django_db

URL = "/rectification/review/milestone/"
CHASE = "/rectification/review/milestone/chase/"


@pytest.fixture
def milestone(campaign):
    return add_milestone(campaign)


@pytest.fixture
def second_clerk(org):
    return make_user("clerk_a1b", role=Role.SECTION_CLERK, unit=org.section_a1)


def test_reminder_chase_sends_one_reminder_per_editor(milestone, org, people, second_clerk):
    ledger = Ledger.objects.create(campaign=milestone.campaign, unit=org.section_a1)
    sent = reminder_chase(actor=people.reviewer, units=[org.section_a1], message="请今天提交")
    assert sorted(r.recipient.username for r in sent) == ["clerk_a1", "clerk_a1b"]
    reminders = Reminder.objects.filter(kind=ReminderKind.MANUAL)
    assert reminders.count() == 2
    assert set(reminders.values_list("title", "body", "link", "sender__username", "unit__code")) == {
        ("催办：区财政局·预算科整改清单", "请今天提交", f"/rectification/ledgers/{ledger.pk}/", "leader_a", "D01S01")
    }
    entry = AuditEntry.objects.get(action="reminder.chase")
    assert entry.after == {"recipients": ["clerk_a1", "clerk_a1b"]}


def test_reminder_chase_blank_message_uses_default(org, people):
    reminder_chase(actor=people.office, units=[org.section_a2], message=" ")
    assert list(Reminder.objects.values_list("body", "link")) == [(DEFAULT_CHASE_MESSAGE, "")]


@pytest.mark.parametrize("who", ["sibling_clerk", "own_clerk", "other_leader", "sysadmin", "inspector"])
def test_reminder_chase_refused_for_others(org, people, who):
    with pytest.raises(PermissionDenied):
        reminder_chase(actor=getattr(people, who), units=[org.section_a1], message="x")
    assert Reminder.objects.count() == 0
    assert AuditEntry.objects.filter(action="reminder.send", result="denied").count() == 1


def test_reminder_chase_all_or_nothing(org, people):
    with pytest.raises(PermissionDenied):
        reminder_chase(actor=people.reviewer, units=[org.section_a1, org.section_b1], message="x")
    assert Reminder.objects.count() == 0


# ── page ───────────────────────────────────────────────────────────────────


def test_milestone_page_for_office_lists_units_with_status(milestone, org, people, client_for):
    ledger = ledger_for(milestone.campaign, org.section_a2)
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED, first_submitted_at=at(2018, 9, 16, 8))
    with clock.frozen(dt.date(2018, 9, 20)):
        response = client_for(people.office).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "截止日期 2018年9月15日" in body
    assert "催办全部逾期单位（5）" in body
    assert body.index("预算科") < body.index("国库科") < body.index("区商务局")
    assert "逾期 1 天" in body


def test_milestone_page_filters(milestone, org, people, client_for):
    ledger = ledger_for(milestone.campaign, org.section_a2)
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED, first_submitted_at=at(2018, 9, 14))
    with clock.frozen(dt.date(2018, 9, 20)):
        response = client_for(people.office).get(URL, {"status": "submitted"})
    rows = response.context["tracking"].rows
    assert [row.unit.code for row in rows] == ["D01S02"]
    with clock.frozen(dt.date(2018, 9, 20)):
        response = client_for(people.office).get(URL, {"late": "1"})
    assert len(response.context["tracking"].rows) == 5


def test_milestone_page_for_reviewer_shows_their_units(milestone, people, client_for):
    response = client_for(people.reviewer).get(URL)
    assert [row.unit.code for row in response.context["tracking"].rows] == ["D01S01", "D01S02"]


@pytest.mark.parametrize("who", ["own_clerk", "sibling_clerk", "sysadmin", "inspector"])
def test_milestone_page_refused_to_others(milestone, people, client_for, who):
    assert client_for(getattr(people, who)).get(URL).status_code == 403


def test_milestone_chase_one_unit_from_page(milestone, org, people, client_for, second_clerk):
    response = client_for(people.reviewer).post(CHASE, {"units": [org.section_a1.pk], "next": f"{URL}?late=1"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?late=1"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已向预算科1个单位发出催办，共通知2人。"]
    assert Reminder.objects.filter(kind=ReminderKind.MANUAL).count() == 2


def test_milestone_chase_ignores_foreign_next(milestone, org, people, client_for):
    response = client_for(people.reviewer).post(CHASE, {"units": [org.section_a1.pk], "next": "https://evil.example/"})
    assert response["Location"] == URL


def test_milestone_chase_all_late(milestone, org, people, client_for):
    ledger = ledger_for(milestone.campaign, org.section_a2)
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED, first_submitted_at=at(2018, 9, 14))
    with clock.frozen(dt.date(2018, 9, 20)):
        client_for(people.reviewer).post(CHASE, {"all_late": "on", "message": "请抓紧"})
    assert list(Reminder.objects.values_list("recipient__username", flat=True)) == ["clerk_a1"]


def test_milestone_chase_all_late_when_none_late(milestone, org, people, client_for):
    with clock.frozen(dt.date(2018, 9, 1)):
        response = client_for(people.reviewer).post(CHASE, {"all_late": "on"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["没有需要催办的逾期单位。"]
    assert Reminder.objects.count() == 0


def test_milestone_chase_all_late_skips_units_that_submitted_late(milestone, org, people, client_for):
    for unit in (org.section_a1, org.section_a2):
        ledger = ledger_for(milestone.campaign, unit)
        Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED, first_submitted_at=at(2018, 9, 17))
    with clock.frozen(dt.date(2018, 9, 20)):
        response = client_for(people.reviewer).post(CHASE, {"all_late": "on"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["没有需要催办的逾期单位。"]
    assert Reminder.objects.count() == 0


def test_milestone_chase_unit_not_reviewed_is_refused(milestone, org, people, client_for):
    response = client_for(people.reviewer).post(CHASE, {"units": [org.section_b1.pk]})
    assert response.status_code == 302
    assert Reminder.objects.count() == 0


def test_milestone_chase_nothing_chosen(milestone, people, client_for):
    response = client_for(people.reviewer).post(CHASE, {})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请选择要催办的单位。"]


@pytest.mark.parametrize("who", ["sibling_clerk", "sysadmin"])
def test_milestone_chase_refused_to_clerks(milestone, org, people, client_for, who):
    response = client_for(getattr(people, who)).post(CHASE, {"units": [org.section_a1.pk]})
    assert response.status_code == 403
    assert Reminder.objects.count() == 0


def test_milestone_page_query_count_constant_for_3_and_30_units(milestone, org, people, client_for):
    def add(n, start):
        for i in range(start, start + n):
            unit = make_unit(name=f"科室{i}", kind=UnitKind.SECTION, parent=org.dept_a, order=10 + i, code=f"P{i:03d}")
            ledger_for(milestone.campaign, unit)

    def count():
        client = client_for(User.objects.get(pk=people.office.pk))
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx)

    add(3, 0)
    few = count()
    add(27, 3)
    assert count() == few


def test_milestone_page_without_campaign_is_404(people, client_for):
    assert client_for(people.office).get(URL).status_code == 404


def test_milestone_page_pages_rows_and_counts_problems_of_the_page(milestone, org, people, client_for, monkeypatch):
    from zuofeng.rectification.selectors import milestone as selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    ledger_for(milestone.campaign, org.section_a2, problems=3)  # the 4th unit in official order
    ledger_for(milestone.campaign, org.section_b1, problems=2)  # the 6th
    client = client_for(people.office)
    first = client.get(URL)
    rows = [(r.unit.code, r.problem_count) for r in first.context["page"].object_list]
    assert rows == [("D01", 0), ("D01S01", 0), ("D01S01X", 0)]
    body = first.content.decode()
    assert "第 1 / 2 页，共 6 个单位" in body and 'href="?page=2"' in body
    assert "全部 6" in body  # the counts cover every unit, not the page
    second = client.get(URL, {"page": "2"})
    page = [(r.unit.code, r.problem_count) for r in second.context["page"].object_list]
    assert page == [("D01S02", 3), ("D02", 0), ("D02S01", 2)]
    assert "<td>4</td>" in second.content.decode()  # numbering continues from the first page
    filtered = client.get(URL, {"status": "not_started", "page": "2"}).content.decode()
    assert 'href="?status=not_started&amp;page=1"' in filtered


def test_milestone_rows_exact_html(milestone, org, people, client_for):
    ledger = ledger_for(milestone.campaign, org.section_a2)
    Ledger.objects.filter(pk=ledger.pk).update(state=LedgerState.SUBMITTED, first_submitted_at=at(2018, 9, 16, 8))
    with clock.frozen(dt.date(2018, 9, 20)):
        body = client_for(people.reviewer).get(URL, {"late": "1"}).content.decode()
    rows = body[body.index("<tr data-unit") :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', rows)[1]
    a1, a2 = org.section_a1, org.section_a2
    assert (
        f'<tr data-unit="{a1.pk}">\n<td>1</td>\n<td><span class="text-muted small">区财政局 · </span>预算科</td>\n'
        '<td><span class="badge text-bg-light border">未开始</span></td>\n<td>0</td>\n'
        '<td class="text-nowrap">—</td>\n<td class="text-nowrap">—</td>\n'
        '<td><span class="text-danger fw-bold">逾期 5 天</span></td>\n<td class="text-end">\n'
        f'<form method="post" action="{CHASE}" class="d-inline">\n'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
        f'<input type="hidden" name="units" value="{a1.pk}">\n'
        f'<input type="hidden" name="campaign" value="{milestone.campaign.slug}">\n'
        f'<input type="hidden" name="next" value="{URL}?late=1">\n'
        '<button class="btn btn-sm btn-outline-danger" type="submit">催办</button>\n</form>\n</td>\n</tr>\n'
    ) in rows
    assert (  # submitted late: no 催办, the time in Beijing time
        f'<tr data-unit="{a2.pk}">\n<td>2</td>\n<td><span class="text-muted small">区财政局 · </span>国库科</td>\n'
        '<td><span class="badge text-bg-primary">待审核</span></td>\n<td>1</td>\n'
        '<td class="text-nowrap">2018年9月16日 08:00</td>\n<td class="text-nowrap">—</td>\n'
        '<td><span class="text-danger fw-bold">逾期 1 天</span></td>\n<td class="text-end">\n</td>\n</tr>\n'
    ) in rows
