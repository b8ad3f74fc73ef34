"""API tokens: 90-day expiry shown at creation; dead while the account is locked, inactive or owes a
password change; revocable by 安全管理员 from a page that never shows a secret; only API roles hold them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from zuofeng.accounts.models import ApiToken, LoginAttempt, Role
from zuofeng.api.services import TOKEN_LIFETIME, api_token_create
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock

T0 = dt.datetime(2018, 8, 8, 9, 0, tzinfo=dt.UTC)


def _status(raw: str) -> int:
    return Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me").status_code


def test_default_lifetime_is_ninety_days(people):
    with clock.frozen(T0):
        issued = api_token_create(actor=people.office, user=people.office, name="大屏")
    assert dt.timedelta(days=90) == TOKEN_LIFETIME
    assert issued.token.expires_at == T0 + dt.timedelta(days=90)


def test_expiry_shown_at_creation_and_in_the_list(people, client_for):
    client = client_for(people.office)
    with clock.frozen(T0):
        response = client.post("/api/tokens/", {"name": "大屏"})
    page = response.content.decode()
    assert "有效期至 2018年11月6日 17:00" in page
    assert "（90 天）" in page


def test_token_works_until_it_expires(people):
    with clock.frozen(T0):
        raw = api_token_create(actor=people.office, user=people.office, name="大屏").raw
    with clock.frozen(T0 + dt.timedelta(days=90) - dt.timedelta(seconds=1)):
        assert _status(raw) == 200
    with clock.frozen(T0 + dt.timedelta(days=90)):
        assert _status(raw) == 401


def test_expired_tokens_do_not_count_against_the_limit(people):
    with clock.frozen(T0):
        for n in range(10):
            api_token_create(actor=people.office, user=people.office, name=f"旧{n}")
    with clock.frozen(T0 + dt.timedelta(days=91)):
        api_token_create(actor=people.office, user=people.office, name="新")


def test_token_dead_while_locked(people):
    raw = api_token_create(actor=people.office, user=people.office, name="大屏").raw
    lock = LoginAttempt.objects.create(
        username="office", failures=5, locked_until=clock.now() + dt.timedelta(minutes=5)
    )
    assert _status(raw) == 401
    lock.delete()
    assert _status(raw) == 200


def test_token_dead_while_inactive(people):
    raw = api_token_create(actor=people.office, user=people.office, name="大屏").raw
    people.office.is_active = False
    people.office.save()
    assert _status(raw) == 401


def test_token_refused_while_password_change_owed(people):
    raw = api_token_create(actor=people.office, user=people.office, name="大屏").raw
    people.office.must_change_password = True
    people.office.save()
    assert _status(raw) == 403


def test_token_dies_with_the_role_that_needed_it(people):
    raw = api_token_create(actor=people.inspector, user=people.inspector, name="督查脚本").raw
    people.inspector.role_assignments.all().delete()
    assert _status(raw) == 401


# --- which roles hold tokens ---


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("office", True),
        ("reviewer", True),
        ("own_clerk", True),
        ("inspector", True),
        ("judge", False),
        ("sysadmin", False),
        ("secadmin", False),
        ("auditor", False),
    ],
)
def test_token_roles(people, who, allowed):
    user = getattr(people, who)
    if allowed:
        assert api_token_create(actor=user, user=user, name="脚本").token.user == user
    else:
        with pytest.raises(PermissionDenied):
            api_token_create(actor=user, user=user, name="脚本")
        assert not ApiToken.objects.exists()


def test_auditor_token_page_has_no_form_and_refuses_posts(people, client_for):
    client = client_for(people.auditor)
    page = client.get("/api/tokens/").content.decode()
    assert 'data-testid="no-token-role"' in page and 'name="name"' not in page
    assert client.post("/api/tokens/", {"name": "脚本"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_command_line_refuses_roles_without_api(people):
    with pytest.raises(CommandError, match="角色不使用接口"):
        call_command("api_token_create", "auditor", "--name", "脚本")
    with pytest.raises(ValidationError):
        api_token_create(actor=None, user=people.judge, name="脚本")


# --- 安全管理员: every token, no secrets, revoke any ---


def test_security_admin_lists_every_token_without_secrets(people, client_for):
    issued = [
        api_token_create(actor=people.office, user=people.office, name="大屏"),
        api_token_create(actor=people.own_clerk, user=people.own_clerk, name="科室脚本"),
    ]
    response = client_for(people.secadmin).get("/api/tokens/all/")
    page = response.content.decode()
    assert response.status_code == 200
    for one in issued:
        assert one.raw not in page and one.token.token_hash not in page
        assert f"{one.token.prefix}…" in page and one.token.name in page
    assert [t.user.username for t in response.context["page"].object_list] == ["clerk_a1", "office"]


def test_security_admin_revokes_any_token(people, client_for):
    issued = api_token_create(actor=people.office, user=people.office, name="大屏")
    response = client_for(people.secadmin).post(f"/api/tokens/all/{issued.token.pk}/revoke/", follow=True)
    assert "已吊销账号“office”的令牌“大屏”。" in response.content.decode()
    assert _status(issued.raw) == 401
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert (entry.actor_username, entry.object_id) == ("secadmin", str(people.office.pk))


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "office"])
def test_others_cannot_see_or_revoke_every_token(people, client_for, who):
    issued = api_token_create(actor=people.own_clerk, user=people.own_clerk, name="科室脚本")
    client = client_for(getattr(people, who))
    assert client.get("/api/tokens/all/").status_code == 403
    assert client.post(f"/api/tokens/all/{issued.token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.get().revoked is False


def test_owner_still_revokes_own(people, client_for):
    issued = api_token_create(actor=people.reviewer, user=people.reviewer, name="单位脚本")
    client_for(people.reviewer).post(f"/api/tokens/{issued.token.pk}/revoke/")
    assert _status(issued.raw) == 401
    assert people.reviewer.role_assignments.get().role == Role.UNIT_LEADER
