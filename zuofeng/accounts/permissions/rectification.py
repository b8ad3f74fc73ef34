"""找差整改: who views, fills in, submits and reviews a unit's list and its measures."""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import (
    BUSINESS_VIEWERS,
    UNIT_EDITORS,
    can_see_unit,
    edits_unit,
    responsible_or_editor,
    reviews_not_own,
    reviews_unit,
    unit_of,
)
from zuofeng.accounts.roles import has_role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "ledger.view": BUSINESS_VIEWERS,
    "ledger.edit": UNIT_EDITORS,
    "ledger.submit": UNIT_EDITORS,
    "ledger.review": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "ledger.dashboard": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.INSPECTOR}),
    "measure.report_progress": UNIT_EDITORS,
    "measure.request_close": UNIT_EDITORS,
    "measure.request_change": UNIT_EDITORS,
    "measure.close": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "measure.reopen": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "change.decide": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "reminder.send": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
}

OBJECT_RULES = {
    "ledger.view": lambda user, obj: can_see_unit(user, unit_of(obj)) and not has_role(user, Role.SYSTEM_ADMIN),
    "ledger.edit": lambda user, obj: edits_unit(user, unit_of(obj)),
    "ledger.submit": lambda user, obj: edits_unit(user, unit_of(obj)),
    "ledger.review": reviews_not_own,
    "ledger.dashboard": lambda user, obj: can_see_unit(user, unit_of(obj)),
    "measure.report_progress": responsible_or_editor,
    "measure.request_close": responsible_or_editor,
    "measure.request_change": lambda user, obj: edits_unit(user, unit_of(obj)),
    "measure.close": reviews_not_own,
    "measure.reopen": lambda user, obj: has_role(user, Role.OFFICE) or reviews_not_own(user, obj),
    "change.decide": lambda user, obj: reviews_not_own(user, obj.measure if hasattr(obj, "measure") else obj),
    "reminder.send": lambda user, obj: has_role(user, Role.OFFICE) or reviews_unit(user, unit_of(obj)),
}
