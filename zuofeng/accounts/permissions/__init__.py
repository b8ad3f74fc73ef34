"""The one place that answers who may see and do what.

* `visible_unit_ids(user)` — the units whose business data the user may see
  (None means every unit). Every selector of business data filters through
  `scope_to_units()`; nothing else decides visibility (`units.py`).
* `may(user, action, obj)` — may this person do this to this object: the action's roles first
  (`ROLE_ACTIONS`), then the object's rule (`OBJECT_RULES`), else unit visibility for a unit or person.

Rules (docs/architecture.md):
  作风办        every unit of the campaign, read and supervise
  单位管理员     own unit, its subtree, and every unit it reviews (with their subtrees); a department's
                leader reads its 条线 units' lists and lights only through the line pages (`line.view`)
  科室填报员     own section (and its subtree when the assignment says so)
  督查员        the assignment's unit and subtree, or the whole district when unscoped; plus the units
                of the inspection rounds and re-inspections whose team they are on (supervision.py)
  评审专家       no unit data by scope; judging grants its own access (issue 4)
  系统管理员     organisation and accounts, no business data
  安全管理员     security policy only
  审计管理员     the audit trail only

Each domain keeps its actions in its own module (`base`, `rectification`, `nominations`, …), with a
`ROLE_ACTIONS` table (action → roles allowed regardless of object) and an `OBJECT_RULES` table
(action → rule on the object). A new domain adds a module and one entry to `_DOMAINS`; an action
named twice is an error at import, so two domains cannot quietly overrule each other.

* `account_change_decision(actor, operation, target_kind)` — 三员分立, `admin_accounts.py`.
"""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import (
    assessment,
    base,
    complaints,
    nominations,
    notices,
    ops,
    projects,
    rectification,
    supervision,
)
from zuofeng.accounts.permissions.admin_accounts import (  # noqa: F401 (the package's interface)
    ACCOUNT_CHANGE_RULES,
    ALLOW,
    DENY,
    ORDINARY,
    TWO_ADMINS,
    account_change_decision,
    account_target_kind,
    admin_role_of,
    may_decide_admin_change,
)
from zuofeng.accounts.permissions.nominations import judge_conflict_paths, judge_conflicts  # noqa: F401
from zuofeng.accounts.permissions.units import (  # noqa: F401
    ALL,
    can_see_phone,
    can_see_unit,
    edited_units_q,
    edits_unit,
    leads_unit,
    reviewed_units,
    reviews_unit,
    scope_to_units,
    visible_unit_ids,
)
from zuofeng.accounts.roles import has_role
from zuofeng.organisation.models import Person, Unit

_DOMAINS = (base, rectification, nominations, notices, supervision, projects, complaints, assessment, ops)


def _merged(table: str) -> dict:
    merged: dict = {}
    for domain in _DOMAINS:
        for action, value in getattr(domain, table).items():
            if action in merged:
                raise ImportError(f"permission action {action!r} is defined twice ({domain.__name__})")
            merged[action] = value
    return merged


ROLE_ACTIONS: dict[str, frozenset[str]] = _merged("ROLE_ACTIONS")
OBJECT_RULES: dict = _merged("OBJECT_RULES")


def may(user, action: str, obj=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = ROLE_ACTIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    if not has_role(user, *allowed):
        return False
    if obj is None:
        return True
    rule = OBJECT_RULES.get(action)
    if rule is not None:
        return rule(user, obj)
    if isinstance(obj, Unit):
        return has_role(user, Role.SYSTEM_ADMIN, Role.OFFICE) or can_see_unit(user, obj)
    if isinstance(obj, Person):
        return has_role(user, Role.SYSTEM_ADMIN, Role.OFFICE) or can_see_unit(user, obj.unit)
    return True
