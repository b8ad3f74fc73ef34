"""Password rules: common passwords, the demo password, reuse of the last five, throttled old
password on the change form, and what an administrator's reset ends."""

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import PASSWORD
from zuofeng.accounts import services
from zuofeng.accounts.models import ApiToken, LoginAttempt, PasswordHistory, Session, User
from zuofeng.accounts.passwords import COMMON_PASSWORDS_FILE, common_passwords
from zuofeng.api.services import api_token_create
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock

DEMO_PASSWORD = "Zuofeng@2018"
NEW = ["Xin#Mima01", "Xin#Mima02", "Xin#Mima03", "Xin#Mima04", "Xin#Mima05", "Xin#Mima06"]


def _change(client, old, new):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}, follow=True
    )


# --- common passwords ---


def test_common_list_is_a_shipped_file_with_the_demo_password():
    assert COMMON_PASSWORDS_FILE.name == "common_passwords.txt"
    assert COMMON_PASSWORDS_FILE.is_file()
    assert {"zuofeng@2018", "p@ssw0rd", "admin@123", "1qaz@wsx"} <= common_passwords()
    assert len(common_passwords()) >= 100


@pytest.mark.parametrize("password", [DEMO_PASSWORD, "zuofeng@2018", "P@ssw0rd", "Admin@123", "1qaz@WSX", "Aa123456"])
def test_common_passwords_refused_even_though_they_meet_the_policy(db, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="zhangsan"))
    assert refused.value.messages == ["该密码属于常见弱口令（或公开的演示密码），请换一个。"]


def test_demo_password_refused_on_the_change_form_even_in_demo_mode(people, client_for, settings):
    settings.ZUOFENG_DEMO = True
    response = _change(client_for(people.own_clerk), PASSWORD, DEMO_PASSWORD)
    assert response.context["form"].errors["new_password1"] == ["该密码属于常见弱口令（或公开的演示密码），请换一个。"]


def test_demo_account_keeps_demo_password_in_demo_mode(people, settings):
    settings.ZUOFENG_DEMO = True
    people.own_clerk.set_password(DEMO_PASSWORD)  # as demo_district does
    people.own_clerk.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "clerk_a1", "password": DEMO_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.must_change_password is False


def test_demo_password_outside_demo_mode_must_be_changed_first(people, settings):
    settings.ZUOFENG_DEMO = False
    people.own_clerk.set_password(DEMO_PASSWORD)
    people.own_clerk.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "clerk_a1", "password": DEMO_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/")
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.must_change_password is True
    assert client.get("/").status_code == 302  # nothing else until changed
    entry = AuditEntry.objects.get(action="account.must_change_password")
    assert entry.detail == "使用常见弱口令登录"


# --- the last five passwords ---


def test_recent_five_passwords_refused_sixth_back_allowed(people, client_for):
    people.own_clerk.set_password(PASSWORD)  # recorded in the history, like every password set
    people.own_clerk.save()
    client = client_for(people.own_clerk)
    old = PASSWORD
    for new in NEW[:5]:
        response = _change(client, old, new)
        assert response.redirect_chain == [("/", 302)], response.context and response.context["form"].errors
        old = new
    assert PasswordHistory.objects.filter(user=people.own_clerk).count() == 5
    # history now: NEW[0..4]; PASSWORD (the first) has dropped out of the last five
    for reused in NEW[:5]:
        response = _change(client, old, reused)
        assert response.context["form"].errors["new_password1"] == ["新密码不能与最近 5 次使用过的密码相同。"]
    assert _change(client, old, PASSWORD).redirect_chain == [("/", 302)]
    assert PasswordHistory.objects.filter(user=people.own_clerk).count() == 5


def test_history_keeps_hashes_not_passwords(people):
    people.own_clerk.set_password(NEW[0])
    people.own_clerk.save()
    hashes = list(PasswordHistory.objects.filter(user=people.own_clerk).values_list("password_hash", flat=True))
    assert hashes == [people.own_clerk.password]
    assert NEW[0] not in hashes[0]


