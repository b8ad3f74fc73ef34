"""回头看: a seeded sample of closed measures, verified on site; not fixed → reopened and counted as 纸面销号.

The sample is drawn from closed measures in (unit, id) order with `random.Random(seed)`, so the same
seed over the same measures draws the same items. A not-fixed verdict records a finding (the evidence
of what was seen) and reopens the measure through rectification's own transition with the finding's
text as the reason; an inspector cannot reopen (measure.reopen), so their verdict waits for the office.
"""

import random
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import has_role
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.transitions import Refused, audit_refusals
from zuofeng.rectification.models import Measure, MeasureState
from zuofeng.rectification.workflow import measure_transition
from zuofeng.supervision.models import (
    Finding,
    FindingState,
    RecheckItem,
    RecheckSample,
    RecheckScope,
    Severity,
    Verdict,
)

MAX_ITEMS = 2000


def sample_closed_measures(*, campaign, scope: str, size: int, seed: int) -> list[tuple[int, int]]:
    """(measure id, unit id) pairs: `size` per unit, or `size` across the district."""
    rows = list(
        Measure.objects.filter(campaign=campaign, state=MeasureState.CLOSED)
        .order_by("unit_id", "id")
        .values_list("id", "unit_id")
    )
    rng = random.Random(seed)  # noqa: S311 — reproducible from the recorded seed on purpose
    if scope == RecheckScope.DISTRICT:
        return sorted(rng.sample(rows, min(size, len(rows))), key=lambda r: (r[1], r[0]))
    by_unit: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        by_unit[row[1]].append(row)
    drawn = []
    for unit_id in sorted(by_unit):
        drawn.extend(rng.sample(by_unit[unit_id], min(size, len(by_unit[unit_id]))))
    return sorted(drawn, key=lambda r: (r[1], r[0]))


def recheck_create(*, actor, campaign, name: str, scope: str, size: int, seed: int, team) -> RecheckSample:
    if not may(actor, "recheck.manage"):
        raise PermissionDenied("您无权安排回头看。")
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写名称。"
    if scope not in RecheckScope.values:
        errors["scope"] = "请选择抽样范围。"
    if not size or size < 1:
        errors["size"] = "抽取件数至少为 1。"
    if seed is None:
        errors["seed"] = "请填写抽样种子。"
    if not team:
        errors["team"] = "请至少选择一名督查员。"
    elif any(not has_role(user, Role.INSPECTOR) for user in team):
        errors["team"] = "督查组成员必须是督查员账号。"
    if errors:
        raise ValidationError(errors)
    drawn = sample_closed_measures(campaign=campaign, scope=scope, size=size, seed=seed)
    if not drawn:
        raise ValidationError({"size": "目前没有已销号的措施可供抽查。"})
    if len(drawn) > MAX_ITEMS:
        raise ValidationError({"size": f"一次最多抽查 {MAX_ITEMS} 件（现为 {len(drawn)} 件），请减少抽取件数。"})
    with transaction.atomic():
        sample = RecheckSample.objects.create(
            campaign=campaign, name=name.strip(), scope=scope, size=size, seed=seed, created_by=actor
        )
        sample.team.set(team)
        RecheckItem.objects.bulk_create(
            RecheckItem(sample=sample, measure_id=measure_id, unit_id=unit_id) for measure_id, unit_id in drawn
        )
        audit_record(
            actor=actor,
            action="recheck.create",
            obj=sample,
            after={
                "名称": sample.name,
                "范围": RecheckScope(scope).label,
                "件数": size,
                "种子": seed,
                "抽中": len(drawn),
            },
        )
    return sample


@audit_refusals("item")
@transaction.atomic
def recheck_verify(
    *, actor, item: RecheckItem, verdict: str, text: str = "", severity: str = Severity.GENERAL
) -> RecheckItem:
    locked = RecheckItem.objects.select_for_update(of=("self",)).select_related("sample", "measure").get(pk=item.pk)
    if not may(actor, "recheck.verify", locked.sample):
        raise Refused("recheck.verify", f"item {locked.pk}")
    if verdict not in (Verdict.FIXED, Verdict.NOT_FIXED):
        raise ValidationError({"verdict": "请选择核查结论。"})
    if locked.verdict != Verdict.PENDING:
        raise ValidationError("该事项已核查。", code="repeated")
    if verdict == Verdict.NOT_FIXED:
        if not (text or "").strip():
            raise ValidationError({"text": "请写明未整改到位的情况。"})
        measure = locked.measure
        locked.finding = Finding.objects.create(
            recheck=locked.sample,
            unit_id=locked.unit_id,
            inspector=actor,
            category_id=measure.problem.category_id,
            severity=severity if severity in Severity.values else Severity.GENERAL,
            text=text.strip(),
            found_on=clock.today(),
            measure=measure,
            related_problem_id=measure.problem_id,
            state=FindingState.CONFIRMED,
            decided_by=actor,
            decided_at=clock.now(),
        )
    locked.verdict = verdict
    locked.checked_by = actor
    locked.checked_at = clock.now()
    locked.save()
    audit_record(
        actor=actor,
        action=f"recheck.{verdict}",
        obj=locked.measure,
        after={"回头看": locked.sample.name, "结论": Verdict(verdict).label},
        detail=text.strip(),
    )
    if verdict == Verdict.NOT_FIXED and may(actor, "measure.reopen", locked.measure):
        _reopen(actor=actor, item=locked)
    item.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def _reopen(*, actor, item: RecheckItem) -> None:
    measure_transition(
        actor=actor,
        measure=item.measure,
        to=MeasureState.IN_PROGRESS,
        comment=f"回头看（{item.sample.name}）发现未整改到位（纸面销号）：{item.finding.text}",
    )
    item.reopened_at = clock.now()
    item.save(update_fields=["reopened_at"])


@transaction.atomic
def recheck_reopen(*, actor, item: RecheckItem) -> RecheckItem:
    """The office reopens a measure an inspector found not fixed."""
    locked = RecheckItem.objects.select_for_update(of=("self",)).select_related("sample", "finding").get(pk=item.pk)
    if locked.verdict != Verdict.NOT_FIXED or locked.reopened_at is not None:
        raise ValidationError("该事项无需重新打开。")
    if locked.measure.state != MeasureState.CLOSED:
        raise ValidationError("该措施已不是“已销号”状态。")
    _reopen(actor=actor, item=locked)
    return locked
