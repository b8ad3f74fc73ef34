"""Actions that belong to no business domain: pages, the tree, the administrators, API tokens."""

from zuofeng.accounts.models import SEPARATED_ADMIN_ROLES, Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "home.view": frozenset(Role.values),
    "campaign.view": frozenset(Role.values),
    "campaign.manage": frozenset({Role.OFFICE}),
    "unit.view": frozenset(
        {Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR, Role.SYSTEM_ADMIN, Role.JUDGE}
    ),
    "unit.assign_reviewer": frozenset({Role.OFFICE}),
    # 公文排序 is the office's to keep; the system administrator maintains the tree
    "unit.reorder": frozenset({Role.OFFICE, Role.SYSTEM_ADMIN}),
    "person.view": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR, Role.SYSTEM_ADMIN}),
    "organisation.manage": frozenset({Role.SYSTEM_ADMIN}),
    "accounts.manage": frozenset({Role.SYSTEM_ADMIN}),
    "security.manage": frozenset({Role.SECURITY_ADMIN}),
    "audit.view": frozenset({Role.AUDIT_ADMIN}),
    # 接口令牌: only the roles whose work other systems read or feed (docs/decisions.md).
    "api_token.create": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR}),
    "api_token.revoke_any": frozenset({Role.SECURITY_ADMIN}),
    # 三员变更申请: the page and deciding on a request; requesting follows ACCOUNT_CHANGE_RULES.
    "admin_change.view": SEPARATED_ADMIN_ROLES,
}

OBJECT_RULES: dict = {}
