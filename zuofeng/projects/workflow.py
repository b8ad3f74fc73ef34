"""The 攻坚 project plan's state machine and its one transition function.

The plan is reviewed like a list (审核把关): the unit submits, the reviewing unit approves or returns
it with a comment. Once approved the plan is locked; later changes are change requests
(services/changes.py). A move not in the table is refused; a move in the table needs the permission
it names. The transition locks the row, checks, saves, writes the ProjectEvent a person reads and the
audit entry, refreshes the lights and queues reminders.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.projects.lights import project_refresh_lights
from zuofeng.projects.models import Project, ProjectEvent, ProjectState
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

PROJECT_MOVES: dict[tuple[str, str], str] = {
    (ProjectState.DRAFT, ProjectState.SUBMITTED): "project.submit",
    (ProjectState.RETURNED, ProjectState.SUBMITTED): "project.submit",
    (ProjectState.SUBMITTED, ProjectState.APPROVED): "project.review",
    (ProjectState.SUBMITTED, ProjectState.RETURNED): "project.review",
}

COMMENT_REQUIRED = {(ProjectState.SUBMITTED, ProjectState.RETURNED)}

_ALREADY = {
    ProjectState.SUBMITTED: "项目计划已提交，正在等待审核，请勿重复提交。",
    ProjectState.APPROVED: "项目计划已审核通过。",
    ProjectState.RETURNED: "项目计划已退回。",
}


def _check_complete(project: Project) -> None:
    # A plan without a measurable target or a milestone cannot be judged, so it cannot be submitted.
    errors = {}
    if not project.targets.exists():
        errors["targets"] = "请至少填写一项可量化的目标指标后再提交。"
    if not project.milestones.exists():
        errors["milestones"] = "请至少填写一个季度节点后再提交。"
    if errors:
        raise ValidationError(errors, code="incomplete")


@audit_refusals("project")
@transaction.atomic
def project_transition(*, actor, project: Project, to: str, comment: str = "", notify: bool = True) -> Project:
    locked = Project.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=project.pk)
    current = locked.state
    action = PROJECT_MOVES.get((current, to))
    if action is None:
        if current == to and to in _ALREADY:
            raise ValidationError(_ALREADY[to], code="repeated")
        raise ValidationError(
            f"当前状态为“{ProjectState(current).label}”，不能变为“{ProjectState(to).label}”。",
            code="invalid_transition",
        )
    if not may(actor, action, locked):
        raise Refused(action, f"{current}→{to}")
    if (current, to) in COMMENT_REQUIRED and not comment.strip():
        raise ValidationError({"comment": "请填写退回理由。"}, code="comment_required")
    if to == ProjectState.SUBMITTED:
        _check_complete(locked)
    now = clock.now()
    locked.state = to
    if to == ProjectState.SUBMITTED:
        locked.submitted_at = now
    elif to == ProjectState.APPROVED:
        locked.approved_at = now
    locked.version += 1
    locked.save(update_fields=["state", "submitted_at", "approved_at", "version", "updated_at"])
    project_refresh_lights(project=locked)
    ProjectEvent.objects.create(
        project=locked, actor=actor, action=action, from_state=current, to_state=to, comment=comment.strip(), at=now
    )
    audit_record(
        actor=actor, action=f"project.{to}", obj=locked, before={"state": current}, after={"state": to}, detail=comment
    )
    if notify:
        _notify(actor=actor, project=locked, to=to, comment=comment)
    project.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _notify(*, actor, project: Project, to: str, comment: str) -> None:
    if to == ProjectState.SUBMITTED:
        recipients, title = users_reviewing(unit=project.unit), f"{project.unit.qualified_name}提交了攻坚项目，请审核"
    elif to == ProjectState.RETURNED:
        recipients, title = users_editing(unit=project.unit), "攻坚项目计划被退回，请修改后重新提交"
    else:
        recipients, title = users_editing(unit=project.unit), "攻坚项目计划已审核通过"
    reminder_send(
        recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        kind=ReminderKind.NOTICE,
        title=title,
        body=f"{project.title}\n{comment}".strip(),
        link=f"/projects/{project.pk}/",
        obj=project,
        unit=project.unit,
        sender=actor,
    )
