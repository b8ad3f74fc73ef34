"""Writing a 攻坚 project's plan: the project, its targets and its milestones.

A plan is edited while 起草中 or 已退回; once submitted it waits for review and once approved it is
locked (changes go through services/changes.py). Every write checks `may`, validates with Chinese
messages naming the field, locks the project row, refuses a stale `version` and audits in the same
transaction.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Campaign, KeyArea
from zuofeng.organisation.models import Person, Unit
from zuofeng.projects.models import Direction, Milestone, Project, ProjectState, Target
from zuofeng.projects.numbers import number_text

EDITABLE_STATES = (ProjectState.DRAFT, ProjectState.RETURNED)
PLAN_FIELDS = ("key_area", "title", "goal", "lead_leader", "lead_section", "starts_on", "deadline")
NUMBER_LIMIT = Decimal("999999999999.99")


def require(actor, action: str, obj) -> None:
    if not may(actor, action, obj):
        audit_record(actor=actor, action=action, obj=obj, result=AuditResult.DENIED, detail=str(getattr(obj, "pk", "")))
        raise PermissionDenied("您无权办理此事项。")


def _plan_errors(*, campaign: Campaign, unit: Unit, data: dict) -> dict[str, str]:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = "请填写项目名称。"
    if not (data.get("goal") or "").strip():
        errors["goal"] = "请填写项目目标。"
    key_area = data.get("key_area")
    if not isinstance(key_area, KeyArea) or key_area.campaign_id != campaign.pk:
        errors["key_area"] = "请从本次专项活动的八大攻坚重点中选择。"
    starts_on, deadline = data.get("starts_on"), data.get("deadline")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = "请填写开始日期。"
    if not isinstance(deadline, dt.date):
        errors["deadline"] = "请填写完成时限。"
    elif isinstance(starts_on, dt.date) and deadline < starts_on:
        errors["deadline"] = "完成时限不能早于开始日期。"
    section = data.get("lead_section")
    if section is not None and not (isinstance(section, Unit) and section.path.startswith(unit.path)):
        errors["lead_section"] = "牵头科室须是本单位或其下属科室。"
    leader = data.get("lead_leader")
    if leader is not None and not isinstance(leader, Person):
        errors["lead_leader"] = "请从人员名单中选择牵头领导。"
    return errors


def _snapshot(project: Project) -> dict:
    return {
        "key_area": project.key_area.name if project.key_area_id else "",
        "title": project.title,
        "goal": project.goal,
        "lead_leader": project.lead_leader.name if project.lead_leader_id else "",
        "lead_section": project.lead_section.display_name if project.lead_section_id else "",
        "partner_units": sorted(project.partner_units.values_list("name", flat=True)) if project.pk else [],
        "starts_on": project.starts_on.isoformat() if project.starts_on else "",
        "deadline": project.deadline.isoformat() if project.deadline else "",
    }


@transaction.atomic
def project_create(*, actor, campaign: Campaign, unit: Unit, partner_units=(), **data) -> Project:
    require(actor, "project.edit", unit)
    errors = _plan_errors(campaign=campaign, unit=unit, data=data)
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        campaign=campaign,
        unit=unit,
        created_by=actor,
        title=data["title"].strip(),
        goal=data["goal"].strip(),
        **{k: data.get(k) for k in ("key_area", "lead_leader", "lead_section", "starts_on", "deadline")},
    )
    project.partner_units.set([u for u in partner_units if u.pk != unit.pk])
    audit_record(actor=actor, action="project.create", obj=project, after=_snapshot(project))
    return project


def _lock_editable(project: Project, version: int | None) -> Project:
    locked = (
        Project.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "key_area", "lead_leader", "lead_section")
        .get(pk=project.pk)
    )
    if version is not None and locked.version != version:
        raise ValidationError(f"项目计划已被他人修改（当前版本 {locked.version}），请刷新后核对再保存。", code="stale")
    if locked.state not in EDITABLE_STATES:
        raise ValidationError(
            f"项目计划当前为“{locked.get_state_display()}”，不能直接修改；已通过的计划请申请变更。", code="locked"
        )
    return locked


@transaction.atomic
def project_update(*, actor, project: Project, version: int | None, partner_units=None, **data) -> Project:
    require(actor, "project.edit", project)
    locked = _lock_editable(project, version)
    errors = _plan_errors(campaign=locked.campaign, unit=locked.unit, data=data)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(locked)
    for name in PLAN_FIELDS:
        value = data.get(name)
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.version += 1
    locked.save()
    if partner_units is not None:
        locked.partner_units.set([u for u in partner_units if u.pk != locked.unit_id])
    audit_record(actor=actor, action="project.update", obj=locked, before=before, after=_snapshot(locked))
    return locked


def target_errors(*, name: str, measure_unit: str, baseline, target, direction: str) -> dict[str, str]:
    """The numbers must be numbers and agree with the direction: lower-is-better targets lie below."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写指标名称。"
    if not (measure_unit or "").strip():
        errors["measure_unit"] = "请填写计量单位（如：个工作日、家、%）。"
    if direction not in Direction.values:
        errors["direction"] = "请选择“越高越好”或“越低越好”。"
    for field, value, label in (("baseline", baseline, "基数"), ("target", target, "目标值")):
        if not isinstance(value, Decimal | int) or not abs(Decimal(value)) <= NUMBER_LIMIT:
            errors[field] = f"{label}须是数字（最多两位小数）。"
    if errors:
        return errors
    shown = number_text(baseline)
    if Decimal(target) == Decimal(baseline):
        errors["target"] = "目标值不能等于基数。"
    elif direction == Direction.HIGHER and target < baseline:
        errors["target"] = f"“越高越好”的指标，目标值应高于基数 {shown}；若数值越低越好，请选择“越低越好”。"
    elif direction == Direction.LOWER and target > baseline:
        errors["target"] = f"“越低越好”的指标，目标值应低于基数 {shown}；若数值越高越好，请选择“越高越好”。"
    return errors


