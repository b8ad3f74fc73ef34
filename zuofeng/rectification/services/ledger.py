"""Editing a unit's list (整改清单) item by item: problems and their measures.

Every write checks `may(actor, "ledger.edit", ledger)`, locks the ledger row (so an edit and
a submission cannot interleave), refuses approved items (their changes are change requests),
refuses a stale `version` with the other person's values, keeps `search_bigrams` current and
writes one audit entry with before/after.
"""

import datetime as dt
import hashlib
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditEntry, AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.rectification.lights import measure_refresh_light
from zuofeng.rectification.models import ItemReview, Ledger, LedgerState, Measure, MeasureState, Problem
from zuofeng.rectification.services.search import measure_bigrams, problem_bigrams
from zuofeng.rectification.workflow import ledger_transition

EDITABLE_STATES = (LedgerState.DRAFT, LedgerState.RETURNED)
PROBLEM_FIELDS = ("category", "symptom", "source", "source_detail", "description", "found_on")
MEASURE_FIELDS = (
    "text",
    "standard",
    "responsible_leader",
    "responsible_unit",
    "responsible_person",
    "responsible_name",
    "starts_on",
    "deadline",
    "is_ongoing",
    "key_area",
    "remark",
)
LOCKED_MESSAGE = "该条目已审核通过并锁定，如需变更请提交变更申请。"


class StaleVersion(ValidationError):
    """Someone else saved the item since the form was opened."""

    def __init__(self, *, obj, current: dict[str, str], by: str, at: dt.datetime | None):
        when = _when(at)
        super().__init__(f"该条目已被 {by} 于 {when} 修改，请核对后再保存。", code="stale")
        self.obj, self.current, self.by, self.at = obj, current, by, at


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return "刚才"
    local = timezone.localtime(at)
    if local.date() == clock.today():
        return f"{local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _last_change(obj) -> tuple[str, dt.datetime | None]:
    entry = (
        AuditEntry.objects.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
            object_id=str(obj.pk),
            result=AuditResult.SUCCESS,
        )
        .order_by("-id")
        .only("actor_name", "actor_username", "at")
        .first()
    )
    if entry is None:
        return "他人", obj.updated_at
    return entry.actor_name or entry.actor_username or "他人", entry.at


def normal_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def problem_import_key(problem: Problem) -> str:
    """Identity of a problem for re-imports: same category, symptom, source and wording → same problem."""
    parts = [
        problem.category_id,
        problem.symptom_id or "",
        problem.source_id,
        problem.source_detail,
        problem.description,
    ]
    return hashlib.sha256("\x1f".join(normal_text(str(p)) for p in parts).encode()).hexdigest()


def problem_snapshot(problem: Problem) -> dict[str, str]:
    """The values a person reads, keyed by the labels on screen (audit before/after, stale notices)."""
    return {
        "类别": problem.category.name if problem.category_id else "",
        "具体表现": problem.symptom.name if problem.symptom_id else "",
        "对照内容": "、".join(b.name for b in problem.benchmarks.all()) if problem.pk else "",
        "问题来源": problem.source.name if problem.source_id else "",
        "来源说明": problem.source_detail,
        "问题描述": problem.description,
        "查摆日期": problem.found_on.isoformat() if problem.found_on else "",
    }


def measure_snapshot(measure: Measure) -> dict[str, str]:
    person = measure.responsible_person.name if measure.responsible_person_id else measure.responsible_name
    return {
        "整改措施": measure.text,
        "整改标准": measure.standard,
        "责任领导": measure.responsible_leader,
        "责任单位": measure.responsible_unit.name if measure.responsible_unit_id else "",
        "责任人": person,
        "开始日期": measure.starts_on.isoformat() if measure.starts_on else "",
        "完成时限": "长期坚持" if measure.is_ongoing else (measure.deadline.isoformat() if measure.deadline else ""),
        "攻坚重点": measure.key_area.name if measure.key_area_id else "",
        "备注": measure.remark,
    }


# --- checks -------------------------------------------------------------------------------


def _require_edit(actor, ledger: Ledger, action: str) -> None:
    if not may(actor, "ledger.edit", ledger):
        audit_record(actor=actor, action=action, obj=ledger, result=AuditResult.DENIED)
        raise PermissionDenied("您无权修改该单位的整改清单。")


