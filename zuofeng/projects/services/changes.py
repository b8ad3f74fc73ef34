"""Changing an approved plan: a change request (变更申请) the reviewing unit agrees to or not.

A request states the plan as it should read afterwards: title, goal, deadline and, when the unit changes
them, the whole list of measurable targets and of quarterly milestones. A row with an `id` is an existing
one (kept or changed), a row without is added, an existing row left out is removed. Like a measure's
change request: one pending request per project (a database constraint); the old plan stays on the
request so everyone (the reviewer, the office, a judge of an award started from the project) can see
what it said before. On approval the whole change is applied in one transaction and audited.

Why not rectification's ChangeRequest code: a measure's request replaces a few scalar fields of one row;
this one also adds, changes and removes child rows, so the two share the states (ChangeState) and the
shape of the record, not the code that applies them.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.projects.lights import project_refresh_lights
from zuofeng.projects.models import (
    ChangeState,
    Milestone,
    MilestoneReport,
    Project,
    ProjectChange,
    ProjectEvent,
    ProjectState,
    Target,
)
from zuofeng.projects.numbers import number_text
from zuofeng.projects.services.plan import require, target_errors
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

CHANGEABLE = ("title", "goal", "deadline")
TARGET_FIELDS = ("name", "measure_unit", "baseline", "target", "direction")
MAX_ROWS = 20  # more targets or milestones than this is not a plan a reviewer can read


def _target_row(target: Target) -> dict:
    return {
        "id": target.pk,
        "name": target.name,
        "measure_unit": target.measure_unit,
        "baseline": number_text(target.baseline),
        "target": number_text(target.target),
        "direction": target.direction,
    }


def _milestone_row(milestone: Milestone) -> dict:
    return {"id": milestone.pk, "title": milestone.title, "due_on": milestone.due_on.isoformat()}


def plan_snapshot(project: Project) -> dict:
    """The changeable part of a plan as a request stores it (JSON: dates and numbers as text)."""
    return {
        "title": project.title,
        "goal": project.goal,
        "deadline": project.deadline.isoformat(),
        "targets": [_target_row(t) for t in project.targets.order_by("order", "id")],
        "milestones": [_milestone_row(m) for m in project.milestones.order_by("due_on", "order", "id")],
    }


def _targets_checked(project: Project, rows: list[dict], errors: dict) -> list[dict]:
    own = set(project.targets.values_list("pk", flat=True))
    checked, seen = [], set()
    for i, row in enumerate(rows):
        values = {name: row.get(name) for name in TARGET_FIELDS}
        for name, message in target_errors(**values).items():
            errors[f"targets-{i}-{name}"] = message
        pk = row.get("id")
        if pk is not None and (pk not in own or pk in seen):
            errors[f"targets-{i}-name"] = "该目标指标不属于此项目，请刷新页面后重新填写。"
        seen.add(pk)
        if not any(key.startswith(f"targets-{i}-") for key in errors):
            checked.append(
                {"id": pk, "name": values["name"].strip(), "measure_unit": values["measure_unit"].strip(),
                 "baseline": number_text(values["baseline"]), "target": number_text(values["target"]),
                 "direction": values["direction"]}
            )  # fmt: skip
    if not rows:
        errors["targets"] = "请至少保留一项目标指标。"
    elif len(rows) > MAX_ROWS:
        errors["targets"] = f"目标指标最多 {MAX_ROWS} 项。"
    return checked


def _milestones_checked(project: Project, rows: list[dict], deadline, errors: dict) -> list[dict]:
    own = {m.pk: m for m in project.milestones.all()}
    checked, seen = [], set()
    for i, row in enumerate(rows):
        title, due_on, pk = (row.get("title") or "").strip(), row.get("due_on"), row.get("id")
        if not title:
            errors[f"milestones-{i}-title"] = "请填写节点任务。"
        if pk is not None and (pk not in own or pk in seen):
            errors[f"milestones-{i}-title"] = "该节点不属于此项目，请刷新页面后重新填写。"
        seen.add(pk)
        if not isinstance(due_on, dt.date):
            errors[f"milestones-{i}-due_on"] = "请填写节点时限。"
        elif isinstance(deadline, dt.date) and not project.starts_on <= due_on <= deadline:
            errors[f"milestones-{i}-due_on"] = (
                f"节点时限须在项目开始日期 {project.starts_on} 和完成时限 {deadline} 之间。"
            )
        if not any(key.startswith(f"milestones-{i}-") for key in errors):
            checked.append({"id": pk, "title": title, "due_on": due_on.isoformat()})
    if not rows:
        errors["milestones"] = "请至少保留一个季度节点。"
    elif len(rows) > MAX_ROWS:
        errors["milestones"] = f"季度节点最多 {MAX_ROWS} 个。"
    removed = [m for pk, m in own.items() if pk not in seen]
    reported = [m.title for m in removed if m.reports.exists()]
    if reported:
        errors["milestones"] = f"节点“{'”“'.join(reported)}”已有进展报告，不能删除；可修改其内容或时限。"
    return checked


def change_request(
    *, actor, project: Project, reason: str, title: str, goal: str, deadline, targets=None, milestones=None
) -> ProjectChange:
    """`targets` / `milestones`: the lists as they should be after the change (None: unchanged). A target
    row has id (None for a new one), name, measure_unit, baseline, target, direction; a milestone row has
    id, title and due_on."""
    require(actor, "project.request_change", project)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写变更理由。"
    if not (title or "").strip():
        errors["title"] = "请填写项目名称。"
    if not (goal or "").strip():
        errors["goal"] = "请填写项目目标。"
    if not isinstance(deadline, dt.date):
        errors["deadline"] = "请填写完成时限。"
    elif deadline < project.starts_on:
        errors["deadline"] = "完成时限不能早于开始日期。"
    old = plan_snapshot(project)
    new = dict(old, title=(title or "").strip(), goal=(goal or "").strip())
    new["deadline"] = deadline.isoformat() if isinstance(deadline, dt.date) else ""
    if targets is not None:
        new["targets"] = _targets_checked(project, list(targets), errors)
    if milestones is not None:
        new["milestones"] = _milestones_checked(project, list(milestones), deadline, errors)
    elif isinstance(deadline, dt.date) and any(m["due_on"] > new["deadline"] for m in old["milestones"]):
        errors["deadline"] = "完成时限早于已有节点的时限，请同时调整季度节点。"
    if errors:
        raise ValidationError(errors)
    if new == old:
        raise ValidationError("变更内容与现有计划相同。", code="unchanged")
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
            if locked.state != ProjectState.APPROVED:
                raise ValidationError("只有已通过的项目计划才需要申请变更；未通过的计划可直接修改。", code="state")
            change = ProjectChange.objects.create(
                project=locked, requested_by=actor, reason=reason.strip(), old_values=old, new_values=new
            )
            ProjectEvent.objects.create(
                project=locked, actor=actor, action="project.request_change", comment=reason.strip(), at=clock.now()
            )
            audit_record(actor=actor, action="project.request_change", obj=locked, before=old, after=new)
            reminder_send(
                recipients=[u for u in users_reviewing(unit=project.unit) if u.pk != actor.pk],
                kind=ReminderKind.NOTICE,
                title=f"{project.unit.qualified_name}申请变更攻坚项目，请审核",
                body=project.title,
                link=f"/projects/{project.pk}/",
                obj=locked,
                unit=project.unit,
                sender=actor,
            )
    except IntegrityError:
        raise ValidationError("该项目已有一项待审核的变更申请。", code="pending") from None
    return change


def _apply_targets(project: Project, rows: list[dict]) -> None:
    existing = {t.pk: t for t in project.targets.select_for_update()}
    kept = {row["id"] for row in rows if row["id"] is not None}
    if not kept <= set(existing):
        raise ValidationError("申请中的目标指标已不存在，请不同意后由单位重新申请。", code="gone")
    Target.objects.filter(pk__in=set(existing) - kept).delete()
    for order, row in enumerate(rows, start=1):
        values = {name: row[name] for name in TARGET_FIELDS} | {"order": order}
        values["baseline"], values["target"] = Decimal(row["baseline"]), Decimal(row["target"])
        if row["id"] is None:
            Target.objects.create(project=project, **values)
        else:
            Target.objects.filter(pk=row["id"]).update(**values)


def _apply_milestones(project: Project, rows: list[dict]) -> None:
    existing = {m.pk: m for m in project.milestones.select_for_update()}
    kept = {row["id"] for row in rows if row["id"] is not None}
    removed = set(existing) - kept
    if not kept <= set(existing):
        raise ValidationError("申请中的季度节点已不存在，请不同意后由单位重新申请。", code="gone")
    if MilestoneReport.objects.filter(milestone__in=removed).exists():
        message = "要删除的节点在申请后已报告了进展，不能再删除；请不同意后由单位重新申请。"
        raise ValidationError(message, code="reported")
    Milestone.objects.filter(pk__in=removed).delete()
    for order, row in enumerate(rows, start=1):
        values = {"title": row["title"], "due_on": dt.date.fromisoformat(row["due_on"]), "order": order}
        if row["id"] is None:
            Milestone.objects.create(project=project, **values)
        else:
            Milestone.objects.filter(pk=row["id"]).update(**values)


def _apply(project: Project, new: dict) -> None:
    project.title, project.goal = new["title"], new["goal"]
    project.deadline = dt.date.fromisoformat(new["deadline"])
    if "targets" in new:  # requests from before targets could be changed hold only the three fields
        _apply_targets(project, new["targets"])
    if "milestones" in new:
        _apply_milestones(project, new["milestones"])
    project.version += 1
    project.save()
    project_refresh_lights(project=project)


@transaction.atomic
def change_decide(*, actor, change: ProjectChange, approve: bool, comment: str = "") -> ProjectChange:
    require(actor, "project.change_decide", change.project)
    locked = ProjectChange.objects.select_for_update().select_related("project__campaign").get(pk=change.pk)
    if locked.state != ChangeState.PENDING:
        raise ValidationError("该变更申请已处理。", code="decided")
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": "不同意变更时请填写理由。"})
    project = Project.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=locked.project_id)
    locked.state = ChangeState.APPROVED if approve else ChangeState.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_comment = actor, clock.now(), (comment or "").strip()
    locked.save()
    if approve:
        _apply(project, locked.new_values)
    action = "project.change_approve" if approve else "project.change_reject"
    ProjectEvent.objects.create(
        project=project, actor=actor, action=action, comment=locked.decision_comment, at=clock.now()
    )
    audit_record(
        actor=actor, action=action, obj=project, before=locked.old_values, after=locked.new_values, detail=comment
    )
    reminder_send(
        recipients=[u for u in users_editing(unit=project.unit) if u.pk != actor.pk],
        kind=ReminderKind.NOTICE,
        title="攻坚项目变更申请已同意" if approve else "攻坚项目变更申请未同意",
        body=f"{project.title}\n{locked.decision_comment}".strip(),
        link=f"/projects/{project.pk}/",
        obj=project,
        unit=project.unit,
        sender=actor,
    )
    return locked
