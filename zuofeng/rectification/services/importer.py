"""Importing a unit's list from the Excel template (template: services/ledger_template.py) or pasted rows.

One row per measure. The problem columns repeat on every row of the same problem, or are
left empty (merged cells read as empty) to mean "same problem as the row above".
Every row is checked before anything is written; one wrong cell means nothing is saved and
every problem is reported at once. Re-importing the same file adds nothing: problems are
matched by Problem.import_key, measures by their text within the problem.
The file is read by core.safe_xlsx (sizes, zip bombs, header row, sheet, synonyms); pasted
text by services/paste.py; both end in table_import, so the rules and messages are the same.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.imports import ErrorListing, ImportRefused, RowError, Table
from zuofeng.core.safe_xlsx import excel_read
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.models import Ledger, LedgerState, Measure, Problem
from zuofeng.rectification.services.ledger import (
    measure_date_errors,
    normal_text,
    problem_import_key,
    problem_is_locked,
)
from zuofeng.rectification.services.ledger_columns import COLUMNS, EXAMPLE_MARK, LIMITS, SHEET, SPEC
from zuofeng.rectification.services.search import measure_bigrams, problem_bigrams
from zuofeng.rectification.workflow import ledger_transition

__all__ = ["COLUMNS", "EXAMPLE_MARK", "SHEET", "ImportResult", "ledger_import", "parse_date", "table_import"]

TITLES = {attr: title for attr, title, _ in COLUMNS}
PROBLEM_ATTRS = ("category", "symptom", "benchmarks", "source", "source_detail", "description", "found_on")
LIMITS_TEXT = {"source_detail": 200, "responsible_leader": 100, "responsible": 100, "remark": 500}
SEPARATORS = re.compile(r"[,，;；\n]+")
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
YES, NO = {"是", "√", "yes", "y", "1", "true"}, {"否", "", "no", "n", "0", "false"}
ONGOING = "长期坚持"
DATE_FORMS = "请写成 2018-09-30 或 2018年9月30日"
DEADLINE_FORMS = f"请写成 2018-09-30、2018年9月30日 或 {ONGOING}"
SUBMITTED = "清单已提交，正在等待审核，审核期间不能导入。"


@dataclass
class ImportResult(ErrorListing):
    errors: list[RowError] = field(default_factory=list)
    problems_created: int = 0
    measures_created: int = 0
    skipped: int = 0
    sheet: str = ""  # the sheet read, named in every message about the file
    notes: str = ""  # the notes rows under the table that were set aside
    rows: list = field(default_factory=list)  # the checked rows, for a preview

    @property
    def sheet_label(self) -> str:
        return f"已读取工作表「{self.sheet}」" if self.sheet else ""

    def summary(self) -> str:
        text = (
            f"新增问题 {self.problems_created} 条、措施 {self.measures_created} 条；已存在未重复导入 {self.skipped} 条"
        )
        return "；".join(filter(None, [self.sheet_label, text, self.notes]))


def parse_date(value: Any) -> dt.date | None:
    """The forms officials type: 2018-09-30, 2018/9/30, 2018.9.30, 2018年9月30日, or a real Excel date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial day number, 1954–2119
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = str(value).strip()
    match = DATE_RE.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if not match:
        raise ValueError(f"“{text}”不是日期")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期") from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


class _Lookups:
    """The campaign's lists and the unit's people, loaded once per import."""

    def __init__(self, ledger: Ledger):
        campaign = ledger.campaign
        self.categories = _by_name(campaign.categories.filter(is_active=True))
        self.symptoms = _by_name(campaign.symptoms.filter(is_active=True).select_related("category"))
        self.benchmarks = _by_name(campaign.benchmarks.filter(is_active=True))
        self.sources = _by_name(campaign.sources.filter(is_active=True))
        self.key_areas = _by_name(campaign.key_areas.filter(is_active=True))
        units = Unit.objects.filter(path__startswith=ledger.unit.path, is_active=True)
        self.units = {}
        for unit in units:
            self.units.setdefault(unit.name, unit)
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.people: dict[tuple[int, str], Person] = {}
        for person in Person.objects.filter(unit__in=units, is_active=True):
            self.people.setdefault((person.unit_id, person.name), person)


