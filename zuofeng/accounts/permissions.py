"""The one place that answers who may see and do what.

* `visible_unit_ids(user)` — the units whose business data the user may see
  (None means every unit). Every selector of business data filters through
  `scope_to_units()`; nothing else decides visibility.
* `may(user, action, obj)` — may this person do this to this object.

Rules (docs/architecture.md):
  作风办        every unit of the campaign, read and supervise
  单位管理员     own unit, its subtree, and every unit it reviews (with their subtrees)
  科室填报员     own section (and its subtree when the assignment says so)
  督查员        the assignment's unit and subtree, or the whole district when unscoped
  评审专家       no unit data by scope; judging grants its own access (issue 4)
  系统管理员     organisation and accounts, no business data
  安全管理员     security policy only
  审计管理员     the audit trail only

* `account_change_decision(actor, operation, target_kind)` — 三员分立: who may grant, revoke,
  reset or (de)activate which account, from the table ACCOUNT_CHANGE_RULES below.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zuofeng.accounts.models import SEPARATED_ADMIN_ROLES, AccountOperation, Role
from zuofeng.accounts.roles import assignments, has_role
from zuofeng.organisation.models import Person, Unit

ALL = None  # sentinel: no restriction


def _subtree_q(units: Iterable[Unit]) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return q


def reviewed_units(unit: Unit) -> QuerySet[Unit]:
    """Units whose review authority is `unit`: its children without another reviewer, plus assigned ones."""
    return Unit.objects.filter(Q(reviewer=unit) | Q(parent=unit, reviewer__isnull=True))


def visible_unit_ids(user) -> frozenset[int] | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_visible_unit_ids_cache", "unset")
    if cached != "unset":
        return cached
    roots: list[Unit] = []
    single: list[int] = []
    result: frozenset[int] | None = None
    for a in assignments(user):
        if a.role == Role.OFFICE:
            result = ALL
            break
        if a.role == Role.INSPECTOR:
            if a.unit_id is None:
                result = ALL
                break
            roots.append(a.unit)
        elif a.role == Role.UNIT_LEADER:
            roots.append(a.unit)
            roots.extend(Unit.objects.filter(reviewer=a.unit))
        elif a.role == Role.SECTION_CLERK:
            if a.include_subtree:
                roots.append(a.unit)
            else:
                single.append(a.unit_id)
    else:
        ids = set(single)
        if roots:
            ids.update(Unit.objects.filter(_subtree_q(roots)).values_list("pk", flat=True))
        result = frozenset(ids)
    user._visible_unit_ids_cache = result
    return result


def scope_to_units(user, queryset: QuerySet, unit_field: str = "unit") -> QuerySet:
    """Filter any business queryset down to rows of units the user may see."""
    ids = visible_unit_ids(user)
    if ids is ALL:
        return queryset
    if not ids:
        return queryset.none()
    lookup = "pk__in" if unit_field in ("", "self") else f"{unit_field}__in"
    return queryset.filter(**{lookup: ids})


def can_see_unit(user, unit: Unit) -> bool:
    if may(user, "organisation.manage"):
        return True
    ids = visible_unit_ids(user)
    return ids is ALL or unit.pk in ids


def reviews_unit(user, unit: Unit) -> bool:
    """Whether the user holds review authority (审核把关) over `unit`."""
    if has_role(user, Role.OFFICE):
        return True
    reviewer_id = unit.effective_reviewer_id
    return any(a.role == Role.UNIT_LEADER and a.unit_id == reviewer_id for a in assignments(user))


def can_see_phone(user, person: Person) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "person_id", None) == person.pk:
        return True
    if has_role(user, Role.OFFICE, Role.SYSTEM_ADMIN):
        return True
    if has_role(user, Role.UNIT_LEADER):
        ids = visible_unit_ids(user)
        return ids is ALL or person.unit_id in ids
    return False


_BUSINESS_VIEWERS = frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR})
_UNIT_EDITORS = frozenset({Role.UNIT_LEADER, Role.SECTION_CLERK})


def edits_unit(user, unit: Unit) -> bool:
    """Whether the user fills in `unit`'s own data: its clerk or its leader (not a reviewer of it)."""
    for a in assignments(user):
        if a.role not in _UNIT_EDITORS:
            continue
        if a.unit_id == unit.pk or (a.include_subtree and unit.path.startswith(a.unit.path)):
            return True
    return False


def _unit_of(obj) -> Unit:
    return obj if isinstance(obj, Unit) else obj.unit


def _reviews_not_own(user, obj) -> bool:
    unit = _unit_of(obj)
    return reviews_unit(user, unit) and not edits_unit(user, unit)


def _responsible_or_editor(user, obj) -> bool:
    person_id = getattr(user, "person_id", None)
    if person_id is not None and getattr(obj, "responsible_person_id", None) == person_id:
        return True
    return edits_unit(user, _unit_of(obj))


