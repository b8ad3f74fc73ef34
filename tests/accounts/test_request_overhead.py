"""What every signed-in request costs: the session is rewritten at most once a minute, the security
policy is read once a minute per process, role assignments once per request."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zuofeng.accounts import models as account_models
from zuofeng.accounts.middleware import SESSION_KEY
from zuofeng.accounts.models import SecurityPolicy
from zuofeng.core import clock

T0 = dt.datetime(2018, 9, 3, 9, 0, tzinfo=dt.UTC)


def _writes_session(queries) -> bool:
    return any(q["sql"].startswith("UPDATE") and "accounts_session" in q["sql"] for q in queries.captured_queries)


def _get(client, at, path="/campaigns/"):
    with clock.frozen(at), CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return queries


def test_second_request_within_a_minute_does_not_write_the_session(people, client_for):
    client = client_for(people.own_clerk)
    assert _writes_session(_get(client, T0))
    assert not _writes_session(_get(client, T0 + dt.timedelta(seconds=59)))
    assert client.session[SESSION_KEY] == T0.timestamp()
    assert _writes_session(_get(client, T0 + dt.timedelta(seconds=60)))
    assert client.session[SESSION_KEY] == (T0 + dt.timedelta(seconds=60)).timestamp()


def test_idle_time_counts_from_the_last_stored_minute(people, client_for):
    client = client_for(people.own_clerk)
    _get(client, T0)
    _get(client, T0 + dt.timedelta(seconds=50))  # not stored: within the minute
    with clock.frozen(T0 + dt.timedelta(minutes=30, seconds=1)):
        response = client.get("/campaigns/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=%2Fcampaigns%2F")


def test_activity_every_minute_keeps_the_session_alive(people, client_for):
    client = client_for(people.own_clerk)
    for minutes in (0, 1, 29, 58):
        _get(client, T0 + dt.timedelta(minutes=minutes))
    _get(client, T0 + dt.timedelta(minutes=88))
    assert client.session[SESSION_KEY] == (T0 + dt.timedelta(minutes=88)).timestamp()


def test_policy_is_read_once_then_served_from_the_process(db):
    with CaptureQueriesContext(connection) as first:
        assert SecurityPolicy.current().idle_timeout_minutes == 30
    with CaptureQueriesContext(connection) as again:
        assert SecurityPolicy.current().idle_timeout_minutes == 30
    assert (len(first) > 0, len(again)) == (True, 0)


def test_saving_the_policy_clears_the_cached_copy(people):
    from zuofeng.accounts import services

    assert SecurityPolicy.current().idle_timeout_minutes == 30
    services.security_policy_update(actor=people.secadmin, idle_timeout_minutes=10)
    assert SecurityPolicy.current().idle_timeout_minutes == 10


def test_a_changed_copy_never_leaks_into_the_cache(people):
    from django.core.exceptions import ValidationError

    from zuofeng.accounts import services

    copy = SecurityPolicy.current()
    copy.idle_timeout_minutes = 5
    with pytest.raises(ValidationError):  # the update sets the valid field, then refuses the invalid one
        services.security_policy_update(actor=people.secadmin, idle_timeout_minutes=12, audit_retention_days=10)
    assert SecurityPolicy.current().idle_timeout_minutes == 30


def test_other_processes_changes_are_read_after_the_cache_window(db, monkeypatch):
    SecurityPolicy.current()
    SecurityPolicy.objects.filter(pk=1).update(idle_timeout_minutes=20)  # as another process would
    assert SecurityPolicy.current().idle_timeout_minutes == 30
    later = account_models.time.monotonic() + SecurityPolicy.CACHE_SECONDS + 1
    monkeypatch.setattr(account_models.time, "monotonic", lambda: later)
    assert SecurityPolicy.current().idle_timeout_minutes == 20


def test_a_page_reads_roles_once_and_the_policy_not_at_all_once_cached(people, client_for):
    client = client_for(people.reviewer)
    _get(client, T0, "/")
    queries = _get(client, T0 + dt.timedelta(seconds=5), "/")
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("accounts_roleassignment" in s for s in sql) == 1
    assert sum("accounts_securitypolicy" in s for s in sql) == 0
    assert sum("accounts_session" in s for s in sql) == 1  # the read, with the user; no write


def test_unread_badge_counts_at_most_a_hundred(people, client_for):
    from zuofeng.reminders.models import Reminder
    from zuofeng.reminders.selectors import unread_count

    Reminder.objects.bulk_create(
        [
            Reminder(recipient=people.own_clerk, kind="manual", title=f"提醒{i}", created_at=clock.now())
            for i in range(105)
        ]
    )
    assert (unread_count(user=people.own_clerk, cap=100), unread_count(user=people.own_clerk)) == (100, 105)
    html = client_for(people.own_clerk).get("/campaigns/").content.decode()
    assert 'data-testid="unread-count">99+<' in html
