"""公文: who drafts and issues notices, who sees them, signs for a unit, forwards and chases.

Only the office (作风办) drafts and issues district notices. A notice is seen by the office and by
anyone who sees a unit it was delivered to. A unit signs through its own clerks or leader; only the
unit's leader forwards it, and only to units in its own subtree or units it reviews (`forward_targets`).
"""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import (
    ALL,
    BUSINESS_VIEWERS,
    UNIT_EDITORS,
    edits_unit,
    leads_unit,
    visible_unit_ids,
)
from zuofeng.accounts.roles import has_role


def _sees_notice(user, notice) -> bool:
    if has_role(user, Role.OFFICE):
        return True
    if notice.state != "issued":
        return False
    ids = visible_unit_ids(user)
    if ids is ALL:
        return True
    return bool(ids) and notice.deliveries.filter(unit_id__in=ids).exists()


def _chases(user, delivery) -> bool:
    """The office chases every copy; a forwarding unit's leader chases the copies it sent."""
    if has_role(user, Role.OFFICE):
        return True
    return delivery.from_unit is not None and leads_unit(user, delivery.from_unit)


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "notice.manage": frozenset({Role.OFFICE}),
    "notice.view": BUSINESS_VIEWERS,
    "notice.acknowledge": UNIT_EDITORS,
    "notice.forward": frozenset({Role.UNIT_LEADER}),
    "notice.chase": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "notice.delivery_tree": frozenset({Role.OFFICE}),
    # 通报 and 曝光: the office writes, releases field by field, publishes and withdraws
    "bulletin.manage": frozenset({Role.OFFICE}),
    # 活动信息: a unit's own people report; the office adopts or declines and compiles the 简报
    "info.report": UNIT_EDITORS,
    "info.decide": frozenset({Role.OFFICE}),
}

OBJECT_RULES = {
    "notice.view": _sees_notice,
    # a Delivery: signed by the unit's own people, forwarded by its leader
    "notice.acknowledge": lambda user, delivery: edits_unit(user, delivery.unit),
    "notice.forward": lambda user, delivery: leads_unit(user, delivery.unit),
    "notice.chase": _chases,
    "info.report": lambda user, unit: edits_unit(user, unit),
}
