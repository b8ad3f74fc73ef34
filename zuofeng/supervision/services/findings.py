"""Recording a finding on site (desk or phone): checklist answers, text, photos, related item, severity.

Photos are checked before anything is written; if the save fails, no row and no file is left
(core.storage.file_changes). Confirming or dismissing is the workflow's one transition (workflow.py).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core.storage import file_changes
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.rectification.models import Measure, Problem
from zuofeng.supervision.definition import checklist_items
from zuofeng.supervision.models import Finding, InspectionRound, Severity
from zuofeng.supervision.services.photos import photo_save, photos_check

ANSWERS = {"yes": "是", "no": "否", "na": "不适用"}
# A finding becomes a problem in the unit's ledger, a line in the round's report and perhaps a
# bulletin item: a paragraph, not a pasted document. Same limit as a citizen's report.
TEXT_MAX = 2000


def _clean_checklist(campaign, answers: dict) -> dict:
    known = dict(checklist_items(campaign))
    return {key: value for key, value in (answers or {}).items() if key in known and value in ANSWERS}


def _related(*, unit, measure: Measure | None, related_problem: Problem | None) -> dict:
    errors = {}
    if measure is not None and measure.unit_id != unit.pk:
        errors["measure"] = "相关措施不属于被督查单位。"
    if related_problem is not None and related_problem.unit_id != unit.pk:
        errors["related_problem"] = "相关问题不属于被督查单位。"
    return errors


@audit_refusals("round")
def finding_record(
    *,
    actor,
    round: InspectionRound,
    unit,
    category,
    severity: str,
    text: str,
    found_on: dt.date,
    checklist: dict | None = None,
    measure: Measure | None = None,
    related_problem: Problem | None = None,
    photos=(),
) -> Finding:
    if not may(actor, "finding.record", round):
        raise Refused("finding.record", f"round {round.pk}")
    errors: dict = {}
    if not round.units.filter(pk=unit.pk).exists():
        errors["unit"] = "该单位不在本轮督查范围内。"
    if not (text or "").strip():
        errors["text"] = "请填写发现的问题。"
    elif len(text.strip()) > TEXT_MAX:
        errors["text"] = f"发现的问题不能超过 {TEXT_MAX} 个字（现为 {len(text.strip())} 个字）。"
    if severity not in Severity.values:
        errors["severity"] = "请选择严重程度。"
    if category is None or category.campaign_id != round.campaign_id:
        errors["category"] = "请选择中梗阻类别。"
    if not errors:
        errors.update(_related(unit=unit, measure=measure, related_problem=related_problem))
    if errors:
        raise ValidationError(errors)
    checked = photos_check(list(photos))
    with transaction.atomic(), file_changes() as files:
        finding = Finding.objects.create(
            round=round,
            unit=unit,
            inspector=actor,
            checklist=_clean_checklist(round.campaign, checklist),
            category=category,
            severity=severity,
            text=text.strip(),
            found_on=found_on,
            measure=measure,
            related_problem=related_problem,
        )
        for file, kind in checked:
            photo_save(files=files, finding=finding, file=file, kind=kind, keep_location=round.keep_location)
        audit_record(
            actor=actor,
            action="finding.record",
            obj=finding,
            after={
                "督查": round.name,
                "单位": unit.qualified_name,
                "严重程度": Severity(severity).label,
                "发现的问题": finding.text,
                "照片": len(checked),
            },
        )
    return finding
