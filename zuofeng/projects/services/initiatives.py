"""创新举措 and 岗位建功活动: recording, marking 推广 (office), adopting elsewhere (other units).

Numbers before and after are what an initiative is judged by, so they must be numbers, and "after"
must not be worse than "before" on every count at once (then it removed nothing).
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.storage import file_changes
from zuofeng.organisation.models import Person, Unit
from zuofeng.projects.models import ActivityKind, Adoption, Initiative, PostActivity
from zuofeng.projects.services.evidence import evidence_store
from zuofeng.projects.services.plan import require
from zuofeng.rectification.services.evidence import evidence_check
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

COUNTS = (("steps", "办理环节"), ("materials", "申请材料"), ("days", "办理时限"))


def _initiative_errors(data: dict) -> dict[str, str]:
    errors = {}
    for name, label in (("title", "举措名称"), ("problem", "破解的问题"), ("description", "主要做法")):
        if not (data.get(name) or "").strip():
            errors[name] = f"请填写{label}。"
    for key, label in COUNTS:
        for when, word in (("before", "改革前"), ("after", "改革后")):
            value = data.get(f"{key}_{when}")
            if not isinstance(value, int | Decimal) or value < 0:
                errors[f"{key}_{when}"] = f"{label}（{word}）须是不小于 0 的数字。"
    if not errors and all(data[f"{k}_after"] >= data[f"{k}_before"] for k, _ in COUNTS):
        errors["steps_after"] = "改革后的环节、材料、时限至少应有一项少于改革前。"
    if not isinstance(data.get("started_on"), dt.date):
        errors["started_on"] = "请填写推出日期。"
    elif data["started_on"] > clock.today():
        errors["started_on"] = "推出日期不能晚于今天。"
    return errors


def initiative_create(*, actor, campaign, unit: Unit, files: Sequence = (), **data) -> Initiative:
    require(actor, "initiative.edit", unit)
    errors = _initiative_errors(data)
    if errors:
        raise ValidationError(errors)
    checked = evidence_check(files)
    with file_changes() as stored, transaction.atomic():
        initiative = Initiative.objects.create(
            campaign=campaign,
            unit=unit,
            created_by=actor,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()},
        )
        for file, kind in checked:
            evidence_store(stored, actor=actor, file=file, kind=kind, initiative=initiative)
        audit_record(actor=actor, action="initiative.create", obj=initiative, after={"title": initiative.title})
    return initiative


def initiative_evidence_add(*, actor, initiative: Initiative, files: Sequence) -> list:
    """More 佐证材料 for a recorded initiative (the same checks as at registration)."""
    require(actor, "initiative.edit", initiative)
    if not files:
        raise ValidationError({"files": "请选择要上传的佐证材料。"})
    checked = evidence_check(files)
    with file_changes() as stored, transaction.atomic():
        rows = [
            evidence_store(stored, actor=actor, file=file, kind=kind, initiative=initiative) for file, kind in checked
        ]
        audit_record(
            actor=actor,
            action="initiative.evidence_add",
            obj=initiative,
            after={"files": [r.original_name for r in rows]},
        )
    return rows


@transaction.atomic
def initiative_promote(*, actor, initiative: Initiative) -> Initiative:
    require(actor, "initiative.promote", initiative)
    locked = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    if locked.promoted_at is not None:
        raise ValidationError("该创新举措已列为推广事项。", code="repeated")
    locked.promoted_at, locked.promoted_by = clock.now(), actor
    locked.version += 1
    locked.save(update_fields=["promoted_at", "promoted_by", "version", "updated_at"])
    audit_record(actor=actor, action="initiative.promote", obj=locked)
    reminder_send(
        recipients=[u for u in users_editing(unit=locked.unit) if u.pk != actor.pk],
        kind=ReminderKind.NOTICE,
        title="你单位的创新举措被列为推广事项",
        body=locked.title,
        link=f"/projects/initiatives/{locked.pk}/",
        obj=locked,
        unit=locked.unit,
        sender=actor,
    )
    initiative.promoted_at = locked.promoted_at
    return locked


def initiative_adopt(*, actor, initiative: Initiative, unit: Unit, adopted_on: dt.date, note: str = "") -> Adoption:
    require(actor, "initiative.adopt", unit)
    if initiative.promoted_at is None:
        raise ValidationError("只有列为推广的创新举措才能登记借鉴。", code="not_promoted")
    if unit.pk == initiative.unit_id:
        raise ValidationError("本单位的创新举措无需登记借鉴。", code="own")
    if not isinstance(adopted_on, dt.date):
        raise ValidationError({"adopted_on": "请填写借鉴日期。"})
    if adopted_on > clock.today():
        raise ValidationError({"adopted_on": "借鉴日期不能晚于今天。"})
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                initiative=initiative, unit=unit, adopted_on=adopted_on, note=(note or "").strip(), recorded_by=actor
            )
            audit_record(actor=actor, action="initiative.adopt", obj=initiative, after={"unit": unit.name})
    except IntegrityError:
        raise ValidationError("本单位已登记借鉴该举措。", code="repeated") from None
    return adoption


@transaction.atomic
def activity_create(
    *, actor, campaign, unit: Unit, kind: str, title: str, held_on: dt.date, participants: Sequence[Person], result: str
) -> PostActivity:
    require(actor, "activity.edit", unit)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写活动名称。"
    if not (result or "").strip():
        errors["result"] = "请填写活动成果。"
    if kind not in ActivityKind.values:
        errors["kind"] = "请选择活动类型。"
    if not isinstance(held_on, dt.date):
        errors["held_on"] = "请填写活动日期。"
    elif held_on > clock.today():
        errors["held_on"] = "活动日期不能晚于今天。"
    top = unit.path.strip("/").split("/")[0]
    if not participants:
        errors["participants"] = "请选择参加人员。"
    elif any(not p.unit.path.startswith(f"/{top}/") for p in participants):
        errors["participants"] = "参加人员须是本单位（含下属科室）的人员。"
    if errors:
        raise ValidationError(errors)
    activity = PostActivity.objects.create(
        campaign=campaign, unit=unit, kind=kind, title=title.strip(), held_on=held_on, result=result.strip(),
        created_by=actor,
    )  # fmt: skip
    activity.participants.set(participants)
    audit_record(
        actor=actor,
        action="activity.create",
        obj=activity,
        after={"title": activity.title, "people": len(participants)},
    )
    return activity
