"""The notice's one state machine: 草稿 → 已印发. Issuing takes the 发文字号 and delivers a copy to
every addressed unit in one transaction; a notice once issued is never edited or unissued (a
correction is a new notice, as on paper).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.notices.models import Delivery, Notice, NoticeState
from zuofeng.notices.numbers import doc_number_take

NOTICE_MOVES: dict[tuple[str, str], str] = {
    (NoticeState.DRAFT, NoticeState.ISSUED): "notice.manage",
}

BATCH = 1000


@audit_refusals("notice")
@transaction.atomic
def notice_transition(*, actor, notice: Notice, to: str) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    action = NOTICE_MOVES.get((locked.state, to))
    if action is None:
        if locked.state == to == NoticeState.ISSUED:
            raise ValidationError("该通知已印发，不能重复印发。", code="repeated")
        raise ValidationError(
            f"当前状态为“{NoticeState(locked.state).label}”，不能变为“{NoticeState(to).label}”。", code="invalid"
        )
    if not may(actor, action, locked):
        raise Refused(action, f"{locked.state}→{to}")
    unit_ids = list(locked.addressees.filter(is_active=True).values_list("pk", flat=True))
    if not unit_ids:
        raise ValidationError({"addressees": "请选择至少一个主送单位，印发后各单位据此签收。"})
    now = clock.now()
    locked.number_year = locked.signed_on.year
    locked.number = doc_number_take(
        prefix=locked.number_prefix, year=locked.number_year, number=locked.number, exclude_pk=locked.pk
    )
    locked.state, locked.issued_at, locked.issued_by = to, now, actor
    locked.printed_on = locked.printed_on or now.date()
    locked.version += 1
    locked.save()
    Delivery.objects.bulk_create(
        [Delivery(notice=locked, unit_id=unit_id, delivered_at=now) for unit_id in unit_ids], batch_size=BATCH
    )
    audit_record(
        actor=actor,
        action="notice.issue",
        obj=locked,
        after={"doc_number": locked.doc_number, "units": len(unit_ids), "printed_on": str(locked.printed_on)},
    )
    transaction.on_commit(lambda: _announce(locked.pk))
    return locked


def _announce(notice_id: int) -> None:
    from zuofeng.notices.tasks.delivery import notice_announce

    notice_announce.enqueue(notice_id)