def _lock_ledger(ledger: Ledger) -> Ledger:
    return Ledger.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=ledger.pk)


def _require_open(ledger: Ledger) -> None:
    if ledger.state == LedgerState.SUBMITTED:
        raise ValidationError("清单已提交，正在等待审核，审核期间不能修改。", code="submitted")
    if ledger.state not in EDITABLE_STATES:
        raise ValidationError(LOCKED_MESSAGE, code="locked")


def _open_for_adding(actor, ledger: Ledger) -> Ledger:
    """New items may go into an approved list: it goes back to draft, approved items stay locked."""
    locked = _lock_ledger(ledger)
    if locked.state == LedgerState.APPROVED:
        locked = ledger_transition(actor=actor, ledger=locked, to=LedgerState.DRAFT, notify=False)
    _require_open(locked)
    return locked


def problem_is_locked(problem: Problem) -> bool:
    return problem.review == ItemReview.APPROVED


def measure_is_locked(measure: Measure, problem: Problem | None = None) -> bool:
    problem = problem or measure.problem
    return problem_is_locked(problem) or measure.state != MeasureState.PLANNED


def _check_version(obj, version, snapshot) -> None:
    if version is not None and int(version) != obj.version:
        by, at = _last_change(obj)
        raise StaleVersion(obj=obj, current=snapshot(obj), by=by, at=at)


def _problem_errors(problem: Problem, benchmarks) -> dict[str, str]:
    campaign_id = problem.ledger.campaign_id
    errors = {}
    if problem.category_id is None or problem.category.campaign_id != campaign_id:
        errors["category"] = "请选择本次活动的问题类别"
    elif problem.symptom_id and problem.symptom.category_id != problem.category_id:
        errors["symptom"] = f"“{problem.symptom.name}”不属于“{problem.category.name}”"
    if problem.source_id is None or problem.source.campaign_id != campaign_id:
        errors["source"] = "请选择问题来源"
    if any(b.campaign_id != campaign_id for b in benchmarks):
        errors["benchmarks"] = "对照内容不属于本次活动"
    if not (problem.description or "").strip():
        errors["description"] = "请填写问题描述"
    if len(problem.source_detail or "") > 200:
        errors["source_detail"] = "来源说明不能超过 200 字"
    if problem.found_on is None:
        errors["found_on"] = "请填写查摆日期"
    return errors


def measure_date_errors(*, starts_on, deadline, is_ongoing: bool) -> dict[str, str]:
    """One rule for the form, the service and the import: a deadline, or 长期坚持, never both."""
    errors = {}
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期"
    if is_ongoing and deadline is not None:
        errors["deadline"] = "已选择“长期坚持”，不应再填写完成时限"
    elif not is_ongoing and deadline is None:
        errors["deadline"] = "请填写完成时限，或选择“长期坚持”"
    elif deadline is not None and starts_on is not None and deadline < starts_on:
        errors["deadline"] = "完成时限不能早于开始日期"
    return errors


def _measure_errors(measure: Measure, ledger: Ledger) -> dict[str, str]:
    errors = measure_date_errors(starts_on=measure.starts_on, deadline=measure.deadline, is_ongoing=measure.is_ongoing)
    if not (measure.text or "").strip():
        errors["text"] = "请填写整改措施"
    unit = measure.responsible_unit
    if unit is not None and not unit.path.startswith(ledger.unit.path):
        errors["responsible_unit"] = f"责任单位应为{ledger.unit.display_name}或其下属单位"
    person = measure.responsible_person
    if person is not None and person.unit_id != (unit.pk if unit else ledger.unit_id):
        errors["responsible_person"] = f"{person.name}不在{(unit or ledger.unit).display_name}"
    if measure.key_area_id and measure.key_area.campaign_id != ledger.campaign_id:
        errors["key_area"] = "攻坚重点不属于本次活动"
    for name, limit, label in (("responsible_leader", 100, "责任领导"), ("responsible_name", 100, "责任人"),
                               ("remark", 500, "备注")):  # fmt: skip
        if len(getattr(measure, name) or "") > limit:
            errors[name] = f"{label}不能超过 {limit} 字"
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- ledger -------------------------------------------------------------------------------


