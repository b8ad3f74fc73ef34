"""督查问责: who plans inspections, records and confirms findings, and re-inspects closed measures.

The office plans and confirms; an inspector works only inside the rounds and re-inspections whose team
they are on. Units see what a finding became (the problem in their list), not the finding itself.
The units of an inspector's rounds are added to what the inspector may read (`inspected_unit_ids`,
used by units.visible_unit_ids): lists, measures, evidence and lights, read-only like any inspector.
"""

from zuofeng.accounts.models import Role
from zuofeng.accounts.roles import has_role

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


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "round.manage": OFFICE,
    "round.view": OFFICE_AND_INSPECTORS,
    "finding.record": frozenset({Role.INSPECTOR}),
    "finding.view": OFFICE_AND_INSPECTORS,
    "finding.confirm": OFFICE,
    "recheck.manage": OFFICE,
    "recheck.view": OFFICE_AND_INSPECTORS,
    "recheck.verify": OFFICE_AND_INSPECTORS,
}

OBJECT_RULES = {
    "round.view": _on_team,
    "finding.record": _records_in,
    "finding.view": _sees_finding,
    "recheck.view": _on_team,
    "recheck.verify": _on_team,
}


def inspected_unit_ids(user) -> set[int]:
    """Units of the rounds and re-inspections the user is on the team of."""
    from zuofeng.supervision.models import InspectionRound, RecheckItem

    ids = set(
        InspectionRound.units.through.objects.filter(inspectionround__team=user).values_list("unit_id", flat=True)
    )
    ids.update(RecheckItem.objects.filter(sample__team=user).values_list("unit_id", flat=True))
    return ids