def _by_name(queryset) -> dict[str, Any]:
    rows = {}
    for row in queryset:
        rows.setdefault(normal_text(row.key), row)
        rows[normal_text(row.name)] = row
    return rows


@dataclass
class _Row:
    number: int
    raw: dict[str, Any]
    problem: dict[str, Any] = field(default_factory=dict)
    measure: dict[str, Any] = field(default_factory=dict)


def _check_row(row: _Row, lookups: _Lookups, previous: _Row | None, ledger: Ledger) -> list[RowError]:
    errors: list[RowError] = []

    def err(attr: str, reason: str) -> None:
        errors.append(RowError(row.number, TITLES[attr], reason))

    text = {attr: _text(value) for attr, value in row.raw.items()}
    for attr, limit in LIMITS_TEXT.items():
        if len(text.get(attr, "")) > limit:
            err(attr, f"不能超过 {limit} 字")
    if not any(text.get(a) for a in PROBLEM_ATTRS):
        if previous is None:
            err("description", "第一条措施前须填写问题（类别、问题来源、问题描述）")
        else:
            row.problem = previous.problem
    else:
        _check_problem(row, text, lookups, err)
    _check_measure(row, text, lookups, err, ledger)
    return errors


def _lookup(table: dict, value: str, attr: str, label: str, err) -> Any:
    found = table.get(normal_text(value))
    if found is None:
        err(attr, f"未知{label}“{value}”")
    return found


def _benchmarks(value: str, table: dict, err) -> list:
    """Several benchmarks split by ；or ，— or by 、, which also occurs inside names, so join greedily."""
    found = []
    for piece in (p.strip() for p in SEPARATORS.split(value)):
        parts = [part for part in piece.split("、") if part.strip()]
        i = 0
        while i < len(parts):
            j = next((j for j in range(len(parts), i, -1) if normal_text("、".join(parts[i:j])) in table), None)
            if j is None:
                err("benchmarks", f"未知对照内容“{parts[i].strip()}”")
                i += 1
            else:
                found.append(table[normal_text("、".join(parts[i:j]))])
                i = j
    return found


def _check_problem(row: _Row, text: dict, lookups: _Lookups, err) -> None:
    p = row.problem
    p["category"] = _lookup(lookups.categories, text["category"], "category", "类别", err) if text["category"] else None
    if not text["category"]:
        err("category", "缺少类别")
    p["symptom"] = None
    if text.get("symptom"):
        p["symptom"] = _lookup(lookups.symptoms, text["symptom"], "symptom", "具体表现", err)
        category = p["category"]
        if p["symptom"] is not None and category is not None and p["symptom"].category_id != category.pk:
            err("symptom", f"“{p['symptom'].name}”不属于“{category.name}”")
    p["benchmarks"] = _benchmarks(text.get("benchmarks", ""), lookups.benchmarks, err)
    p["source"] = _lookup(lookups.sources, text["source"], "source", "问题来源", err) if text["source"] else None
    if not text["source"]:
        err("source", "缺少问题来源")
    p["source_detail"] = text.get("source_detail", "")
    p["description"] = text["description"]
    if not p["description"]:
        err("description", "缺少问题描述")
    try:
        p["found_on"] = parse_date(row.raw.get("found_on")) or clock.today()
    except ValueError as error:
        err("found_on", _date_reason(error, DATE_FORMS))


