import datetime as dt

import pytest
from django.test import Client

from zuofeng.accounts.models import LoginAttempt, SecurityPolicy
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock

T0 = dt.datetime(2018, 8, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WRONG = "Wrong#2018x"


def _login(client, username, password, ip="10.1.2.3"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _error(response) -> str:
    return response.context["form"].non_field_errors()[0]


def test_login_success_audited_with_ip(people, client, password):
    response = _login(client, "clerk_a1", password)
    assert (response.status_code, response["Location"]) == (302, "/")
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.result, last.actor_username, last.ip) == ("auth.login", "success", "clerk_a1", "10.1.2.3")


def test_login_failure_counts_down_and_is_audited(people, client):
    response = _login(client, "clerk_a1", WRONG)
    assert response.status_code == 200
    assert _error(response) == "用户名或密码错误，再失败 4 次账号将被锁定 15 分钟。"
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.action, last.result, last.actor_username, last.actor_id, last.ip, last.detail) == (
        "auth.login",
        "failed",
        "clerk_a1",
        None,
        "10.1.2.3",
        "用户名或密码错误（连续第 1 次）",
    )


def test_lockout_after_exactly_five_failures(people, client, password):
    with clock.frozen(T0):
        for expected_remaining in (4, 3, 2, 1):
            assert f"再失败 {expected_remaining} 次" in _error(_login(client, "clerk_a1", WRONG))
        assert _error(_login(client, "clerk_a1", WRONG)) == "连续登录失败 5 次，账号已锁定 15 分钟。"
        attempt = LoginAttempt.objects.get(username="clerk_a1")
        assert (attempt.failures, attempt.locked_until) == (5, T0 + dt.timedelta(minutes=15))
        sixth = _login(client, "clerk_a1", password)
    assert sixth.status_code == 200
    assert _error(sixth) == "连续登录失败次数过多，账号已锁定，请 15 分钟后再试。"
    assert "_auth_user_id" not in client.session
    last = AuditEntry.objects.order_by("-id").first()
    assert (last.result, last.detail, last.ip) == ("denied", "账号已锁定", "10.1.2.3")
    fifth = AuditEntry.objects.filter(result="failed").order_by("-id").first()
    assert fifth.detail == "用户名或密码错误（连续第 5 次），账号锁定 15 分钟"


def _lock(username: str) -> None:
    with clock.frozen(T0):
        for _ in range(5):
            _login(Client(), username, WRONG)


def test_lock_message_counts_minutes_left(people, client, password):
    _lock("clerk_a1")
    with clock.frozen(T0 + dt.timedelta(minutes=10, seconds=30)):
        assert _error(_login(client, "clerk_a1", password)) == "连续登录失败次数过多，账号已锁定，请 5 分钟后再试。"


def test_lock_expires_after_fifteen_minutes(people, client, password):
    _lock("clerk_a1")
    with clock.frozen(T0 + dt.timedelta(minutes=14, seconds=59)):
        assert "已锁定" in _error(_login(client, "clerk_a1", password))
    with clock.frozen(T0 + dt.timedelta(minutes=15)):
        response = _login(client, "clerk_a1", password)
    assert response.status_code == 302
    assert not LoginAttempt.objects.filter(username="clerk_a1").exists()


def test_failure_after_expired_lock_starts_counting_afresh(people, client):
    _lock("clerk_a1")
    with clock.frozen(T0 + dt.timedelta(minutes=16)):
        response = _login(client, "clerk_a1", WRONG)
    assert _error(response) == "用户名或密码错误，再失败 4 次账号将被锁定 15 分钟。"
    attempt = LoginAttempt.objects.get(username="clerk_a1")
    assert (attempt.failures, attempt.locked_until) == (1, None)


def test_success_resets_the_failure_count(people, client, password):
    for _ in range(4):
        _login(Client(), "clerk_a1", WRONG)
    assert _login(client, "clerk_a1", password).status_code == 302
    assert not LoginAttempt.objects.filter(username="clerk_a1").exists()
    assert "再失败 4 次" in _error(_login(Client(), "clerk_a1", WRONG))


def test_lock_is_per_username(people, client, password):
    _lock("clerk_a1")
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert _login(client, "clerk_a2", password).status_code == 302


def test_unknown_username_is_throttled_like_a_real_one(db, client):
    _lock("nobody")
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert "已锁定" in _error(_login(client, "nobody", WRONG))


def test_lockout_follows_the_policy(people, client):
    SecurityPolicy.objects.update_or_create(pk=1, defaults=dict(max_failed_logins=3, lockout_minutes=30))
    for _ in range(2):
        _login(client, "clerk_a1", WRONG)
    assert _error(_login(client, "clerk_a1", WRONG)) == "连续登录失败 3 次，账号已锁定 30 分钟。"


def test_inactive_account_cannot_log_in(people, client, password):
    people.own_clerk.is_active = False
    people.own_clerk.save()
    assert "用户名或密码错误" in _error(_login(client, "clerk_a1", password))


def test_login_refused_without_csrf_token(people, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "clerk_a1", "password": password})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_accepted_with_csrf_token(people, password):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/", {"username": "clerk_a1", "password": password, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("trusted", [True, False])
def test_login_audit_ip_behind_proxy(people, client, password, settings, trusted):
    settings.TRUST_X_FORWARDED_FOR = trusted
    client.post(
        "/accounts/login/",
        {"username": "clerk_a1", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7",
    )
    last = AuditEntry.objects.order_by("-id").first()
    assert last.ip == ("10.9.8.7" if trusted else "127.0.0.1")
