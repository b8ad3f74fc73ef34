"""三员变更申请: a change to an administrator account asked for by one administrator and carried
out only when an administrator of another role approves it (docs/decisions.md, "三员分立").

The moves are one table; `admin_change_move` is the only function that changes a request's state.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts import services
from zuofeng.accounts.models import (
    AccountOperation,
    AdminChangeRequest,
    AdminChangeState,
    Role,
    RoleAssignment,
    User,
)
from zuofeng.accounts.permissions import (
    TWO_ADMINS,
    account_change_decision,
    account_target_kind,
    admin_role_of,
    may_decide_admin_change,
)
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock

# (state, move) -> new state; who may make the move is checked in admin_change_move.
MOVES = {
    (AdminChangeState.PENDING, "approve"): AdminChangeState.APPROVED,
    (AdminChangeState.PENDING, "reject"): AdminChangeState.REJECTED,
    (AdminChangeState.PENDING, "withdraw"): AdminChangeState.WITHDRAWN,
}
MOVE_LABELS = {"approve": "批准", "reject": "驳回", "withdraw": "撤回"}


def admin_change_request(
    *, actor: User, target: User, operation: str, role: str = "", password: str = "", reason: str = ""
) -> AdminChangeRequest:
    """Ask for a change the table marks TWO_ADMINS; checked now, carried out on approval."""
    kind = account_target_kind(target, operation=operation, role=role)
    if account_change_decision(actor, operation=operation, target_kind=kind) != TWO_ADMINS:
        audit_record(actor=actor, action="admin_change.request", obj=target, result=AuditResult.DENIED)
        raise PermissionDenied("该变更无须申请，或您无权申请（三员分立）。")
    if operation == AccountOperation.GRANT:
        services.role_separation_check(user=target, role=role)
    errors = {}
    reason = (reason or "").strip()
    if operation in (AccountOperation.GRANT, AccountOperation.REVOKE) and role not in Role.values:
        errors["role"] = "请选择角色。"
    if operation == AccountOperation.REVOKE and not RoleAssignment.objects.filter(user=target, role=role).exists():
        errors["role"] = f"账号“{target.username}”没有该角色。"
    password_hash = ""
    if operation == AccountOperation.RESET_PASSWORD:
        try:
            validate_password(password, target)
        except ValidationError as error:
            errors["password"] = error.messages
        password_hash = make_password(password)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            change = AdminChangeRequest.objects.create(
                operation=operation,
                target=target,
                role=role if operation in (AccountOperation.GRANT, AccountOperation.REVOKE) else "",
                password_hash=password_hash,
                reason=reason[:200],
                requested_by=actor,
                requester_role=admin_role_of(actor),
            )
            audit_record(actor=actor, action="admin_change.request", obj=target, after=_summary(change))
    except IntegrityError:
        raise ValidationError("该账号已有一项相同的申请待批准。") from None
    return change


def admin_change_move(*, actor: User, change: AdminChangeRequest, move: str) -> AdminChangeRequest:
    """Approve (and carry out), reject, or withdraw a pending request."""
    with transaction.atomic():
        change = AdminChangeRequest.objects.select_for_update().get(pk=change.pk)
        new_state = MOVES.get((change.state, move))
        allowed = (
            change.requested_by_id == actor.pk and actor.is_active
            if move == "withdraw"
            else may_decide_admin_change(actor, change)
        )
        if new_state is None or not allowed:
            refused = True
        else:
            refused = False
            if new_state == AdminChangeState.APPROVED:
                _carry_out(actor=actor, change=change)
            change.state = new_state
            change.decided_by = actor
            change.decided_at = clock.now()
            change.password_hash = ""
            change.save(update_fields=["state", "decided_by", "decided_at", "password_hash", "updated_at"])
            audit_record(actor=actor, action=f"admin_change.{move}", obj=change.target, after=_summary(change))
    if refused:
        audit_record(actor=actor, action=f"admin_change.{move}", obj=change.target, result=AuditResult.DENIED)
        raise PermissionDenied("您不能处理这项申请：须由申请人以外、角色不同的管理员批准，且不能是被变更的账号本人。")
    return change


def _carry_out(*, actor: User, change: AdminChangeRequest) -> None:
    target, detail = change.target, f"三员变更申请 #{change.pk}，申请人 {change.requested_by.username}"
    if change.operation == AccountOperation.GRANT:
        services.role_assign_apply(actor=actor, user=target, role=change.role)
    elif change.operation == AccountOperation.REVOKE:
        for assignment in RoleAssignment.objects.filter(user=target, role=change.role):
            services.role_revoke_apply(actor=actor, assignment=assignment)
    elif change.operation == AccountOperation.RESET_PASSWORD:
        services.password_reset_apply(actor=actor, user=target, password_hash=change.password_hash, detail=detail)
    else:
        services.user_set_active_apply(actor=actor, user=target, active=change.operation == AccountOperation.ACTIVATE)


def _summary(change: AdminChangeRequest) -> dict:
    return {
        "request": change.pk,
        "operation": change.operation,
        "role": change.role,
        "state": change.state,
        "requested_by": change.requested_by.username,
    }
