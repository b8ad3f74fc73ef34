"""Judging: the office assigns judges and opens judging, judges score, the office selects the winners.

Scores are 0–100 per criterion (weights come from Award.criteria), see selectors/judging.py.
"""

import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import has_role
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import AWARD_COUNTER, Award
from zuofeng.core import clock
from zuofeng.core.cn import cn_datetime
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import JPG, PNG, check_upload
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Score
from zuofeng.nominations.workflow import nomination_transition

S = NominationState
COMMENT_MAX_CHARS = 500
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _require(actor, action: str, obj, message: str = "您无权办理此事项。") -> None:
    if not may(actor, action, obj):
        audit_record(actor=actor, action=action, obj=obj, result=AuditResult.DENIED)
        raise PermissionDenied(message)


# ── judges ──────────────────────────────────────────────────────────────────


def judge_assign(*, actor, award: Award, judges) -> list[JudgeAssignment]:
    _require(actor, "award.manage", award)
    judges = list(judges)
    wrong = [j.display_name for j in judges if not has_role(j, Role.JUDGE) or not j.is_active]
    if wrong:
        raise ValidationError({"judges": f"{'、'.join(wrong)} 不是评审专家账号，不能分配。"})
    created = []
    with transaction.atomic():
        for judge in judges:
            assignment, new = JudgeAssignment.objects.get_or_create(
                award=award, judge=judge, defaults={"assigned_by": actor}
            )
            if new:
                created.append(assignment)
                audit_record(actor=actor, action="judging.assign", obj=award, after={"judge": judge.username})
    return created


def judge_unassign(*, actor, award: Award, judge) -> None:
    _require(actor, "award.manage", award)
    if Score.objects.filter(nomination__award=award, judge=judge).exists():
        raise ValidationError(f"{judge.display_name} 已经评分，不能取消分配。", code="has_scores")
    with transaction.atomic():
        deleted, _ = JudgeAssignment.objects.filter(award=award, judge=judge).delete()
        if deleted:
            audit_record(actor=actor, action="judging.unassign", obj=award, before={"judge": judge.username})


def judging_open(*, actor, award: Award) -> int:
    """Move every submitted nomination (with or without opinion) into judging; returns how many moved.

    Can be repeated: a unit with an extension that submits later is brought in by opening again.
    """
    _require(actor, "award.manage", award)
    if award.deadline is not None and clock.now() <= award.deadline:
        raise ValidationError(f"“{award.name}”申报于{cn_datetime(award.deadline)}截止，截止后才能开始评审。")
    if not JudgeAssignment.objects.filter(award=award).exists():
        raise ValidationError("请先分配评审专家。", code="no_judges")
    waiting = Nomination.objects.filter(award=award, state__in=[S.SUBMITTED, S.OPINION_GIVEN]).order_by("pk")
    with transaction.atomic():
        moved = 0
        for nomination in waiting:
            nomination_transition(actor=actor, nomination=nomination, to=S.JUDGING, notify=False)
            moved += 1
        audit_record(actor=actor, action="judging.open", obj=award, after={"moved": moved})
    return moved


# ── scores ──────────────────────────────────────────────────────────────────