_OBJECT_RULES = {
    "ledger.view": lambda user, obj: can_see_unit(user, _unit_of(obj)) and not has_role(user, Role.SYSTEM_ADMIN),
    "ledger.edit": lambda user, obj: edits_unit(user, _unit_of(obj)),
    "ledger.submit": lambda user, obj: edits_unit(user, _unit_of(obj)),
    "ledger.review": _reviews_not_own,
    "ledger.dashboard": lambda user, obj: can_see_unit(user, _unit_of(obj)),
    "measure.report_progress": _responsible_or_editor,
    "measure.request_close": _responsible_or_editor,
    "measure.request_change": lambda user, obj: edits_unit(user, _unit_of(obj)),
    "measure.close": _reviews_not_own,
    "measure.reopen": lambda user, obj: has_role(user, Role.OFFICE) or _reviews_not_own(user, obj),
    "change.decide": lambda user, obj: _reviews_not_own(user, obj.measure if hasattr(obj, "measure") else obj),
    "reminder.send": lambda user, obj: has_role(user, Role.OFFICE) or reviews_unit(user, _unit_of(obj)),
    "nomination.view": lambda user, obj: _judges(user, obj) or can_see_unit(user, _unit_of(obj)),
    "nomination.edit": lambda user, obj: edits_unit(user, _unit_of(obj)),
    "nomination.submit": lambda user, obj: _leads_unit(user, _unit_of(obj)),
    "nomination.withdraw": lambda user, obj: _leads_unit(user, _unit_of(obj)),
    "nomination.opinion": _reviews_not_own,
    "nomination.judge": lambda user, obj: _judges(user, obj),
    # Phone numbers and birth dates: the unit itself, its reviewers and the office, never judges.
    "nomination.view_private": lambda user, obj: has_role(user, Role.OFFICE) or can_see_unit(user, _unit_of(obj)),
}


def _leads_unit(user, unit: Unit) -> bool:
    """The unit's administrator (单位管理员/分管领导) — who submits for the unit."""
    return any(a.role == Role.UNIT_LEADER and a.unit_id == unit.pk for a in assignments(user))


def judge_conflict_paths(user) -> tuple[str, ...]:
    """The subtrees a judge must stay out of: their whole unit (from its top level, since units
    nominate as a whole) and every unit that unit reviews. Paths, so a list filters in one query."""
    own = user.person.unit if getattr(user, "person_id", None) else None
    if own is None:
        return ()
    top_path = "/" + own.path.strip("/").split("/")[0] + "/"
    reviewed = Unit.objects.filter(reviewer__path__startswith=top_path).values_list("path", flat=True)
    return (top_path, *reviewed)


def judge_conflicts(user, unit: Unit) -> bool:
    return unit.path.startswith(judge_conflict_paths(user))


def _judges(user, nomination) -> bool:
    """Assigned to the nomination's award and without a conflict of interest."""
    from zuofeng.nominations.models import JudgeAssignment

    award_id = getattr(nomination, "award_id", None)
    if award_id is None or not has_role(user, Role.JUDGE):
        return False
    if not JudgeAssignment.objects.filter(award_id=award_id, judge=user).exists():
        return False
    return not judge_conflicts(user, _unit_of(nomination))


# action -> roles allowed regardless of object; object-specific checks follow in may().
_ROLE_ACTIONS: dict[str, frozenset[str]] = {
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
    # 找差整改 — object rules in _OBJECT_RULES below
    "ledger.view": _BUSINESS_VIEWERS,
    "ledger.edit": _UNIT_EDITORS,
    "ledger.submit": _UNIT_EDITORS,
    "ledger.review": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "ledger.dashboard": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.INSPECTOR}),
    "measure.report_progress": _UNIT_EDITORS,
    "measure.request_close": _UNIT_EDITORS,
    "measure.request_change": _UNIT_EDITORS,
    "measure.close": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "measure.reopen": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "change.decide": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "reminder.send": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    # 评优申报 — object rules in _OBJECT_RULES
    "nomination.view": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR, Role.JUDGE}),
    "nomination.edit": _UNIT_EDITORS,
    "nomination.submit": frozenset({Role.UNIT_LEADER}),
    "nomination.withdraw": frozenset({Role.UNIT_LEADER}),
    "nomination.opinion": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "nomination.judge": frozenset({Role.JUDGE}),
    "nomination.select": frozenset({Role.OFFICE}),
    "nomination.view_private": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK}),
    "award.manage": frozenset({Role.OFFICE}),
    # 接口令牌: only the roles whose work other systems read or feed (docs/decisions.md).
    "api_token.create": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK, Role.INSPECTOR}),
    "api_token.revoke_any": frozenset({Role.SECURITY_ADMIN}),
    # 三员变更申请: the page and deciding on a request; requesting follows ACCOUNT_CHANGE_RULES.
    "admin_change.view": SEPARATED_ADMIN_ROLES,
}


def may(user, action: str, obj=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = _ROLE_ACTIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    if not has_role(user, *allowed):
        return False
    if obj is None:
        return True
    rule = _OBJECT_RULES.get(action)
    if rule is not None:
        return rule(user, obj)
    if isinstance(obj, Unit):
        return has_role(user, Role.SYSTEM_ADMIN, Role.OFFICE) or can_see_unit(user, obj)
    if isinstance(obj, Person):
        return has_role(user, Role.SYSTEM_ADMIN, Role.OFFICE) or can_see_unit(user, obj.unit)
    return True


# --- 三员分立: who may change which account (docs/decisions.md, "三员分立") ---

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
    if not may(user, "admin_change.view"):
        return False
    role = admin_role_of(user)
    return role != change.requester_role and user.pk not in (change.requested_by_id, change.target_id)