def _check_measure(row: _Row, text: dict, lookups: _Lookups, err, ledger: Ledger) -> None:
    m = row.measure
    m["text"] = text["text"]
    if not m["text"]:
        err("text", "缺少整改措施")
    m["standard"] = text.get("standard", "")
    m["responsible_leader"] = text.get("responsible_leader", "")
    m["remark"] = text.get("remark", "")
    dates = {}
    for attr in ("starts_on", "deadline"):
        if attr == "deadline" and normal_text(text.get(attr, "")) == ONGOING:
            dates[attr], m["is_ongoing"] = None, True
            continue
        try:
            dates[attr] = parse_date(row.raw.get(attr))
        except ValueError as error:
            dates[attr] = False  # reported here; not again as missing
            err(attr, _date_reason(error, DEADLINE_FORMS if attr == "deadline" else DATE_FORMS))
    flag = text.get("is_ongoing", "").lower()
    if flag not in YES | NO:
        err("is_ongoing", "应填“是”或“否”")
    m["is_ongoing"] = m.get("is_ongoing", False) or flag in YES
    m["starts_on"], m["deadline"] = dates["starts_on"], dates["deadline"]
    if dates["starts_on"] is not False and dates["deadline"] is not False:
        problems = measure_date_errors(starts_on=m["starts_on"], deadline=m["deadline"], is_ongoing=m["is_ongoing"])
        for attr, reason in problems.items():
            err(
                attr,
                reason.replace(
                    "请填写完成时限，或选择“长期坚持”", "缺少完成时限（长期坚持的措施在「长期坚持」填“是”）"
                ),
            )
    unit = None
    if text.get("responsible_unit"):
        unit = lookups.units.get(text["responsible_unit"])
        if unit is None:
            err("responsible_unit", f"“{text['responsible_unit']}”不是{ledger.unit.display_name}或其下属单位")
    m["responsible_unit"] = unit
    name = text.get("responsible", "")
    m["responsible_person"] = lookups.people.get(((unit or ledger.unit).pk, name)) if name else None
    m["responsible_name"] = "" if m["responsible_person"] else name
    m["key_area"] = (
        _lookup(lookups.key_areas, text["key_area"], "key_area", "攻坚重点", err) if text.get("key_area") else None
    )


def _date_reason(error: ValueError, forms: str) -> str:
    reason = str(error)
    return f"{reason}；{forms}" if reason.endswith("不是日期") else reason


def _key(problem: dict) -> str:
    probe = Problem(
        category=problem["category"],
        symptom=problem["symptom"],
        source=problem["source"],
        source_detail=problem["source_detail"],
        description=problem["description"],
    )
    return problem_import_key(probe)


def import_allowed(*, actor, ledger: Ledger) -> None:
    """The import's own check, shared by pasted rows: who may, and not while the list is under review."""
    if not may(actor, "ledger.edit", ledger):
        audit_record(actor=actor, action="ledger.import", obj=ledger, result=AuditResult.DENIED)
        raise PermissionDenied("您无权修改该单位的整改清单。")
    if ledger.state == LedgerState.SUBMITTED:
        raise ValidationError(SUBMITTED)


def ledger_import(*, actor, ledger: Ledger, uploaded) -> ImportResult:
    import_allowed(actor=actor, ledger=ledger)
    try:
        table = excel_read(uploaded, SPEC, LIMITS)
    except ImportRefused as refused:
        return ImportResult(errors=[RowError(1, "文件", refused.message)])
    if table is None:
        reason = f"没有找到「{SHEET}」工作表，其他工作表的前 20 行也没有整改清单的表头（{SPEC.expected()}）"
        return ImportResult(errors=[RowError(1, "工作表", reason)])
    return table_import(actor=actor, ledger=ledger, table=table, how="Excel")