def _clean_scores(award: Award, scores) -> list[tuple[int, Decimal, str]]:
    criteria = award.criteria or []
    errors: dict[str, str] = {}
    cleaned = []
    seen = set()
    for criterion, value, comment in scores:
        if not isinstance(criterion, int) or not 0 <= criterion < len(criteria) or criterion in seen:
            raise ValidationError(f"评分项编号 {criterion} 不正确。", code="criterion")
        seen.add(criterion)
        name = criteria[criterion]["name"]
        try:
            score = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            errors[f"score_{criterion}"] = f"“{name}”的得分须为数字。"
            continue
        if not score.is_finite() or not 0 <= score <= 100:
            errors[f"score_{criterion}"] = f"“{name}”的得分须在 0 到 100 之间。"
        elif score != score.quantize(Decimal("0.01")):
            errors[f"score_{criterion}"] = f"“{name}”的得分最多保留两位小数。"
        comment = (comment or "").strip()
        if len(comment) > COMMENT_MAX_CHARS:
            errors[f"comment_{criterion}"] = f"“{name}”的评语不能超过 {COMMENT_MAX_CHARS} 字。"
        cleaned.append((criterion, score, comment))
    for i, c in enumerate(criteria):
        if i not in seen:
            errors.setdefault(f"score_{i}", f"请为“{c['name']}”评分。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def score_save(*, actor, nomination: Nomination, scores: list[tuple[int, Decimal, str]]) -> list[Score]:
    """Save (or change) the actor's score and comment on every criterion, while the nomination is in judging."""
    _require(actor, "nomination.judge", nomination, "您无权对该申报评分。")
    if nomination.state != S.JUDGING:
        raise ValidationError(f"该申报当前为“{S(nomination.state).label}”，不在评审中，不能评分。", code="not_judging")
    cleaned = _clean_scores(nomination.award, scores)
    saved = []
    with transaction.atomic():
        existing = {
            s.criterion: s for s in Score.objects.select_for_update().filter(nomination=nomination, judge=actor)
        }
        before = {str(c): str(s.score) for c, s in existing.items()} or None
        for criterion, score, comment in cleaned:
            row = existing.get(criterion) or Score(nomination=nomination, judge=actor, criterion=criterion)
            if row.pk is None or row.score != score or row.comment != comment:
                row.score, row.comment = score, comment
                row.save()
            saved.append(row)
        audit_record(
            actor=actor,
            action="nomination.score",
            obj=nomination,
            before=before,
            after={str(c): str(s) for c, s, _ in cleaned},
        )
    return saved


# ── results ─────────────────────────────────────────────────────────────────


def results_select(*, actor, award: Award, selected_ids, allow_over_quota: bool = False) -> tuple[int, int]:
    """Selected → SELECTED, every other nomination in judging → NOT_SELECTED. Returns (selected, not selected)."""
    _require(actor, "award.manage", award)
    judging = list(Nomination.objects.filter(award=award, state=S.JUDGING).order_by("unit__sort_key", "pk"))
    ids = {int(pk) for pk in selected_ids}
    unknown = ids - {n.pk for n in judging}
    if unknown:
        raise ValidationError("所选申报不在本奖项的评审中，请刷新页面后重新选择。", code="unknown")
    if not ids:
        raise ValidationError({"selected": "请至少选择 1 个入选申报。"})
    if award.winners and len(ids) > award.winners and not allow_over_quota:
        unit = AWARD_COUNTER.get(award.kind, "个")
        message = f"已选 {len(ids)} {unit}，超过评选名额 {award.winners} {unit}；确需超额入选，请勾选“确认超出名额”。"
        raise ValidationError({"selected": message}, code="over_quota")
    with transaction.atomic():
        for nomination in judging:
            to = S.SELECTED if nomination.pk in ids else S.NOT_SELECTED
            nomination_transition(actor=actor, nomination=nomination, to=to)
        audit_record(
            actor=actor,
            action="award.results_select",
            obj=award,
            after={"selected": sorted(ids), "not_selected": len(judging) - len(ids), "winners": award.winners},
        )
    return len(ids), len(judging) - len(ids)


# ── showcase photo ──────────────────────────────────────────────────────────


def nomination_photo_upload(*, actor, nomination: Nomination, photo) -> Nomination:
    """The unit's photo of its nominee or case, shown on the showcase (JPG/PNG, ≤ 5 MB)."""
    _require(actor, "nomination.edit", nomination, "只有申报单位可以上传照片。")
    try:
        kind = check_upload(photo, allowed={JPG, PNG}, max_bytes=PHOTO_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages[0]}) from None
    field = Nomination._meta.get_field("photo")
    with file_changes(field.storage) as files, transaction.atomic():
        before = {"photo": os.path.basename(nomination.photo.name)} if nomination.photo else None
        files.replace(nomination.photo.name)
        nomination.photo.name = files.save(field.generate_filename(nomination, f"photo-{nomination.pk}.{kind}"), photo)
        nomination.save(update_fields=["photo", "updated_at"])
        audit_record(actor=actor, action="nomination.photo", obj=nomination, before=before, after={"photo": photo.name})
    return nomination
