import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from zuofeng.accounts import services
from zuofeng.accounts.middleware import SESSION_KEY
from zuofeng.accounts.models import LoginAttempt, SecurityPolicy, User
from zuofeng.accounts.passwords import PolicyPasswordValidator, character_classes
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock

T0 = dt.datetime(2018, 8, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _last() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


# --- password policy ---


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Ab1#", ["密码至少 8 位"]),
        ("abcdefgh", ["密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 种"]),
        ("abcd1234", ["密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 种"]),
        ("ab1", ["密码至少 8 位", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 种"]),
        ("Xzhangsan1", ["密码不能包含用户名"]),
        ("ZHANGSAN#1x", ["密码不能包含用户名"]),
    ],
)
def test_password_validator_messages(db, password, messages):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="zhangsan"))
    assert refused.value.messages == messages


@pytest.mark.parametrize("password", ["Abcdefg1", "abcdef1#", "ABCDEF1#", "Ab#Ab#Ab", "长城Ab1#xyz"])
def test_password_validator_accepts_three_classes(db, password):
    validate_password(password, User(username="zhangsan"))


def test_password_validator_follows_the_policy(db):
    SecurityPolicy.objects.update_or_create(pk=1, defaults=dict(min_password_length=12, min_character_classes=4))
    with pytest.raises(ValidationError) as refused:
        validate_password("Abcdefg12", User(username="zhangsan"))
    assert refused.value.messages == ["密码至少 12 位", "密码须包含大写字母、小写字母、数字、特殊字符中的至少 4 种"]


def test_password_validator_help_text_and_classes():
    assert PolicyPasswordValidator().get_help_text().startswith("至少 8 位")
    assert character_classes("aA1#") == 4


# --- idle timeout ---


def test_idle_timeout_logs_out_after_thirty_one_minutes(people, client_for):
    client = client_for(people.own_clerk)
    with clock.frozen(T0):
        assert client.get("/").status_code == 200
    with clock.frozen(T0 + dt.timedelta(minutes=31)):
        response = client.get("/campaigns/?x=1")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=%2Fcampaigns%2F%3Fx%3D1")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "由于长时间未操作，您已自动退出，请重新登录。" in page
    last = AuditEntry.objects.filter(action="auth.idle_logout").get()
    assert (last.actor_username, last.detail) == ("clerk_a1", "长时间未操作，自动退出")


def test_idle_timeout_activity_keeps_the_session(people, client_for):
    client = client_for(people.own_clerk)
    for minutes in (0, 29, 58, 87):
        with clock.frozen(T0 + dt.timedelta(minutes=minutes)):
            assert client.get("/").status_code == 200
    assert client.session[SESSION_KEY] == (T0 + dt.timedelta(minutes=87)).timestamp()


def test_idle_timeout_api_gets_401_not_redirect(people, client_for):
    client = client_for(people.own_clerk)
    with clock.frozen(T0):
        client.get("/")
    with clock.frozen(T0 + dt.timedelta(minutes=31)):
        response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert response.json() == {"detail": "会话已超时，请重新登录。"}


def test_idle_timeout_htmx_asks_for_full_page_redirect(people, client_for):
    client = client_for(people.own_clerk)
    with clock.frozen(T0):
        client.get("/")
    with clock.frozen(T0 + dt.timedelta(minutes=31)):
        response = client.get("/", headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, "/accounts/login/?next=%2F")


def test_idle_timeout_message_when_placed_after_message_middleware(people, client_for, settings):
    order = [m for m in settings.MIDDLEWARE if m != "zuofeng.accounts.middleware.IdleTimeoutMiddleware"]
    settings.MIDDLEWARE = [*order, "zuofeng.accounts.middleware.IdleTimeoutMiddleware"]
    client = client_for(people.own_clerk)
    with clock.frozen(T0):
        client.get("/")
    with clock.frozen(T0 + dt.timedelta(minutes=31)):
        response = client.get("/", follow=True)
    assert "由于长时间未操作，您已自动退出，请重新登录。" in response.content.decode()


def test_idle_timeout_follows_the_policy(people, client_for):
    SecurityPolicy.objects.update_or_create(pk=1, defaults=dict(idle_timeout_minutes=10))
    client = client_for(people.own_clerk)
    with clock.frozen(T0):
        client.get("/")
    with clock.frozen(T0 + dt.timedelta(minutes=11)):
        assert client.get("/").status_code == 302


# --- security-policy page ---

VALID = {
    "min_password_length": "10",
    "min_character_classes": "4",
    "max_failed_logins": "5",
    "lockout_minutes": "20",
    "idle_timeout_minutes": "15",
    "audit_retention_days": "365",
}