def test_admin_reset_cannot_reuse_recent_password(people):
    with pytest.raises(ValidationError, match="最近 5 次"):
        services.password_change(actor=people.sysadmin, user=people.own_clerk, new_password=PASSWORD)


# --- wrong old password: counted with failed logins, in the database ---

T0 = dt.datetime(2018, 8, 8, 9, 0, tzinfo=dt.UTC)


def test_wrong_old_password_counts_down_then_locks_and_logs_out(people, client_for):
    client = client_for(people.own_clerk)
    with clock.frozen(T0):
        for remaining in (4, 3, 2, 1):
            response = _change(client, "Cuowu#0000", NEW[0])
            assert response.context["form"].errors["old_password"] == [
                f"原密码不正确，再错 {remaining} 次账号将被锁定 15 分钟。"
            ]
        response = _change(client, "Cuowu#0000", NEW[0])
    assert response.redirect_chain[-1] == ("/accounts/login/", 302)
    assert "连续输错原密码 5 次，账号已锁定 15 分钟，请稍后重新登录。" in response.content.decode()
    attempt = LoginAttempt.objects.get(username="clerk_a1")
    assert (attempt.failures, attempt.locked_until) == (5, T0 + dt.timedelta(minutes=15))
    # the same lock refuses the login, as if the five failures had been logins
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        login = Client().post("/accounts/login/", {"username": "clerk_a1", "password": PASSWORD})
    assert "账号已锁定" in login.content.decode()
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="account.password_change", result="failed").count() == 5


def test_login_failures_and_change_form_share_one_counter(people, client_for):
    with clock.frozen(T0):
        for _ in range(3):
            Client().post("/accounts/login/", {"username": "clerk_a1", "password": "Cuowu#0000"})
        response = _change(client_for(people.own_clerk), "Cuowu#0000", NEW[0])
    assert response.context["form"].errors["old_password"] == ["原密码不正确，再错 1 次账号将被锁定 15 分钟。"]


def test_locked_account_cannot_change_even_with_the_right_old_password(people, client_for):
    LoginAttempt.objects.create(username="clerk_a1", failures=5, locked_until=clock.now() + dt.timedelta(minutes=5))
    response = _change(client_for(people.own_clerk), PASSWORD, NEW[0])
    assert response.redirect_chain[-1] == ("/accounts/login/", 302)
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.check_password(PASSWORD)


def test_successful_change_clears_the_counter(people, client_for):
    LoginAttempt.objects.create(username="clerk_a1", failures=2)
    _change(client_for(people.own_clerk), PASSWORD, NEW[0])
    assert not LoginAttempt.objects.filter(username="clerk_a1").exists()


# --- an administrator's reset ends tokens and sessions ---


def test_admin_reset_revokes_tokens_and_sessions(people, client_for):
    raw = api_token_create(actor=people.office, user=people.office, name="大屏").raw
    other = api_token_create(actor=people.own_clerk, user=people.own_clerk, name="科室脚本")
    browser = client_for(people.office)
    assert browser.get("/").status_code == 200
    services.password_change(actor=people.sysadmin, user=people.office, new_password=NEW[0])
    assert list(ApiToken.objects.filter(user=people.office).values_list("revoked", flat=True)) == [True]
    assert ApiToken.objects.get(pk=other.token.pk).revoked is False
    assert not Session.objects.filter(user=people.office).exists()
    assert browser.get("/").status_code == 302
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me").status_code == 401
    entry = AuditEntry.objects.get(action="account.password_change")
    assert entry.detail == "管理员重置密码；吊销接口令牌 1 个，结束登录会话 1 个"
    assert PasswordHistory.objects.filter(user=people.office).count() == 1  # the new one, recorded once


def test_own_change_keeps_tokens(people, client_for):
    api_token_create(actor=people.office, user=people.office, name="大屏")
    _change(client_for(people.office), PASSWORD, NEW[0])
    assert ApiToken.objects.get().revoked is False
