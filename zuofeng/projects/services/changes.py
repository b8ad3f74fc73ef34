"""Changing an approved plan: a change request (变更申请) the reviewing unit agrees to or not.

Like a measure's change request: one pending request per project (a database constraint), the old
values stay on the request so everyone can see what the plan said before.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts.selectors import users_editing, users_reviewing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.projects.lights import project_refresh_lights
from zuofeng.projects.models import ChangeState, Project, ProjectChange, ProjectEvent, ProjectState
from zuofeng.projects.services.plan import require
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

CHANGEABLE = ("title", "goal", "deadline")


def _plain(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value).strip()


def change_request(*, actor, project: Project, reason: str, title: str, goal: str, deadline) -> ProjectChange:
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
    if errors:
        raise ValidationError(errors)
    new = {"title": title, "goal": goal, "deadline": deadline}
    old = {name: _plain(getattr(project, name)) for name in CHANGEABLE}
    new = {name: _plain(value) for name, value in new.items()}
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
        project.title, project.goal = locked.new_values["title"], locked.new_values["goal"]
        project.deadline = dt.date.fromisoformat(locked.new_values["deadline"])
        project.version += 1
        project.save()
        project_refresh_lights(project=project)
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