def table_import(*, actor, ledger: Ledger, table: Table, how: str, save: bool = True) -> ImportResult:
    """Check every row of a read table; save them all in one transaction, or (save=False) only check."""
    import_allowed(actor=actor, ledger=ledger)
    result = ImportResult(sheet=table.sheet, notes=table.notes_summary())
    if table.errors:
        result.errors = table.errors
        return result
    rows = [_Row(number, raw) for number, raw in table.rows]
    if not rows:
        result.errors = [RowError(table.header_row + 1, "整改措施", "没有数据（示例行不会导入）")]
        return result
    lookups = _Lookups(ledger)
    previous, errors = None, []
    for row in rows:
        errors += _check_row(row, lookups, previous, ledger)
        previous = row if row.problem else previous
    result.rows, result.errors = rows, errors
    if errors or not save:
        return result
    try:
        saved = _save(actor=actor, ledger=ledger, rows=rows, how=how)
    except _Refused as refused:
        result.errors = refused.errors
        return result
    saved.sheet, saved.notes = result.sheet, result.notes
    return saved


class _Refused(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


@transaction.atomic
def _save(*, actor, ledger: Ledger, rows: list[_Row], how: str) -> ImportResult:
    locked = Ledger.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=ledger.pk)
    if locked.state == LedgerState.SUBMITTED:
        raise ValidationError(SUBMITTED)
    keys = {id(row): _key(row.problem) for row in rows}
    existing = {p.import_key: p for p in locked.problems.filter(import_key__in=set(keys.values()))}
    known_texts = {
        (m.problem_id, normal_text(m.text))
        for m in Measure.objects.filter(problem__in=existing.values()).only("problem_id", "text")
    }
    result, errors = ImportResult(), []
    new_problems: dict[str, Problem] = {}
    benchmarks: dict[str, list] = {}
    planned: list[tuple[str, _Row]] = []
    seen: set[tuple[str, str]] = set()
    order = locked.problems.aggregate(m=Max("order"))["m"] or 0
    for row in rows:
        key, text = keys[id(row)], normal_text(row.measure["text"])
        problem = existing.get(key)
        if (key, text) in seen or (problem is not None and (problem.pk, text) in known_texts):
            result.skipped += 1
            continue
        seen.add((key, text))
        if problem is not None and problem_is_locked(problem):
            errors.append(
                RowError(row.number, "整改措施", "该问题已审核通过并锁定，不能通过导入新增措施，请提交变更申请")
            )
            continue
        if problem is None and key not in new_problems:
            order += 1
            fields = {k: v for k, v in row.problem.items() if k != "benchmarks"}
            new_problems[key] = Problem(
                ledger=locked, unit_id=locked.unit_id, order=order, recorded_by=actor, import_key=key, **fields
            )
            new_problems[key].search_bigrams = problem_bigrams(new_problems[key])
            benchmarks[key] = row.problem["benchmarks"]
        planned.append((key, row))
    if errors:
        raise _Refused(errors)
    if planned and locked.state == LedgerState.APPROVED:
        locked = ledger_transition(actor=actor, ledger=locked, to=LedgerState.DRAFT, notify=False)
    Problem.objects.bulk_create(new_problems.values())
    Through = Problem.benchmarks.through
    Through.objects.bulk_create(
        [Through(problem_id=new_problems[k].pk, benchmark_id=b.pk) for k, bs in benchmarks.items() for b in set(bs)]
    )
    measures, next_order = [], {}
    for key, row in planned:
        problem = existing.get(key) or new_problems[key]
        if problem.pk not in next_order:
            next_order[problem.pk] = (problem.measures.aggregate(m=Max("order"))["m"] or 0) if key in existing else 0
        next_order[problem.pk] += 1
        measure = Measure(
            problem=problem,
            unit_id=locked.unit_id,
            campaign_id=locked.campaign_id,
            order=next_order[problem.pk],
            **row.measure,
        )
        measure.search_bigrams = measure_bigrams(measure)
        measures.append(measure)
    Measure.objects.bulk_create(measures, batch_size=1000)
    result.problems_created, result.measures_created = len(new_problems), len(measures)
    audit_record(
        actor=actor,
        action="ledger.import",
        obj=locked,
        after={"新增问题": result.problems_created, "新增措施": result.measures_created, "已存在": result.skipped},
        detail=f"{how}：{result.summary()}" if how != "Excel" else result.summary(),
    )
    return result
