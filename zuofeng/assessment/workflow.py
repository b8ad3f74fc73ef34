"""The 异议 (objection) state machine: a unit raises it within the window, the office answers it.

One table of moves and one transition function, as in rectification/workflow.py. Raising is
`objection_raise` (it creates the row in 待答复); answering is the only move.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zuofeng.accounts.permissions import may
from zuofeng.assessment.models import ItemScore, Objection, ObjectionState, RunState, UnitScore
from zuofeng.assessment.rubric import run_rubric
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.core.workdays import add_working_days

OBJECTION_MOVES: dict[tuple[str, str], str] = {
    (ObjectionState.OPEN, ObjectionState.ANSWERED): "assessment.answer",
}


def objection_deadline(score: UnitScore):
    """The last day a unit may object: N working days after the snapshot was finished."""
    days = run_rubric(score.run.rubric).objection_days
    return add_working_days(timezone.localdate(score.run.finished_at), days)


@audit_refusals("score")
@transaction.atomic
def objection_raise(*, actor, score: UnitScore, text: str, item: ItemScore | None = None) -> Objection:
    if not may(actor, "assessment.object", score):
        raise Refused("assessment.object", "raise")
    if score.run.state != RunState.DONE:
        raise ValidationError("考核得分尚未计算完成")
    if not text.strip():
        raise ValidationError({"text": "请填写异议内容"})
    if item is not None and item.score_id != score.pk:
        raise ValidationError({"item": "考核项不属于本单位"})
    deadline = objection_deadline(score)
    if clock.today() > deadline:
        raise ValidationError({"text": f"异议期已过（截至 {deadline.isoformat()}）"})
    try:
        with transaction.atomic():
            objection = Objection.objects.create(score=score, item=item, text=text.strip(), raised_by=actor)
    except IntegrityError:
        raise ValidationError({"text": "本单位已有一条待答复的异议，请等待作风办答复"}) from None
    audit_record(actor=actor, action="assessment.object", obj=objection, after={"text": text.strip()})
    return objection


@audit_refusals("objection")
@transaction.atomic
def objection_transition(*, actor, objection: Objection, to: str, answer: str = "") -> Objection:
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    action = OBJECTION_MOVES.get((locked.state, to))
    if action is None:
        raise ValidationError("该异议已答复" if locked.state == ObjectionState.ANSWERED else "不能办理此操作")
    if not may(actor, action, locked):
        raise Refused(action, f"{locked.state}→{to}")
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复意见"})
    locked.state = to
    locked.answer = answer.strip()
    locked.answered_by = actor
    locked.answered_at = clock.now()
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=action, obj=locked, after={"answer": locked.answer})
    return locked