@pytest.mark.parametrize("who", ["own_clerk", "office", "sysadmin", "auditor", "reviewer"])
def test_security_page_refuses_others_and_audits(people, client_for, who):
    user = getattr(people, who)
    client = client_for(user)
    assert client.get("/accounts/security/").status_code == 403
    assert client.post("/accounts/security/", VALID).status_code == 403
    assert SecurityPolicy.current().min_password_length == 8
    last = _last()
    assert (last.action, last.result, last.actor_username) == ("security.policy_view", "denied", user.username)


def test_security_page_shows_policy_to_security_admin(people, client_for):
    response = client_for(people.secadmin).get("/accounts/security/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="audit_retention_days" value="190"' in page
    assert "目前没有被锁定的账号。" in page


def test_security_page_saves_and_audits(people, client_for):
    response = client_for(people.secadmin).post("/accounts/security/", VALID)
    assert (response.status_code, response["Location"]) == (302, "/accounts/security/")
    policy = SecurityPolicy.current()
    assert (policy.min_password_length, policy.idle_timeout_minutes, policy.audit_retention_days) == (10, 15, 365)
    last = _last()
    assert (last.action, last.actor_username) == ("security.policy_update", "secadmin")
    assert (last.before["min_password_length"], last.after["min_password_length"]) == (8, 10)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_password_length", "6", "密码最短长度须在 8 到 64 位之间（等保要求不少于 8 位）。"),
        ("min_character_classes", "2", "密码至少包含的字符种类须为 3 或 4 种（等保要求不少于 3 种）。"),
        ("audit_retention_days", "179", "审计日志至少保存 180 天（六个月）。"),
        ("lockout_minutes", "0", "锁定时长须在 1 到 1440 分钟之间。"),
        ("idle_timeout_minutes", "abc", "无操作自动退出（分钟）须为整数。"),
        ("max_failed_logins", "", "请填写连续登录失败锁定次数。"),
    ],
)
def test_security_page_errors_at_the_field_keep_input(people, client_for, field, value, message):
    response = client_for(people.secadmin).post("/accounts/security/", {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    page = response.content.decode()
    assert 'name="lockout_minutes" value="20"' in page or field == "lockout_minutes"
    assert SecurityPolicy.current().lockout_minutes == 15


def test_security_page_shows_service_refusal_at_the_field(people, client_for, monkeypatch):
    def refuse(**values):
        raise ValidationError({"lockout_minutes": "锁定时长不符合要求。"})

    monkeypatch.setattr(services, "security_policy_update", refuse)
    response = client_for(people.secadmin).post("/accounts/security/", VALID)
    assert response.context["form"].errors == {"lockout_minutes": ["锁定时长不符合要求。"]}


def test_security_policy_update_service_validates(people):
    with pytest.raises(ValidationError) as refused:
        services.security_policy_update(actor=people.secadmin, audit_retention_days=100, min_password_length=7)
    assert refused.value.message_dict == {
        "audit_retention_days": ["审计日志至少保存 180 天（六个月）。"],
        "min_password_length": ["密码最短长度须在 8 到 64 位之间（等保要求不少于 8 位）。"],
    }
    with pytest.raises(ValueError):
        services.security_policy_update(actor=people.secadmin, updated_at=None)


def test_security_policy_update_service_refuses_others(people):
    with pytest.raises(PermissionDenied):
        services.security_policy_update(actor=people.sysadmin, idle_timeout_minutes=60)
    assert (_last().action, _last().result) == ("security.policy_update", "denied")


def test_security_page_lists_and_unlocks_locked_account(people, client_for):
    now = clock.now()
    LoginAttempt.objects.create(username="clerk_a1", failures=5, locked_until=now + dt.timedelta(minutes=10))
    LoginAttempt.objects.create(username="ghost", failures=5, locked_until=now + dt.timedelta(minutes=5))
    LoginAttempt.objects.create(username="clerk_a2", failures=2, locked_until=None)
    client = client_for(people.secadmin)
    locks = client.get("/accounts/security/").context["locks"]
    assert [(lock.username, getattr(lock.account, "username", None)) for lock in locks] == [
        ("clerk_a1", "clerk_a1"),
        ("ghost", None),
    ]
    response = client.post("/accounts/security/", {"unlock": "clerk_a1"}, follow=True)
    assert "已解除账号“clerk_a1”的登录锁定。" in response.content.decode()
    assert list(LoginAttempt.objects.values_list("username", flat=True).order_by("username")) == ["clerk_a2", "ghost"]
    last = AuditEntry.objects.filter(action="auth.unlock").get()
    assert (last.actor_username, last.object_id) == ("secadmin", "clerk_a1")


def test_security_page_unlock_refused_to_others(people, client_for):
    LoginAttempt.objects.create(username="clerk_a1", failures=5, locked_until=clock.now() + dt.timedelta(minutes=10))
    assert client_for(people.office).post("/accounts/security/", {"unlock": "clerk_a1"}).status_code == 403
    assert LoginAttempt.objects.filter(username="clerk_a1").exists()
