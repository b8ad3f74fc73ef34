"""The session store reads the session and its signed-in user in one statement (decisions §53), and the
request's user comes from that read with every check Django's get_user makes. Nothing is kept between
requests: a logout in another process, a changed password, sessions_end or a deactivated account
shows on the very next request."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import login
from tests.factories import Role
from zuofeng.accounts import services
from zuofeng.accounts.backends import user_with_roles
from zuofeng.accounts.models import Session, User
from zuofeng.accounts.roles import assignments
from zuofeng.accounts.sessions import SessionStore
from zuofeng.core import clock

PAGE = "/campaigns/"
SIGNED_IN = (200, None)
SIGNED_OUT = (302, "/accounts/login/?next=/campaigns/")
T0 = dt.datetime(2018, 9, 3, 9, 0, tzinfo=dt.UTC)
TABLES = ("accounts_session", "accounts_user", "organisation_person", "accounts_roleassignment", "reminders_reminder")
OLD_KEY, NEW_KEY = "old-secret-" + "o" * 50, "new-secret-" + "n" * 50


def _key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _same_session(client) -> Client:
    """A second client on the same session key: another process, sharing only the database."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = _key(client)
    return other


def _outcome(client) -> tuple:
    response = client.get(PAGE)
    return response.status_code, response.get("Location")


def _queries(client) -> list[str]:
    with clock.frozen(T0), CaptureQueriesContext(connection) as queries:  # frozen: no last-seen write
        assert client.get(PAGE).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _expire(key: str) -> None:
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))


def _anonymous(**data) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.create()
    return store


def _fields(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if not name.startswith("_")}


def test_the_first_statement_reads_the_session_the_account_person_roles_units_and_unread_count(people, client_for):
    client = client_for(people.own_clerk)
    _queries(client)
    first, *rest = _queries(client)
    assert [table in first for table in TABLES] == [True] * 5
    assert [table for table in TABLES if any(table in sql for sql in rest)] == []


def test_a_page_costs_one_statement_fewer_than_reading_the_user_apart(people, client_for):
    client = client_for(people.own_clerk)
    _queries(client)
    together = _queries(client)
    Session.objects.filter(pk=_key(client)).update(user=None)  # as Django's own store wrote it
    apart = _queries(client)  # the fallback, django.contrib.auth.get_user: the backend reads the user
    # accounts_user in the session's statement (its user side empty now) and in the backend's
    assert (len(apart) - len(together), sum("accounts_user" in sql for sql in apart)) == (1, 2)


def test_the_store_builds_the_user_as_user_with_roles_does(people, org, client_for):
    from zuofeng.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=people.reviewer, role=Role.INSPECTOR, unit=org.dept_b)
    store = SessionStore(_key(client_for(people.reviewer)))
    with CaptureQueriesContext(connection) as queries:
        data = store.load()
    user, expected = store.loaded_user, user_with_roles(people.reviewer.pk)
    assert (len(queries), data["_auth_user_id"], user.username, user.display_name) == (
        1,
        str(people.reviewer.pk),
        "leader_a",
        "leader_a姓名",
    )
    assert (_fields(user), _fields(user.person)) == (_fields(expected), _fields(expected.person))
    assert [(a.role, a.unit.name) for a in assignments(user)] == [
        (Role.UNIT_LEADER, "武进区财政局"),
        (Role.INSPECTOR, "武进区商务局"),
    ]
    assert [_fields(a) for a in assignments(user)] == [_fields(a) for a in assignments(expected)]


def test_the_user_column_follows_the_data_and_is_null_for_an_anonymous_session(people, client_for):
    signed_in = _key(client_for(people.office))
    anonymous = _anonymous(note="留言")
    again = SessionStore(anonymous.session_key)
    assert (again.load(), again.loaded_user) == ({"note": "留言"}, None)
    assert dict(Session.objects.values_list("pk", "user")) == {signed_in: people.office.pk, anonymous.session_key: None}


def test_a_logout_in_one_process_ends_the_session_in_another(people, client_for):
    first = client_for(people.own_clerk)
    second = _same_session(first)
    key = _key(first)
    assert (_outcome(first), _outcome(second)) == (SIGNED_IN, SIGNED_IN)
    first.post("/accounts/logout/")
    assert (_outcome(second), Session.objects.filter(pk=key).exists()) == (SIGNED_OUT, False)