@transaction.atomic
def target_add(
    *, actor, project: Project, version: int | None, name: str, measure_unit: str, baseline, target, direction: str
) -> Target:
    require(actor, "project.edit", project)
    locked = _lock_editable(project, version)
    errors = target_errors(name=name, measure_unit=measure_unit, baseline=baseline, target=target, direction=direction)
    if errors:
        raise ValidationError(errors)
    order = (locked.targets.aggregate(m=Max("order"))["m"] or 0) + 1
    row = Target.objects.create(
        project=locked,
        order=order,
        name=name.strip(),
        measure_unit=measure_unit.strip(),
        baseline=baseline,
        target=target,
        direction=direction,
    )
    _bump(locked)
    audit_record(
        actor=actor,
        action="project.target_add",
        obj=locked,
        after={"name": row.name, "baseline": str(baseline), "target": str(target), "direction": direction},
    )
    return row


def _milestone_errors(*, project: Project, title: str, due_on) -> dict[str, str]:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写节点任务。"
    if not isinstance(due_on, dt.date):
        errors["due_on"] = "请填写节点时限。"
    elif not project.starts_on <= due_on <= project.deadline:
        errors["due_on"] = f"节点时限须在项目开始日期 {project.starts_on} 和完成时限 {project.deadline} 之间。"
    return errors


@transaction.atomic
def milestone_add(*, actor, project: Project, version: int | None, title: str, due_on: dt.date) -> Milestone:
    require(actor, "project.edit", project)
    locked = _lock_editable(project, version)
    errors = _milestone_errors(project=locked, title=title, due_on=due_on)
    if errors:
        raise ValidationError(errors)
    order = (locked.milestones.aggregate(m=Max("order"))["m"] or 0) + 1
    row = Milestone.objects.create(project=locked, order=order, title=title.strip(), due_on=due_on)
    _bump(locked)
    audit_record(
        actor=actor, action="project.milestone_add", obj=locked, after={"title": row.title, "due_on": str(due_on)}
    )
    return row


@transaction.atomic
def plan_item_remove(*, actor, project: Project, version: int | None, item: Target | Milestone) -> None:
    require(actor, "project.edit", project)
    locked = _lock_editable(project, version)
    if item.project_id != locked.pk:
        raise ValidationError("该条目不属于此项目。")
    kind = "target" if isinstance(item, Target) else "milestone"
    label = item.name if isinstance(item, Target) else item.title
    item.delete()
    _bump(locked)
    audit_record(actor=actor, action=f"project.{kind}_remove", obj=locked, before={"name": label})


def _bump(project: Project) -> None:
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
