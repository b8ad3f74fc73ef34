"""The notice's one state machine: 草稿 → 已印发. Issuing takes the 发文字号 and delivers a copy to
every addressed unit in one transaction; a notice once issued is never edited or unissued (a
correction is a new notice, as on paper).
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.notices.models import Bulletin, BulletinState, Notice, NoticeState
from zuofeng.notices.numbers import doc_number_take

NOTICE_MOVES: dict[tuple[str, str], str] = {
    (NoticeState.DRAFT, NoticeState.ISSUED): "notice.manage",
}


def _check(*, actor, locked, table: dict, to: str, labels) -> None:
    """A move in the table, by someone the move's permission allows."""
    action = table.get((locked.state, to))
    if action is None:
        raise ValidationError(
            f"当前状态为“{labels(locked.state).label}”，不能变为“{labels(to).label}”。", code="invalid"
        )
    if not may(actor, action, locked):
        raise Refused(action, f"{locked.state}→{to}")


@audit_refusals("notice")
@transaction.atomic
def notice_transition(*, actor, notice: Notice, to: str) -> Notice:
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.state == to == NoticeState.ISSUED:
        raise ValidationError("该通知已印发，不能重复印发。", code="repeated")
    _check(actor=actor, locked=locked, table=NOTICE_MOVES, to=to, labels=NoticeState)
    units = locked.addressees.filter(is_active=True).count()
    if not units:
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
    _deliver(locked, now)
    audit_record(
        actor=actor,
        action="notice.issue",
        obj=locked,
        after={"doc_number": locked.doc_number, "units": units, "printed_on": str(locked.printed_on)},
    )
    transaction.on_commit(lambda: _announce(locked.pk))
    return locked


def _deliver(notice: Notice, now) -> None:
    """One copy per active addressed unit, copied inside the database in one statement: 3,500 rows
    built as Python objects took most of the issuing time (decisions: bench figures)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notices_delivery (notice_id, unit_id, delivered_at, chase_count) "
            "SELECT a.notice_id, a.unit_id, %s, 0 FROM notices_notice_addressees a "
            "JOIN organisation_unit u ON u.id = a.unit_id WHERE a.notice_id = %s AND u.is_active",
            [now, notice.pk],
        )


def _announce(notice_id: int) -> None:
    from zuofeng.notices.tasks.delivery import notice_announce

    notice_announce.enqueue(notice_id)


# 通报 (曝光): 草稿 → 已曝光 → 已撤回. Withdrawing takes it off the public page at once; it is not
# published again (a corrected bulletin is a new one, so the trail shows what was public when).
# 内部通报: 草稿 → 已印发, issued as a notice the units sign for; like any notice it is not unsent.
BULLETIN_MOVES: dict[tuple[str, str], str] = {
    (BulletinState.DRAFT, BulletinState.PUBLISHED): "bulletin.manage",
    (BulletinState.DRAFT, BulletinState.SENT): "bulletin.manage",
    (BulletinState.PUBLISHED, BulletinState.WITHDRAWN): "bulletin.manage",
}


@audit_refusals("bulletin")
@transaction.atomic
def bulletin_transition(*, actor, bulletin: Bulletin, to: str) -> Bulletin:
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _check(actor=actor, locked=locked, table=BULLETIN_MOVES, to=to, labels=BulletinState)
    now = clock.now()
    locked.state = to
    if to == BulletinState.WITHDRAWN:
        locked.withdrawn_at = now
    else:
        locked.published_at = now  # the day it left the office, on the public page or to the units
    locked.save()
    released = {str(i.pk): i.released for i in locked.items.all()}
    action = {BulletinState.PUBLISHED: "publish", BulletinState.SENT: "send"}.get(to, "withdraw")
    after = {"state": to} if to == BulletinState.WITHDRAWN else {"state": to, "released": released}
    if to == BulletinState.SENT:
        after["doc_number"] = locked.notice.doc_number if locked.notice_id else ""
    audit_record(actor=actor, action=f"bulletin.{action}", obj=locked, after=after)
    return locked
