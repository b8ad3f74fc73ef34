"""问责案件: opened by the office, the subject's statement (申辩) filed by the leader of its unit before the
decision, decided or withdrawn through the one transition (workflow.case_transition)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.supervision.models import AccountabilityCase, CaseOrigin, CaseState, Severity


def case_open(
    *, actor, campaign, unit, person=None, origin: str, facts: str, degree: str, finding=None
) -> AccountabilityCase:
    if not may(actor, "case.manage"):
        raise PermissionDenied("您无权立案。")
    errors = {}
    if unit is None:
        errors["unit"] = "请选择问责对象单位。"
    elif person is not None and person.unit_id != unit.pk:
        errors["person"] = "问责对象个人不属于所选单位。"
    if origin not in CaseOrigin.values:
        errors["origin"] = "请选择案件来源。"
    elif origin == CaseOrigin.FINDING and finding is None:
        errors["finding"] = "来源为督查发现时，请选择对应的督查发现。"
    if finding is not None and unit is not None and finding.unit_id != unit.pk:
        errors["finding"] = "督查发现不是该单位的。"
    if not (facts or "").strip():
        errors["facts"] = "请填写基本事实。"
    if degree not in Severity.values:
        errors["degree"] = "请选择情节。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = AccountabilityCase.objects.create(
            campaign=campaign,
            unit=unit,
            person=person,
            origin=origin,
            finding=finding,
            facts=facts.strip(),
            degree=degree,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="case.open",
            obj=case,
            after={"单位": unit.name, "个人": person.name if person else "", "情节": Severity(degree).label},
        )
    return case


@audit_refusals("case")
@transaction.atomic
def case_statement(*, actor, case: AccountabilityCase, text: str) -> AccountabilityCase:
    locked = AccountabilityCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if not may(actor, "case.statement", locked):
        raise Refused("case.statement", f"case {locked.pk}")
    if locked.state != CaseState.OPEN:
        raise ValidationError("已作出决定的案件不能再提交申辩。")
    if not (text or "").strip():
        raise ValidationError({"statement": "请填写申辩意见。"})
    before = locked.statement
    locked.statement, locked.statement_at, locked.statement_by = text.strip(), clock.now(), actor
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor, action="case.statement", obj=locked, before={"申辩": before}, after={"申辩": locked.statement}
    )
    return locked