@transaction.atomic
def ledger_get_or_create(*, actor, unit, campaign) -> Ledger:
    """Open a unit's list for the campaign, creating it on first use by one of its editors."""
    ledger = Ledger.objects.filter(unit=unit, campaign=campaign).first()
    if ledger is not None:
        return ledger
    if not may(actor, "ledger.edit", unit):
        raise PermissionDenied("您无权为该单位建立整改清单。")
    ledger, created = Ledger.objects.get_or_create(unit=unit, campaign=campaign)
    if created:
        audit_record(actor=actor, action="ledger.create", obj=ledger, after={"单位": unit.name, "活动": campaign.title})
    return ledger


# --- problems -----------------------------------------------------------------------------


def problem_create(
    *,
    actor,
    ledger: Ledger,
    category,
    source,
    description: str,
    found_on: dt.date,
    symptom=None,
    benchmarks=(),
    source_detail: str = "",
) -> Problem:
    _require_edit(actor, ledger, "problem.create")
    with transaction.atomic():
        locked = _open_for_adding(actor, ledger)
        problem = Problem(
            ledger=locked,
            unit_id=locked.unit_id,
            category=category,
            symptom=symptom,
            source=source,
            source_detail=(source_detail or "").strip(),
            description=(description or "").strip(),
            found_on=found_on,
            recorded_by=actor,
        )
        benchmarks = list(benchmarks)
        _raise(_problem_errors(problem, benchmarks))
        problem.order = (locked.problems.aggregate(m=Max("order"))["m"] or 0) + 1
        problem.search_bigrams = problem_bigrams(problem)
        problem.import_key = problem_import_key(problem)
        problem.save()
        problem.benchmarks.set(benchmarks)
        audit_record(actor=actor, action="problem.create", obj=problem, after=problem_snapshot(problem))
    ledger.state = locked.state
    return problem


def _locked_problem(problem: Problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("ledger__unit", "ledger__campaign", "category", "symptom", "source")
        .get(pk=problem.pk)
    )


def problem_update(*, actor, problem: Problem, version: int, data: dict) -> Problem:
    _require_edit(actor, problem.ledger, "problem.update")
    with transaction.atomic():
        _require_open(_lock_ledger(problem.ledger))
        locked = _locked_problem(problem)
        _check_version(locked, version, problem_snapshot)
        if problem_is_locked(locked):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        before = problem_snapshot(locked)
        benchmarks = list(data["benchmarks"]) if "benchmarks" in data else list(locked.benchmarks.all())
        for name in PROBLEM_FIELDS:
            if name in data:
                value = data[name]
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        _raise(_problem_errors(locked, benchmarks))
        locked.version += 1
        locked.search_bigrams = problem_bigrams(locked)
        locked.import_key = problem_import_key(locked)
        locked.save()
        locked.benchmarks.set(benchmarks)
        audit_record(actor=actor, action="problem.update", obj=locked, before=before, after=problem_snapshot(locked))
    return locked


def problem_delete(*, actor, problem: Problem, version: int | None = None) -> None:
    _require_edit(actor, problem.ledger, "problem.delete")
    with transaction.atomic():
        _require_open(_lock_ledger(problem.ledger))
        locked = _locked_problem(problem)
        _check_version(locked, version, problem_snapshot)
        if problem_is_locked(locked) or locked.measures.exclude(state=MeasureState.PLANNED).exists():
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        before = {**problem_snapshot(locked), "整改措施": [m.text for m in locked.measures.all()]}
        audit_record(actor=actor, action="problem.delete", obj=locked, before=before)
        locked.delete()
        _renumber(Problem.objects.filter(ledger_id=locked.ledger_id), Problem)


def _renumber(rows, model) -> None:
    """Keep 序号 gapless after a delete, since the page shows `order` as the item number."""
    rows = list(rows.order_by("order", "id"))
    for position, row in enumerate(rows, start=1):
        row.order = position
    model.objects.bulk_update(rows, ["order"])