def test_a_password_changed_elsewhere_flushes_the_session_on_its_next_request(people, client_for):
    client = client_for(people.own_clerk)
    key = _key(client)
    assert _outcome(client) == SIGNED_IN
    User.objects.filter(pk=people.own_clerk.pk).update(password=make_password("Another#2018x"))
    assert (_outcome(client), Session.objects.filter(pk=key).exists()) == (SIGNED_OUT, False)


def test_sessions_end_deletes_the_accounts_live_sessions_by_its_column(people, client_for):
    first, second = client_for(people.own_clerk), _same_session(client_for(people.own_clerk))
    other, anonymous = client_for(people.office), _anonymous(note="留言")
    expired = _key(client_for(people.own_clerk))
    _expire(expired)
    with CaptureQueriesContext(connection) as queries:
        assert services.sessions_end(user=people.own_clerk) == 2
    assert (len(queries), _outcome(first), _outcome(second), _outcome(other)) == (1, SIGNED_OUT, SIGNED_OUT, SIGNED_IN)
    assert dict(Session.objects.values_list("pk", "user")) == {
        _key(other): people.office.pk,
        anonymous.session_key: None,
        expired: people.own_clerk.pk,  # not live: left to clearsessions, as before
    }


def test_a_deactivated_account_is_refused_and_its_session_kept_as_django_does(people, client_for):
    client = client_for(people.own_clerk)
    key = _key(client)
    User.objects.filter(pk=people.own_clerk.pk).update(is_active=False)
    assert (_outcome(client), Session.objects.filter(pk=key).exists()) == (SIGNED_OUT, True)
    User.objects.filter(pk=people.own_clerk.pk).update(is_active=True)
    assert _outcome(client) == SIGNED_IN


def test_an_expired_session_is_not_used(people, client_for):
    client = client_for(people.own_clerk)
    key = _key(client)
    _expire(key)
    store = SessionStore(key)
    assert (store.load(), store.session_key, store.loaded_user) == ({}, None, None)
    assert _outcome(client) == SIGNED_OUT


def test_a_session_for_another_backend_is_anonymous(people, client_for):
    client = client_for(people.own_clerk)
    session = client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"  # not in AUTHENTICATION_BACKENDS
    session.save()
    assert _outcome(client) == SIGNED_OUT


@override_settings(MESSAGE_STORAGE="django.contrib.messages.storage.session.SessionStorage")
def test_an_anonymous_session_carries_the_logout_message_to_the_login_page(people, client_for):
    client = client_for(people.own_clerk)
    signed_in = _key(client)
    client.post("/accounts/logout/")
    [(key, user_id)] = Session.objects.values_list("pk", "user")
    assert (key != signed_in, key == _key(client), user_id) == (True, True, None)
    assert "您已安全退出。" in client.get("/accounts/login/").content.decode()


def test_login_cycles_an_anonymous_session_into_one_with_the_user(people, password):
    client = Client()
    anonymous = _anonymous(note="留言")
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous.session_key
    response = client.post("/accounts/login/", {"username": "clerk_a1", "password": password})
    assert (response.status_code, Session.objects.filter(pk=anonymous.session_key).exists()) == (302, False)
    row = Session.objects.get(pk=_key(client))
    assert (row.user_id, row.get_decoded()["note"]) == (people.own_clerk.pk, "留言")
    assert _outcome(client) == SIGNED_IN


def test_a_session_hashed_with_a_fallback_secret_is_kept_under_a_new_key(people):
    with override_settings(SECRET_KEY=OLD_KEY):
        client = login(people.own_clerk)
    old = _key(client)
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert _outcome(client) == SIGNED_IN
        new = _key(client)
        row = Session.objects.get(pk=new)
        assert (new != old, Session.objects.filter(pk=old).exists(), row.user_id) == (True, False, people.own_clerk.pk)
        assert row.get_decoded()[HASH_SESSION_KEY] == User.objects.get(pk=people.own_clerk.pk).get_session_auth_hash()
        assert _outcome(client) == SIGNED_IN


def test_clearsessions_removes_the_expired_sessions(people, client_for):
    live, expired = _key(client_for(people.own_clerk)), _key(client_for(people.office))
    _expire(expired)
    call_command("clearsessions")
    assert list(Session.objects.values_list("pk", flat=True)) == [live]


def test_the_test_clients_session_reads_and_writes_the_store(people, client_for):
    client = client_for(people.own_clerk)
    session = client.session
    session["note"] = "留言"
    session.save()
    assert (type(session), client.session["note"], _outcome(client)) == (SessionStore, "留言", SIGNED_IN)
