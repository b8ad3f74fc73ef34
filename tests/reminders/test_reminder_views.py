"""我的提醒: own reminders only, newest first, unread bold, mark read (htmx), navbar badge."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from zuofeng.core import clock
from zuofeng.reminders.models import Reminder, ReminderKind
from zuofeng.reminders.services import reminder_send

pytestmark = pytest.mark.django_db


def send(user, title, day, link="/rectification/measures/1/"):
    with clock.frozen(day):
        return reminder_send(recipients=[user], kind=ReminderKind.DEADLINE_SOON, title=title, link=link)[0]


@pytest.fixture
def reminders(people):
    older = send(people.own_clerk, "整改措施还有 7 天到期", dt.date(2018, 10, 9))
    newer = send(people.own_clerk, "整改措施还有 3 天到期", dt.date(2018, 10, 13))
    send(people.reviewer, "别人的提醒", dt.date(2018, 10, 13))
    return older, newer


def test_list_shows_own_newest_first_unread_bold(reminders, people, client_for):
    older, _ = reminders
    Reminder.objects.filter(pk=older.pk).update(read_at=clock.now())
    response = client_for(people.own_clerk).get("/reminders/")
    html = response.content.decode()
    assert [r.title for r in response.context["page"]] == ["整改措施还有 3 天到期", "整改措施还有 7 天到期"]
    assert "别人的提醒" not in html
    assert html.count('class="fw-bold" data-testid="reminder-title"') == 1
    assert response.context["unread"] == 1


def test_list_unread_only(reminders, people, client_for):
    older, _ = reminders
    Reminder.objects.filter(pk=older.pk).update(read_at=clock.now())
    response = client_for(people.own_clerk).get("/reminders/?unread=1")
    assert [r.title for r in response.context["page"]] == ["整改措施还有 3 天到期"]


def test_mark_read_htmx_returns_row_and_badge(reminders, people, client_for):
    _, newer = reminders
    response = client_for(people.own_clerk).post(f"/reminders/{newer.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    newer.refresh_from_db()
    assert newer.read_at is not None
    assert f'id="reminder-{newer.pk}"' in html
    assert 'hx-swap-oob="true"' in html
    assert '<span class="badge rounded-pill text-bg-danger" data-testid="unread-count">1</span>' in html


def test_mark_read_plain_post_redirects_to_list(reminders, people, client_for):
    _, newer = reminders
    response = client_for(people.own_clerk).post(f"/reminders/{newer.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/reminders/")


def test_open_marks_read_and_goes_to_link(reminders, people, client_for):
    _, newer = reminders
    response = client_for(people.own_clerk).post(f"/reminders/{newer.pk}/read/", {"go": "1"})
    assert (response.status_code, response["Location"]) == (302, "/rectification/measures/1/")


def test_open_refuses_foreign_link(people, client_for):
    evil = send(people.own_clerk, "x", dt.date(2018, 10, 1), link="https://evil.example/")
    response = client_for(people.own_clerk).post(f"/reminders/{evil.pk}/read/", {"go": "1"})
    assert response["Location"] == "/reminders/"


def test_cannot_read_someone_elses(reminders, people, client_for):
    other = Reminder.objects.get(title="别人的提醒")
    assert client_for(people.own_clerk).post(f"/reminders/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_anonymous_redirected_to_login(client):
    assert client.get("/reminders/").status_code == 302


def test_badge_counts_unread_in_one_query(reminders, people):
    template = Template('{% include "reminders/_badge.html" %}')
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"user": people.own_clerk}))
    assert len(queries) == 1
    assert '<span class="badge rounded-pill text-bg-danger" data-testid="unread-count">2</span>' in html


def test_badge_hides_zero_and_caps_at_99(people):
    template = Template('{% include "reminders/_badge.html" %}')
    assert "unread-count" not in template.render(Context({"user": people.office}))
    with clock.frozen(dt.date(2018, 10, 1)):
        reminder_send(recipients=[people.office], kind=ReminderKind.NOTICE, title="x", email=False)
    Reminder.objects.bulk_create(
        [
            Reminder(recipient=people.office, kind=ReminderKind.NOTICE, title=str(i), created_at=clock.now())
            for i in range(99)
        ]
    )
    assert ">99+</span>" in template.render(Context({"user": people.office}))


def test_unread_count_for_anonymous_is_zero():
    from django.contrib.auth.models import AnonymousUser

    from zuofeng.reminders.selectors import unread_count

    assert unread_count(user=AnonymousUser()) == 0
