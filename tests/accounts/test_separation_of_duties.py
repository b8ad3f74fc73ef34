"""三员分立: which role may grant, revoke, reset or (de)activate which account, and the two-admin rule."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from tests.factories import PASSWORD, make_user
from zuofeng.accounts import services
from zuofeng.accounts.admin_changes import admin_change_move, admin_change_request
from zuofeng.accounts.models import (
    AccountOperation,
    AdminChangeRequest,
    AdminChangeState,
    ApiToken,
    Role,
    RoleAssignment,
    User,
)
from zuofeng.accounts.permissions import (
    ALLOW,
    DENY,
    TWO_ADMINS,
    account_change_decision,
    account_target_kind,
)
from zuofeng.api.services import api_token_create
from zuofeng.audit.models import AuditEntry

NEW_PASSWORD = "Qiang#Mima7"
ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}


def _expected(actor_role: str, target_role: str) -> str:
    """The rule written out: the system administrator manages ordinary accounts alone; any change
    touching one of the three administrators is a two-admin request, which only the system and
    security administrators may file; everybody else may do nothing."""
    if actor_role == Role.SYSTEM_ADMIN:
        return TWO_ADMINS if target_role in ADMINS else ALLOW
    if actor_role == Role.SECURITY_ADMIN:
        return TWO_ADMINS if target_role in ADMINS else DENY
    return DENY


def _holding(role: str) -> User:
    """An unsaved account whose role assignments are already known (no database needed)."""
    user = User(username=f"has_{role}")
    user._role_assignments_cache = [RoleAssignment(role=role)]
    return user


@pytest.mark.parametrize("operation", AccountOperation.values)
@pytest.mark.parametrize("target_role", Role.values)
@pytest.mark.parametrize("actor_role", Role.values)
def test_account_change_table(actor_role, target_role, operation):
    if operation == AccountOperation.GRANT:
        target, role = User(username="new"), target_role  # granting target_role to an account with none
        target._role_assignments_cache = []
    else:
        target, role = _holding(target_role), ""
    kind = account_target_kind(target, operation=operation, role=role)
    assert account_change_decision(_holding(actor_role), operation=operation, target_kind=kind) == _expected(
        actor_role, target_role
    )


def test_inactive_or_anonymous_actor_may_do_nothing():
    actor = _holding(Role.SYSTEM_ADMIN)
    actor.is_active = False
    assert account_change_decision(actor, operation="grant", target_kind="ordinary") == DENY
    assert account_change_decision(None, operation="grant", target_kind="ordinary") == DENY


def test_unknown_operation_is_a_programming_error():
    with pytest.raises(KeyError):
        account_change_decision(_holding(Role.SYSTEM_ADMIN), operation="delete", target_kind="ordinary")


# --- the services refuse what the table refuses ---


@pytest.mark.parametrize("admin", ["secadmin", "auditor"])
def test_sysadmin_cannot_reset_deactivate_or_demote_the_other_admins_directly(people, admin):
    target = getattr(people, admin)
    with pytest.raises(services.NeedsSecondAdmin):
        services.password_change(actor=people.sysadmin, user=target, new_password=NEW_PASSWORD)
    with pytest.raises(services.NeedsSecondAdmin):
        services.user_set_active(actor=people.sysadmin, user=target, active=False)
    with pytest.raises(services.NeedsSecondAdmin):
        services.role_revoke(actor=people.sysadmin, assignment=target.role_assignments.get())
    target.refresh_from_db()
    assert (target.is_active, target.check_password(PASSWORD), target.role_assignments.count()) == (True, True, 1)
    denied = AuditEntry.objects.filter(result="denied", object_id=str(target.pk)).order_by("id")
    assert list(denied.values_list("action", "detail")) == [
        ("account.reset_password", "须另一名不同角色的管理员批准（三员分立）"),
        ("account.deactivate", "须另一名不同角色的管理员批准（三员分立）"),
        ("account.revoke", "须另一名不同角色的管理员批准（三员分立）"),
    ]


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_sysadmin_cannot_grant_an_admin_role_directly(people, role):
    fresh = make_user("fresh")
    with pytest.raises(services.NeedsSecondAdmin):
        services.role_assign(actor=people.sysadmin, user=fresh, role=role)
    assert not fresh.role_assignments.exists()


def test_sysadmin_still_manages_ordinary_accounts(people, org):
    services.role_assign(actor=people.sysadmin, user=people.judge, role=Role.INSPECTOR)
    services.password_change(actor=people.sysadmin, user=people.own_clerk, new_password=NEW_PASSWORD)
    services.user_set_active(actor=people.sysadmin, user=people.other_leader, active=False)
    assert people.judge.role_assignments.filter(role=Role.INSPECTOR).exists()
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.check_password(NEW_PASSWORD)


def test_security_admin_cannot_touch_ordinary_accounts(people):
    with pytest.raises(PermissionDenied):
        services.password_change(actor=people.secadmin, user=people.own_clerk, new_password=NEW_PASSWORD)


# --- two of the three: a request by one administrator, approved by another of a different role ---


def test_new_auditor_needs_request_and_approval(people):
    fresh = make_user("auditor2")
    change = admin_change_request(
        actor=people.sysadmin, target=fresh, operation="grant", role=Role.AUDIT_ADMIN, reason="审计员调岗"
    )
    assert (change.state, change.requester_role, fresh.role_assignments.count()) == ("pending", "system_admin", 0)
    admin_change_move(actor=people.secadmin, change=change, move="approve")
    change.refresh_from_db()
    assert (change.state, change.decided_by) == (AdminChangeState.APPROVED, people.secadmin)
    assert list(fresh.role_assignments.values_list("role", flat=True)) == [Role.AUDIT_ADMIN]
    trail = AuditEntry.objects.filter(object_id=str(fresh.pk)).order_by("id")
    assert [(e.action, e.actor_username) for e in trail if e.action != "account.create"] == [
        ("admin_change.request", "sysadmin"),
        ("role.assign", "secadmin"),
        ("admin_change.approve", "secadmin"),
    ]


@pytest.mark.parametrize(
    ("approver", "why"),
    [("sysadmin", "the requester"), ("sysadmin2", "same role as the requester"), ("secadmin", "the account changed")],
)
def test_approval_refused(people, approver, why):
    make_user("sysadmin2", role=Role.SYSTEM_ADMIN)
    change = admin_change_request(actor=people.sysadmin, target=people.secadmin, operation="deactivate")
    with pytest.raises(PermissionDenied):
        admin_change_move(actor=User.objects.get(username=approver), change=change, move="approve")
    change.refresh_from_db()
    people.secadmin.refresh_from_db()
    assert (change.state, people.secadmin.is_active) == ("pending", True)
    assert AuditEntry.objects.filter(action="admin_change.approve", result="denied").count() == 1


def test_business_roles_cannot_approve(people):
    change = admin_change_request(actor=people.sysadmin, target=people.auditor, operation="deactivate")
    with pytest.raises(PermissionDenied):
        admin_change_move(actor=people.office, change=change, move="approve")


def test_auditor_approves_reset_of_security_admin_which_ends_tokens_and_sessions(people, client_for):
    session = client_for(people.secadmin)
    change = admin_change_request(
        actor=people.sysadmin, target=people.secadmin, operation="reset_password", password=NEW_PASSWORD
    )
    people.secadmin.refresh_from_db()
    assert people.secadmin.check_password(PASSWORD)  # nothing happens before approval
    admin_change_move(actor=people.auditor, change=change, move="approve")
    people.secadmin.refresh_from_db()
    change.refresh_from_db()
    assert (people.secadmin.check_password(NEW_PASSWORD), people.secadmin.must_change_password) == (True, True)
    assert change.password_hash == ""  # the proposed password is not kept once decided
    assert session.get("/accounts/security/").status_code == 302  # logged out


def test_request_password_checked_when_asked(people):
    with pytest.raises(ValidationError) as refused:
        admin_change_request(actor=people.sysadmin, target=people.auditor, operation="reset_password", password="abc")
    assert refused.value.message_dict["password"][0] == "密码至少 8 位"
    assert not AdminChangeRequest.objects.exists()


def test_reject_and_withdraw(people):
    first = admin_change_request(actor=people.secadmin, target=people.sysadmin, operation="deactivate")
    admin_change_move(actor=people.auditor, change=first, move="reject")
    second = admin_change_request(actor=people.secadmin, target=people.sysadmin, operation="deactivate")
    with pytest.raises(PermissionDenied):
        admin_change_move(actor=people.auditor, change=second, move="withdraw")  # only the requester withdraws
    admin_change_move(actor=people.secadmin, change=second, move="withdraw")
    with pytest.raises(PermissionDenied):
        admin_change_move(actor=people.auditor, change=second, move="approve")  # closed requests stay closed
    people.sysadmin.refresh_from_db()
    assert people.sysadmin.is_active is True
    assert list(AdminChangeRequest.objects.order_by("id").values_list("state", flat=True)) == ["rejected", "withdrawn"]


def test_one_pending_request_per_change(people):
    admin_change_request(actor=people.sysadmin, target=people.auditor, operation="deactivate")
    with pytest.raises(ValidationError, match="已有一项相同的申请待批准"):
        admin_change_request(actor=people.secadmin, target=people.auditor, operation="deactivate")


@pytest.mark.parametrize("actor", ["auditor", "office", "own_clerk"])
def test_only_system_and_security_admins_file_requests(people, actor):
    with pytest.raises(PermissionDenied):
        admin_change_request(actor=getattr(people, actor), target=people.secadmin, operation="deactivate")


def test_ordinary_changes_are_not_requests(people):
    with pytest.raises(PermissionDenied):
        admin_change_request(actor=people.sysadmin, target=people.own_clerk, operation="deactivate")


# --- pages ---


def test_sysadmin_pages_file_requests_for_admin_accounts(people, client_for):
    client = client_for(people.sysadmin)
    response = client.post(f"/accounts/users/{people.auditor.pk}/active/", {"active": "0"}, follow=True)
    assert "已提交三员变更申请" in response.content.decode()
    people.auditor.refresh_from_db()
    assert people.auditor.is_active is True
    detail = client.get(f"/accounts/users/{people.auditor.pk}/").content.decode()
    assert 'data-testid="pending-changes"' in detail and "停用账号（" not in detail
    response = client.post(
        f"/accounts/users/{people.auditor.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert list(AdminChangeRequest.objects.values_list("operation", "state")) == [
        ("deactivate", "pending"),
        ("reset_password", "pending"),
    ]


def test_request_page_shows_buttons_by_who_may_do_what(people, client_for):
    change = admin_change_request(actor=people.sysadmin, target=people.auditor, operation="deactivate")
    own = client_for(people.sysadmin).get("/accounts/admin-changes/").content.decode()
    approver = client_for(people.secadmin).get("/accounts/admin-changes/").content.decode()
    target = client_for(people.auditor).get("/accounts/admin-changes/").content.decode()
    approve_url = f"/accounts/admin-changes/{change.pk}/approve/"
    assert (approve_url in own, approve_url in approver, approve_url in target) == (False, True, False)
    assert f"/accounts/admin-changes/{change.pk}/withdraw/" in own
    assert client_for(people.office).get("/accounts/admin-changes/").status_code == 403


def test_request_page_files_and_approves(people, client_for):
    secadmin = client_for(people.secadmin)
    response = secadmin.post(
        "/accounts/admin-changes/",
        {"username": "sysadmin", "operation": "reset_password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
         "reason": "系统管理员忘记密码"},
    )  # fmt: skip
    assert response.status_code == 302
    change = AdminChangeRequest.objects.get()
    assert (change.reason, change.requested_by) == ("系统管理员忘记密码", people.secadmin)
    client_for(people.auditor).post(f"/accounts/admin-changes/{change.pk}/approve/")
    people.sysadmin.refresh_from_db()
    assert people.sysadmin.check_password(NEW_PASSWORD)


def test_request_page_bad_input_keeps_what_was_typed(people, client_for):
    response = client_for(people.sysadmin).post(
        "/accounts/admin-changes/", {"username": "nobody", "operation": "deactivate", "reason": "离职"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["username"] == ["账号“nobody”不存在。"]
    assert 'value="离职"' in response.content.decode()
    assert not AdminChangeRequest.objects.exists()


# --- on the server: manage.py admin_grant ---


def test_admin_grant_command(people):
    fresh = make_user("auditor2")
    call_command("admin_grant", "auditor2", "audit_admin")
    assert list(fresh.role_assignments.values_list("role", flat=True)) == [Role.AUDIT_ADMIN]
    entry = AuditEntry.objects.filter(action="role.assign").get()
    assert (entry.actor_id, entry.after) == (None, {"role": "audit_admin", "unit": None})


def test_admin_grant_command_keeps_separation(people):
    with pytest.raises(CommandError, match="不能与其他角色兼任"):
        call_command("admin_grant", "clerk_a1", "security_admin")
    with pytest.raises(CommandError, match="不存在"):
        call_command("admin_grant", "nobody", "security_admin")


def test_admin_grant_command_refuses_business_roles(people):
    with pytest.raises(CommandError):
        call_command("admin_grant", "judge", "office")


def test_tokens_not_revoked_by_refused_reset(people):
    api_token_create(actor=people.office, user=people.office, name="脚本")
    with pytest.raises(PermissionDenied):
        services.password_change(actor=people.secadmin, user=people.office, new_password=NEW_PASSWORD)
    assert ApiToken.objects.filter(revoked=False).count() == 1
