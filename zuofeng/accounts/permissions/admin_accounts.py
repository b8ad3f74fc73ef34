"""三员分立: who may grant, revoke, reset or (de)activate which account (docs/decisions.md, "三员分立")."""

from zuofeng.accounts.models import SEPARATED_ADMIN_ROLES, AccountOperation, Role
from zuofeng.accounts.roles import assignments

ALLOW = "allow"  # done at once
TWO_ADMINS = "two_admins"  # only as a request that an administrator of another role approves
DENY = "deny"
ORDINARY = "ordinary"  # target kind: an account holding none of the three administrator roles

_ADMIN_KINDS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

# (actor role, target kind) -> decision, the same for every AccountOperation (grant, revoke,
# reset_password, deactivate, activate). Roles and kinds missing from the table: DENY.
# The audit administrator requests nothing; it only approves or rejects (see may_decide_admin_change).
ACCOUNT_CHANGE_RULES: dict[tuple[str, str], str] = {
    (Role.SYSTEM_ADMIN, ORDINARY): ALLOW,
    **{(Role.SYSTEM_ADMIN, kind): TWO_ADMINS for kind in _ADMIN_KINDS},
    **{(Role.SECURITY_ADMIN, kind): TWO_ADMINS for kind in _ADMIN_KINDS},
}


def account_target_kind(target, *, operation: str, role: str = "") -> str:
    """What an operation touches: the administrator role granted or held, else ORDINARY."""
    if operation == AccountOperation.GRANT and role in SEPARATED_ADMIN_ROLES:
        return role
    held = {a.role for a in assignments(target)} if target is not None else set()
    for kind in _ADMIN_KINDS:
        if kind in held:
            return kind
    return ORDINARY


def account_change_decision(actor, *, operation: str, target_kind: str) -> str:
    """The most the actor's roles allow: ALLOW beats TWO_ADMINS beats DENY."""
    if operation not in AccountOperation.values:
        raise KeyError(f"unknown account operation {operation!r}")
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return DENY
    decisions = {ACCOUNT_CHANGE_RULES.get((a.role, target_kind), DENY) for a in assignments(actor)}
    for decision in (ALLOW, TWO_ADMINS):
        if decision in decisions:
            return decision
    return DENY


def admin_role_of(user) -> str | None:
    """The one administrator role an account holds (三员分立 allows at most one), or None."""
    return next((a.role for a in assignments(user) if a.role in SEPARATED_ADMIN_ROLES), None)


def may_decide_admin_change(user, change) -> bool:
    """Approve or reject: an administrator of another role than the requester, and not the account concerned."""
    from zuofeng.accounts.permissions import may

    if not may(user, "admin_change.view"):
        return False
    role = admin_role_of(user)
    return role != change.requester_role and user.pk not in (change.requested_by_id, change.target_id)
