"""群众提: the office (作风办) receives, dispatches, checks and concludes; the unit a case was dispatched to
signs, handles and replies. Only the office reads who reported (`complaint.identity_read`), and a unit
sees a case only once it has been dispatched to it, and an attachment only once the office has checked it."""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import UNIT_EDITORS, can_see_unit, edits_unit
from zuofeng.accounts.roles import has_role


def _unit_sees(user, complaint) -> bool:
    from zuofeng.complaints.models import UNIT_VISIBLE

    return complaint.unit_id is not None and complaint.state in UNIT_VISIBLE and can_see_unit(user, complaint.unit)


def _views(user, complaint) -> bool:
    return has_role(user, Role.OFFICE) or _unit_sees(user, complaint)


def _handles(user, complaint) -> bool:
    return complaint.unit_id is not None and complaint.state in _handling_states() and edits_unit(user, complaint.unit)


def _handling_states():
    from zuofeng.complaints.models import WITH_UNIT

    return WITH_UNIT


def _attachment(user, attachment) -> bool:
    if has_role(user, Role.OFFICE):
        return True
    return attachment.for_unit and _unit_sees(user, attachment.complaint)


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "complaint.view": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK}),
    "complaint.manage": frozenset({Role.OFFICE}),
    "complaint.identity_read": frozenset({Role.OFFICE}),
    "complaint.handle": UNIT_EDITORS,
    "complaint.attachment": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK}),
}

OBJECT_RULES = {
    "complaint.view": _views,
    "complaint.handle": _handles,
    "complaint.attachment": _attachment,
}
