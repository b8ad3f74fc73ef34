"""The signed-in user is read with their person, roles and unread count in one query, every request:
nothing about a person's roles is kept between requests, so a change shows on the very next page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import Role, make_user
from zuofeng.accounts.backends import user_with_roles
from zuofeng.accounts.models import RoleAssignment, User
from zuofeng.accounts.roles import assignments
from zuofeng.core import clock
from zuofeng.reminders.models import Reminder
from zuofeng.reminders.services import reminder_mark_read


def _remind(user, n: int) -> list[Reminder]:
    return [
        Reminder.objects.create(recipient=user, kind="manual", title=f"提醒{i}", created_at=clock.now())
        for i in range(n)
    ]


def test_one_query_reads_the_account_person_roles_with_units_and_unread_count(people, org):
    RoleAssignment.objects.create(user=people.reviewer, role=Role.INSPECTOR, unit=org.dept_b, include_subtree=True)
    _remind(people.reviewer, 3)
    with CaptureQueriesContext(connection) as queries:
        user = user_with_roles(people.reviewer.pk)
        held = [(a.role, a.unit.name, a.include_subtree, str(a)) for a in assignments(user)]
        name = user.display_name
    stored = User.objects.get(pk=people.reviewer.pk)
    assert len(queries) == 1
    assert (user.username, user.password, user.person_id, name) == (
        "leader_a",
        stored.password,
        stored.person_id,
        "leader_a姓名",
    )
    assert held == [
        (Role.UNIT_LEADER, "武进区财政局", False, "单位管理员/分管领导（武进区财政局）"),
        (Role.INSPECTOR, "武进区商务局", True, "督查员（武进区商务局）"),
    ]
    assert [a.pk for a in assignments(user)] == list(
        RoleAssignment.objects.filter(user=stored).order_by("id").values_list("pk", flat=True)
    )
    assert user.unread_reminders_at_load == 3


def test_an_account_without_person_or_roles_and_a_missing_one(db):
    bare = make_user("bare")
    user = user_with_roles(bare.pk)
    assert (user.username, user.person_id, assignments(user), user.display_name) == ("bare", None, [], "bare")
    assert user_with_roles(bare.pk + 1000) is None


def test_a_revoked_role_takes_effect_on_the_next_request(people, client_for):
    client = client_for(people.reviewer)
    queue = reverse("rectification:review_queue")
    first = client.get(queue)
    assert first.status_code == 200
    assert 'href="/rectification/review/"' in first.content.decode()  # 待我审核 in the menu
    RoleAssignment.objects.filter(user=people.reviewer).delete()
    assert client.get(queue).status_code == 403
    menu = client.get("/campaigns/").content.decode()
    assert 'href="/rectification/review/"' not in menu and "找差整改" not in menu


def test_a_granted_role_shows_in_the_menu_on_the_next_request(people, client_for):
    client = client_for(people.judge)
    assert "找差整改" not in client.get("/campaigns/").content.decode()
    RoleAssignment.objects.create(user=people.judge, role=Role.OFFICE)
    page = client.get("/campaigns/").content.decode()
    assert "找差整改" in page and 'href="/rectification/review/"' in page


def test_a_deactivated_account_is_signed_out_on_the_next_request(people, client_for):
    client = client_for(people.own_clerk)
    assert client.get("/campaigns/").status_code == 200
    User.objects.filter(pk=people.own_clerk.pk).update(is_active=False)
    assert client.get("/campaigns/").status_code == 302


def test_the_badge_after_marking_read_counts_again(people, client_for):
    reminders = _remind(people.own_clerk, 2)
    client = client_for(people.own_clerk)
    assert 'data-testid="unread-count">2<' in client.get("/campaigns/").content.decode()
    answer = client.post(reverse("reminders:read", args=[reminders[0].pk]), HTTP_HX_REQUEST="true")
    assert 'data-testid="unread-count">1<' in answer.content.decode()  # the htmx row's out-of-band badge
    reminder_mark_read(user=people.own_clerk, reminder=reminders[1])
    assert 'data-testid="unread-count"' not in client.get("/campaigns/").content.decode()


def test_a_get_page_reads_the_session_and_user_in_its_first_statement_only(people, client_for):
    client = client_for(people.own_clerk)
    client.get("/campaigns/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/campaigns/")
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("reminders_reminder" in s for s in sql) == 1  # inside the session's statement
    assert sum("organisation_person" in s for s in sql) == 1  # likewise
    assert sum("accounts_session" in s for s in sql) == 1
    assert all(table in sql[0] for table in ("accounts_session", "accounts_user", "accounts_roleassignment"))
