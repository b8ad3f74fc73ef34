"""The 群众反映 work order: one table of moves and one transition function, like a 12345 ticket.

受理/不予受理/合并 and 派单 by the office; 签收, 退单, 申请延期 and 答复 by the unit the case was
dispatched to; the office checks the reply, the reporter rates it (with the tracking code and secret,
no account), and the office sends it back (重办) or concludes it (办结). The clock starts at 派单.

`actor` is a user, or None for the reporter's own move (the caller has checked code and secret).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.models import Role, User
from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.services import audit_record
from zuofeng.complaints.config import complaints_config
from zuofeng.complaints.models import Complaint, ComplaintEvent, ComplaintKind, ComplaintState, Rating
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.core.workdays import add_working_days
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send

S = ComplaintState
OFFICE, UNIT, REPORTER = "complaint.manage", "complaint.handle", "reporter"

MOVES: dict[tuple[str, str], tuple[str, str]] = {
    # (from, to): (who, what the history calls it)
    (S.RECEIVED, S.DISPATCHED): (OFFICE, "派单"),
    (S.RECEIVED, S.DECLINED): (OFFICE, "不予受理"),
    (S.RECEIVED, S.MERGED): (OFFICE, "合并重复件"),
    (S.DISPATCHED, S.HANDLING): (UNIT, "签收"),
    (S.DISPATCHED, S.RETURN_REQUESTED): (UNIT, "申请退单"),
    (S.HANDLING, S.RETURN_REQUESTED): (UNIT, "申请退单"),
    (S.RETURN_REQUESTED, S.RECEIVED): (OFFICE, "同意退单"),
    (S.RETURN_REQUESTED, S.HANDLING): (OFFICE, "不同意退单"),
    (S.HANDLING, S.EXTENSION_REQUESTED): (UNIT, "申请延期"),
    (S.EXTENSION_REQUESTED, S.HANDLING): (OFFICE, "审批延期"),
    (S.HANDLING, S.REPLIED): (UNIT, "答复"),
    (S.REPLIED, S.ANSWERED): (OFFICE, "答复审核通过"),
    (S.REPLIED, S.HANDLING): (OFFICE, "答复退回单位"),
    (S.ANSWERED, S.RATED): (REPORTER, "群众评价"),
    (S.RATED, S.HANDLING): (OFFICE, "重办"),
    (S.ANSWERED, S.CONCLUDED): (OFFICE, "办结"),
    (S.RATED, S.CONCLUDED): (OFFICE, "办结"),
}

# Moves that must say why; the reason of a refusal or a decision on the reporter's case is shown to them.
REASON_REQUIRED = {
    (S.RECEIVED, S.DECLINED): "请填写不予受理的理由（群众可见），如属于诉讼、信访或纪检监察事项。",
    (S.DISPATCHED, S.RETURN_REQUESTED): "请填写退单依据（如职责文件条款）。",
    (S.HANDLING, S.RETURN_REQUESTED): "请填写退单依据（如职责文件条款）。",
    (S.RETURN_REQUESTED, S.HANDLING): "请填写不同意退单的理由。",
    (S.HANDLING, S.EXTENSION_REQUESTED): "请填写申请延期的理由。",
    (S.REPLIED, S.HANDLING): "请填写退回答复的理由。",
    (S.RATED, S.HANDLING): "请填写重办要求。",
}
# Lines of the history the reporter does not read (the unit's internal exchanges with the office).
NOT_PUBLIC = {(S.REPLIED, S.HANDLING), (S.RETURN_REQUESTED, S.HANDLING)}


def deadline_days(complaint: Complaint) -> int:
    d = complaints_config(complaint.campaign).deadlines
    return {ComplaintKind.COMPLAINT: d.complaint, ComplaintKind.SUGGESTION: d.suggestion}.get(complaint.kind, d.praise)


def _check(*, actor, complaint: Complaint, to: str, comment: str) -> tuple[str, str]:
    move = MOVES.get((complaint.state, to))
    if move is None:
        raise ValidationError(
            f"当前状态为“{S(complaint.state).label}”，不能变为“{S(to).label}”。", code="invalid_transition"
        )
    who, label = move
    if (who == REPORTER) != (actor is None) or (who != REPORTER and not may(actor, who, complaint)):
        raise Refused(who, f"{complaint.state}→{to}")
    reason = REASON_REQUIRED.get((complaint.state, to))
    if reason and not comment.strip():
        raise ValidationError({"comment": reason}, code="comment_required")
    return who, label


def _apply(c: Complaint, *, current: str, to: str, comment: str, today: dt.date, now, f: dict) -> str:
    """Set the fields the move changes; return what the history line adds to its label."""
    if to == S.DISPATCHED:
        unit = f.get("unit")
        if unit is None:
            raise ValidationError({"unit": "请选择承办单位。"})
        sign_within = complaints_config(c.campaign).deadlines.sign_within
        c.unit, c.dispatched_on = unit, today
        c.sign_due = add_working_days(today, sign_within)
        c.deadline = f.get("deadline") or add_working_days(today, deadline_days(c))
        if c.deadline <= today:
            raise ValidationError({"deadline": "办理期限须晚于今天。"})
        c.signed_at = None
        return f"：{unit.qualified_name}，{c.deadline.isoformat()} 前答复"
    if to in (S.DECLINED, S.MERGED):
        if to == S.MERGED:
            target = f.get("merged_into")
            if target is None or target.pk == c.pk or target.state == S.MERGED:
                raise ValidationError({"merged_into": "请填写要合并到的另一件反映的查询码。"})
            c.merged_into = target
            comment = comment or f"与 {target.code} 反映的是同一件事，合并办理。"
        c.office_note, c.concluded_on = comment, today
        return f"：合并到 {target.code}" if to == S.MERGED else ""
    if current == S.DISPATCHED and to == S.HANDLING:
        c.signed_at = now
        return ""
    if current == S.RETURN_REQUESTED and to == S.RECEIVED:
        c.unit = c.deadline = c.sign_due = c.dispatched_on = c.signed_at = None
        return ""
    if current == S.RETURN_REQUESTED:
        c.signed_at = c.signed_at or now
        return ""
    if to == S.EXTENSION_REQUESTED:
        until = f.get("extension_until")
        if c.deadline and today > c.deadline:
            raise ValidationError({"extension_until": "已超过办理期限，不能再申请延期。"})
        if until is None or (c.deadline and until <= c.deadline):
            raise ValidationError({"extension_until": "请填写延期后的期限（须晚于现在的办理期限）。"})
        c.extension_until = until
        return f"至 {until.isoformat()}"
    if current == S.EXTENSION_REQUESTED:
        granted = bool(f.get("granted"))
        if granted:
            c.deadline = c.extension_until
        c.extension_until = None
        return f"：{'同意' if granted else '不同意'}，办理期限 {c.deadline.isoformat()}"
    if to == S.REPLIED:
        reply = (f.get("reply") or "").strip()
        if len(reply) < 10:
            raise ValidationError({"reply": "请填写答复内容，至少 10 个字。"})
        c.reply, c.replied_on = reply, today
        return ""
    if to == S.RATED:
        rating = f.get("rating") or ""
        if rating not in Rating.values:
            raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
        c.rating, c.rating_comment = rating, (f.get("rating_comment") or "").strip()[:1000]
        return f"：{Rating(rating).label}"
    if current == S.RATED and to == S.HANDLING:
        c.redo_count += 1
        c.deadline = add_working_days(today, deadline_days(c))
        c.rating, c.rating_comment, c.replied_on = "", "", None
        return f"（第 {c.redo_count} 次），{c.deadline.isoformat()} 前答复"
    if to == S.CONCLUDED:
        c.concluded_on = today
        return ""
    return ""


@audit_refusals("complaint")
@transaction.atomic
def complaint_transition(*, actor, complaint: Complaint, to: str, comment: str = "", **fields) -> Complaint:
    """Move the case; `fields` carry what a move needs (unit, deadline, merged_into, extension_until,
    granted, reply, rating, rating_comment, obstruction_category). Raises ValidationError per field."""
    c = Complaint.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=complaint.pk)
    current = c.state
    comment = (comment or "").strip()
    _, label = _check(actor=actor, complaint=c, to=to, comment=comment)
    now, today = clock.now(), clock.today()
    detail = _apply(c, current=current, to=to, comment=comment, today=today, now=now, f=fields)
    c.state = to
    c.version += 1
    c.save()
    if to == S.CONCLUDED and fields.get("obstruction_category") is not None:
        _to_problem(actor=actor, complaint=c, category=fields["obstruction_category"])
    ComplaintEvent.objects.create(
        complaint=c,
        actor=actor,
        action=label + detail,
        from_state=current,
        to_state=to,
        comment=comment,
        public=(current, to) not in NOT_PUBLIC,
        at=now,
    )
    audit_record(
        actor=actor, action=f"complaint.{to}", obj=c, before={"state": current}, after={"state": to}, detail=comment
    )
    _notify(actor=actor, complaint=c, current=current, to=to, label=label)
    complaint.__dict__.update({k: v for k, v in c.__dict__.items() if not k.startswith("_")})
    return c


def _to_problem(*, actor, complaint: Complaint, category) -> None:
    """A concluded complaint that revealed an obstruction becomes a problem in the unit's list (群众提);
    the problem's source detail names the case's code and the case keeps the problem: linked both ways."""
    from zuofeng.rectification.services.outside import problem_create_from_outside

    if complaint.unit is None:
        raise ValidationError({"obstruction_category": "该反映没有承办单位，不能转入整改清单。"})
    symptom = complaint.symptom if complaint.symptom and complaint.symptom.category_id == category.pk else None
    complaint.problem = problem_create_from_outside(
        actor=actor,
        unit=complaint.unit,
        campaign=complaint.campaign,
        source_kind="public",
        category=category,
        symptom=symptom,
        description=complaint.text,
        found_on=complaint.received_at.date(),
        origin="群众提",
        source_detail=f"群众反映 {complaint.code}",
    )
    complaint.save(update_fields=["problem", "updated_at"])


def _notify(*, actor, complaint: Complaint, current: str, to: str, label: str) -> None:
    """Tell the other side. Only the code, the type and the move: never the reporter or the text."""
    what = f"群众反映 {complaint.code}（{complaint.get_kind_display()}）"
    if MOVES[(current, to)][0] == UNIT:
        recipients = User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE).distinct()
        link = f"/complaints/{complaint.pk}/"
        title = f"{complaint.unit.qualified_name}{label}：{what}"
    elif complaint.unit_id and to in (S.DISPATCHED, S.HANDLING, S.CONCLUDED):
        recipients, link = users_editing(unit=complaint.unit), f"/complaints/{complaint.pk}/"
        title = f"{label}：{what}" + ("，请在 1 个工作日内签收" if to == S.DISPATCHED else "")
    else:
        return
    reminder_send(
        recipients=[u for u in recipients if u.pk != getattr(actor, "pk", None)],
        kind=ReminderKind.NOTICE,
        title=title,
        link=link,
        obj=complaint,
        unit=complaint.unit,
        sender=actor,
    )
