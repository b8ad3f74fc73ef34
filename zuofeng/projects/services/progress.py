"""Reporting a 攻坚 project's progress: per milestone, with evidence and the targets' current values.

Only an approved plan is reported on. The latest report (by date) sets the milestone's percent and
each target's current value; 100 % marks the milestone done on the report's date. Lights are
recomputed in the same transaction (lights.py).
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.storage import file_changes
from zuofeng.projects.lights import project_refresh_lights
from zuofeng.projects.models import Milestone, MilestoneReport, Project, ProjectEvent, ProjectState
from zuofeng.projects.services.evidence import evidence_store
from zuofeng.projects.services.plan import NUMBER_LIMIT, require
from zuofeng.rectification.services.evidence import evidence_check


def _values_clean(project: Project, values: dict) -> tuple[dict[str, str], dict[str, str]]:
    """{target id: number} as strings; errors under the field "value_<id>"."""
    clean, errors = {}, {}
    known = {t.pk: t for t in project.targets.all()}
    for key, raw in (values or {}).items():
        if raw in (None, ""):
            continue
        target = known.get(int(key)) if str(key).isdigit() else None
        if target is None:
            errors["values"] = "指标不属于此项目。"
            continue
        try:
            number = Decimal(str(raw)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors[f"value_{target.pk}"] = f"“{target.name}”的当前值须是数字。"
            continue
        if not abs(number) <= NUMBER_LIMIT:
            errors[f"value_{target.pk}"] = f"“{target.name}”的当前值超出范围。"
            continue
        clean[str(target.pk)] = str(number)
    return clean, errors


def milestone_report(
    *,
    actor,
    milestone: Milestone,
    reported_on: dt.date,
    text: str,
    percent: int,
    values: dict | None = None,
    files: Sequence = (),
) -> MilestoneReport:
    project = milestone.project
    require(actor, "project.report", project)
    errors = {}
    if not (text or "").strip():
        errors["text"] = "请填写进展情况。"
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = "节点完成进度必须在 0 到 100 之间。"
    if not isinstance(reported_on, dt.date):
        errors["reported_on"] = "请填写报告日期。"
    elif reported_on > clock.today():
        errors["reported_on"] = "报告日期不能晚于今天。"
    clean, value_errors = _values_clean(project, values or {})
    errors.update(value_errors)
    if errors:
        raise ValidationError(errors)
    checked = evidence_check(files)
    with file_changes() as stored, transaction.atomic():
        locked = Project.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=project.pk)
        if locked.state != ProjectState.APPROVED:
            raise ValidationError(
                f"项目计划当前为“{locked.get_state_display()}”，审核通过后才能报告进展。", code="state"
            )
        row = Milestone.objects.select_for_update().get(pk=milestone.pk)
        report = MilestoneReport.objects.create(
            milestone=row,
            project=locked,
            reported_on=reported_on,
            text=text.strip(),
            percent=percent,
            values=clean,
            reporter=actor,
        )
        for file, kind in checked:
            evidence_store(stored, actor=actor, file=file, kind=kind, project=locked, report=report)
        latest = row.last_report_on is None or reported_on >= row.last_report_on
        if latest:
            row.percent, row.last_report_on = percent, reported_on
            row.done_on = reported_on if percent == 100 else None
            row.save(update_fields=["percent", "last_report_on", "done_on"])
        for target in locked.targets.filter(pk__in=[int(k) for k in clean]):
            if target.current_on is None or reported_on >= target.current_on:
                target.current, target.current_on = Decimal(clean[str(target.pk)]), reported_on
                target.save(update_fields=["current", "current_on"])
        project_refresh_lights(project=locked)
        ProjectEvent.objects.create(
            project=locked,
            actor=actor,
            action="project.report",
            comment=f"{row.title}：{percent}% {text.strip()}",
            at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="project.report",
            obj=locked,
            after={"milestone": row.title, "percent": percent, "values": clean, "files": len(checked)},
        )
    return report
