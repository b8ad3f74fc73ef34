"""签收, 转发 and 催办 of an issued notice's copies (one `Delivery` per unit)."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from zuofeng.accounts.models import Role, RoleAssignment
from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.notices.models import Delivery, Forwarding, NoticeState
from zuofeng.notices.selectors.delivery import forward_targets
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

DEFAULT_CHASE_MESSAGE = "请及时登录平台签收该通知，并按通知要求抓好落实。"
FORWARD_TEXT_MAX = 2000


def _denied(actor, action: str, delivery: Delivery, message: str):
    audit_record(actor=actor, action=action, obj=delivery.notice, result=AuditResult.DENIED, detail=str(delivery.unit))
    return PermissionDenied(message)


def delivery_acknowledge(*, actor, delivery: Delivery) -> Delivery:
    """签收 for the unit; a second signature (by anyone) changes nothing and is not an error."""
    if not may(actor, "notice.acknowledge", delivery):
        raise _denied(actor, "notice.acknowledge", delivery, "您不能为该单位签收此通知。")
    with transaction.atomic():
        now = clock.now()
        # Conditional update: of two people signing at once, one signs and the other finds it signed.
        signed = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=actor
        )
        delivery.refresh_from_db()
        if signed:
            audit_record(
                actor=actor,
                action="notice.acknowledge",
                obj=delivery.notice,
                after={"unit": str(delivery.unit), "acknowledged_at": now.isoformat()},
            )
    return delivery


def notice_forward(
    *, actor, delivery: Delivery, unit_ids: list[int], text: str, printed_by: str, printed_on: dt.date | None
) -> Forwarding:
    """转发: the unit passes its copy on to units below it (its subtree, or units it reviews).

    Forwarding is proof the unit has the notice, so an unsigned copy is signed at the same time.
    A unit that already holds a copy (from the office or another forward) is not sent a second.
    """
    if not may(actor, "notice.forward", delivery):
        raise _denied(actor, "notice.forward", delivery, "只有本单位的单位管理员可以转发此通知。")
    errors = {}
    allowed = set(forward_targets(delivery.unit).values_list("pk", flat=True))
    chosen = set(unit_ids)
    if not chosen:
        errors["units"] = "请选择转发的单位。"
    elif not chosen <= allowed:
        errors["units"] = "只能转发给本单位的下属单位、内设科室或本单位审核的单位。"
    if not (printed_by or "").strip():
        errors["printed_by"] = "请填写印发机关（如：某某局办公室）。"
    elif len(printed_by) > 100:
        errors["printed_by"] = "不能超过 100 个字。"
    if len(text or "") > FORWARD_TEXT_MAX:
        errors["text"] = f"转发说明不能超过 {FORWARD_TEXT_MAX} 个字。"
    today = clock.today()
    printed_on = printed_on or today
    if delivery.notice.printed_on and printed_on < delivery.notice.printed_on:
        errors["printed_on"] = "转发的印发日期不能早于原文的印发日期。"
    if delivery.notice.state != NoticeState.ISSUED:
        errors["units"] = "通知尚未印发。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = clock.now()
        Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=actor
        )
        forwarding = Forwarding.objects.create(
            notice=delivery.notice,
            unit=delivery.unit,
            text=(text or "").strip(),
            printed_by=printed_by.strip(),
            printed_on=printed_on,
            created_by=actor,
            created_at=now,
        )
        held = set(
            Delivery.objects.filter(notice=delivery.notice, unit_id__in=chosen).values_list("unit_id", flat=True)
        )
        new = sorted(chosen - held)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    notice=delivery.notice, unit_id=u, forwarding=forwarding, from_unit=delivery.unit, delivered_at=now
                )
                for u in new
            ]
        )
        audit_record(
            actor=actor,
            action="notice.forward",
            obj=delivery.notice,
            after={
                "unit": str(delivery.unit),
                "to": len(new),
                "already_held": len(held),
                "printed_by": forwarding.printed_by,
                "printed_on": str(printed_on),
            },
        )
        transaction.on_commit(lambda: _announce(delivery.notice_id, new))
    return forwarding


def _announce(notice_id: int, unit_ids: list[int]) -> None:
    from zuofeng.notices.tasks.delivery import notice_announce

    notice_announce.enqueue(notice_id, unit_ids)


def unit_staff(unit_ids) -> dict[int, list]:
    """Who hears about a unit's copy: its leaders and clerks with an active account."""
    staff = defaultdict(list)
    for a in RoleAssignment.objects.filter(
        unit_id__in=unit_ids, role__in=[Role.UNIT_LEADER, Role.SECTION_CLERK], user__is_active=True
    ).select_related("user"):
        staff[a.unit_id].append(a.user)
    return staff


def deliveries_chase(*, actor, deliveries: list[Delivery], message: str = "", dedupe_day: dt.date | None = None) -> int:
    """催办 units that have not signed; signed copies are skipped. Returns how many units were chased.

    `actor=None` is the daily job: it chases once a day per copy (dedupe key with the day).
    """
    for delivery in deliveries:
        if actor is not None and not may(actor, "notice.chase", delivery):
            raise _denied(actor, "notice.chase", delivery, "您不能催办该单位签收此通知。")
    pending = [d for d in deliveries if d.acknowledged_at is None]
    message = (message or "").strip() or DEFAULT_CHASE_MESSAGE
    staff = unit_staff([d.unit_id for d in pending])
    now = clock.now()
    chased = 0
    with transaction.atomic():
        for delivery in pending:
            notice = delivery.notice
            recipients = staff.get(delivery.unit_id, [])
            sent = reminder_send(
                recipients=recipients,
                kind=ReminderKind.MANUAL,
                title=f"催办：请签收《{notice.title}》（{notice.doc_number}）"[:200],
                body=message,
                link=f"/notices/{notice.pk}/",
                obj=notice,
                unit=delivery.unit,
                sender=actor,
                dedupe_key=f"notice-chase:{delivery.pk}:{dedupe_day}" if dedupe_day else None,
            )
            if dedupe_day and not sent:
                continue  # already chased today by an earlier run
            Delivery.objects.filter(pk=delivery.pk).update(chased_at=now, chase_count=F("chase_count") + 1)
            audit_record(
                actor=actor,
                action="notice.chase",
                obj=notice,
                after={
                    "unit": str(delivery.unit),
                    "recipients": sorted(u.username for u in recipients),
                },
                detail=message,
            )
            chased += 1
    return chased
