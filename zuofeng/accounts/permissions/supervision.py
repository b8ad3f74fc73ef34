"""督查问责: who plans inspections, records and confirms findings, and re-inspects closed measures.

Accountability cases (问责案件) are seen by the office and the leader of the subject's unit only.
The office plans and confirms; an inspector works only inside the rounds and re-inspections whose team
they are on. Units see what a finding became (the problem in their list), not the finding itself.
The units of an inspector's rounds are added to what the inspector may read (`inspected_unit_ids`,
used by units.visible_unit_ids): lists, measures, evidence and lights, read-only like any inspector.
"""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import UNIT_EDITORS, edits_unit
from zuofeng.accounts.roles import assignments, has_role

OFFICE = frozenset({Role.OFFICE})
OFFICE_AND_INSPECTORS = frozenset({Role.OFFICE, Role.INSPECTOR})


def _on_team(user, obj) -> bool:
    return has_role(user, Role.OFFICE) or obj.team.filter(pk=user.pk).exists()


def _records_in(user, round_) -> bool:
    return has_role(user, Role.INSPECTOR) and round_.team.filter(pk=user.pk).exists()


def _sees_finding(user, finding) -> bool:
    if has_role(user, Role.OFFICE):
        return True
    holder = finding.round if finding.round_id else finding.recheck
    return finding.inspector_id == user.pk or holder.team.filter(pk=user.pk).exists()


def leads_subject_unit(user, unit) -> bool:
    """The leader (单位管理员/分管领导) of a case's unit, or of the unit that reviews it (a section's
    department): the only one besides the office who sees the case."""
    ids = {unit.pk, unit.effective_reviewer_id}
    return any(a.role == Role.UNIT_LEADER and a.unit_id in ids for a in assignments(user))


def _sees_case(user, case) -> bool:
    return has_role(user, Role.OFFICE) or leads_subject_unit(user, case.unit)


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "round.manage": OFFICE,
    "round.view": OFFICE_AND_INSPECTORS,
    "finding.record": frozenset({Role.INSPECTOR}),
    "finding.view": OFFICE_AND_INSPECTORS,
    "finding.confirm": OFFICE,
    "recheck.manage": OFFICE,
    "recheck.view": OFFICE_AND_INSPECTORS,
    "recheck.verify": OFFICE_AND_INSPECTORS,
    # 问责: narrow on purpose — never judges, inspectors, clerks or other units.
    "case.manage": OFFICE,
    "case.view": frozenset({Role.OFFICE, Role.UNIT_LEADER}),
    "case.statement": frozenset({Role.UNIT_LEADER}),
    # 自查自纠: the unit writes its own report; the office reviews and chases.
    "self.view": frozenset({Role.OFFICE, Role.UNIT_LEADER, Role.SECTION_CLERK}),
    "self.edit": UNIT_EDITORS,
    "self.review": OFFICE,
    # 条线: the office and the system administrator keep the links (like the tree); a department's
    # leader reads its line units and sends 催办, never edits or reviews them.
    "line.manage": frozenset({Role.OFFICE, Role.SYSTEM_ADMIN}),
    "line.view": frozenset({Role.UNIT_LEADER}),
    "line.remind": frozenset({Role.UNIT_LEADER}),
}

OBJECT_RULES = {
    "round.view": _on_team,
    "finding.record": _records_in,
    "finding.view": _sees_finding,
    "recheck.view": _on_team,
    "recheck.verify": _on_team,
    "case.view": _sees_case,
    "case.statement": lambda user, case: leads_subject_unit(user, case.unit),
    "self.view": lambda user, report: has_role(user, Role.OFFICE) or edits_unit(user, report.unit),
    "self.edit": lambda user, report: edits_unit(user, report.unit),
    "line.view": lambda user, unit: unit.pk in line_unit_ids(user),
    "line.remind": lambda user, unit: unit.pk in line_unit_ids(user),
}


def inspected_unit_ids(user) -> set[int]:
    """Units of the rounds and re-inspections the user is on the team of."""
    from zuofeng.supervision.models import InspectionRound, RecheckItem

    ids = set(
        InspectionRound.units.through.objects.filter(inspectionround__team=user).values_list("unit_id", flat=True)
    )
    ids.update(RecheckItem.objects.filter(sample__team=user).values_list("unit_id", flat=True))
    return ids


def led_department_ids(user) -> list[int]:
    return [a.unit_id for a in assignments(user) if a.role == Role.UNIT_LEADER and a.unit_id]


def line_unit_ids(user) -> set[int]:
    """Units on the lines of the departments the user leads. Deliberately not in units.visible_unit_ids:
    that would also open the units' nominations and phone numbers; the line pages read through this."""
    from zuofeng.supervision.models import LineLink

    led = led_department_ids(user)
    if not led:
        return set()
    cached = getattr(user, "_line_unit_ids_cache", None)
    if cached is None:
        cached = set(LineLink.objects.filter(department__in=led).values_list("unit_id", flat=True))
        user._line_unit_ids_cache = cached
    return cached