def _reorder(actor, *, ledger: Ledger, rows, ordered_ids: list[int], model, action: str, obj) -> None:
    _require_edit(actor, ledger, action)
    with transaction.atomic():
        _require_open(_lock_ledger(ledger))
        current = {row.pk: row for row in rows.select_for_update()}
        if sorted(ordered_ids) != sorted(current):
            raise ValidationError("排序已被他人改变，请刷新页面后重试。", code="stale")
        before = sorted(current, key=lambda pk: (current[pk].order, pk))
        for position, pk in enumerate(ordered_ids, start=1):
            current[pk].order = position
        model.objects.bulk_update(current.values(), ["order"])
        audit_record(actor=actor, action=action, obj=obj, before={"顺序": before}, after={"顺序": ordered_ids})


def problem_reorder(*, actor, ledger: Ledger, ordered_ids: list[int]) -> None:
    _reorder(
        actor,
        ledger=ledger,
        rows=Problem.objects.filter(ledger=ledger),
        ordered_ids=ordered_ids,
        model=Problem,
        action="problem.reorder",
        obj=ledger,
    )


def measure_reorder(*, actor, problem: Problem, ordered_ids: list[int]) -> None:
    _reorder(
        actor,
        ledger=problem.ledger,
        rows=Measure.objects.filter(problem=problem),
        ordered_ids=ordered_ids,
        model=Measure,
        action="measure.reorder",
        obj=problem,
    )


def moved(ids: list[int], pk: int, offset: int) -> list[int]:
    """`ids` with `pk` moved one place up (-1) or down (+1); unchanged at either end."""
    ids = list(ids)
    i = ids.index(pk)
    j = i + offset
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return ids


# --- measures -----------------------------------------------------------------------------


def measure_create(*, actor, problem: Problem, text: str, starts_on: dt.date, **fields) -> Measure:
    """Fields as in MEASURE_FIELDS; a measure under an approved problem is a change request instead."""
    _require_edit(actor, problem.ledger, "measure.create")
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    with transaction.atomic():
        ledger = _open_for_adding(actor, problem.ledger)
        locked_problem = _locked_problem(problem)
        if problem_is_locked(locked_problem):
            raise ValidationError("该问题已审核通过并锁定，新增措施请提交变更申请。", code="locked")
        measure = Measure(
            problem=locked_problem,
            unit_id=ledger.unit_id,
            campaign_id=ledger.campaign_id,
            text=(text or "").strip(),
            starts_on=starts_on,
            **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
        )
        _raise(_measure_errors(measure, ledger))
        measure.order = (locked_problem.measures.aggregate(m=Max("order"))["m"] or 0) + 1
        measure.search_bigrams = measure_bigrams(measure)
        measure.save()
        measure_refresh_light(measure=measure)
        audit_record(actor=actor, action="measure.create", obj=measure, after=measure_snapshot(measure))
    return measure


def _locked_measure(measure: Measure) -> Measure:
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related("problem", "responsible_unit", "responsible_person", "key_area", "campaign")
        .get(pk=measure.pk)
    )


def measure_update(*, actor, measure: Measure, version: int, data: dict) -> Measure:
    ledger = measure.problem.ledger
    _require_edit(actor, ledger, "measure.update")
    with transaction.atomic():
        ledger = _lock_ledger(ledger)
        _require_open(ledger)
        locked = _locked_measure(measure)
        _check_version(locked, version, measure_snapshot)
        if measure_is_locked(locked):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        before = measure_snapshot(locked)
        for name in MEASURE_FIELDS:
            if name in data:
                value = data[name]
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        _raise(_measure_errors(locked, ledger))
        locked.version += 1
        locked.search_bigrams = measure_bigrams(locked)
        locked.save()
        measure_refresh_light(measure=locked)
        audit_record(actor=actor, action="measure.update", obj=locked, before=before, after=measure_snapshot(locked))
    return locked


def measure_delete(*, actor, measure: Measure, version: int | None = None) -> None:
    _require_edit(actor, measure.problem.ledger, "measure.delete")
    with transaction.atomic():
        _require_open(_lock_ledger(measure.problem.ledger))
        locked = _locked_measure(measure)
        _check_version(locked, version, measure_snapshot)
        if measure_is_locked(locked):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        audit_record(actor=actor, action="measure.delete", obj=locked, before=measure_snapshot(locked))
        locked.delete()
        _renumber(Measure.objects.filter(problem_id=locked.problem_id), Measure)
