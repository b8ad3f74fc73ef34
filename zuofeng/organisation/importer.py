"""Importing units and people from the Excel template (模板见 import_template.py, columns in import_columns.py).

All rows are read and checked before anything is written; one wrong row means nothing is
saved, and every problem is reported at once so the sender can fix the file in one pass.
Re-importing the same file changes nothing: units are matched by 单位编码, people by
所在单位编码 + 姓名 + 联系电话. The file is read by core.safe_xlsx (sizes, zip bombs, header
row under titles, synonyms); the template's example rows are skipped and counted.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core.imports import ErrorListing, ImportRefused, RowError, cell_text
from zuofeng.core.safe_xlsx import table_read, workbook_open
from zuofeng.organisation.import_columns import (
    LIMITS,
    NOTES_SHEET,
    PERSON_COLUMNS,
    PERSON_SHEET,
    PERSON_SPEC,
    UNIT_COLUMNS,
    UNIT_SHEET,
    UNIT_SPEC,
)
from zuofeng.organisation.models import Gender, Person, Unit, UnitFunction, UnitKind
from zuofeng.organisation.services import person_save, phone_check, phone_normalise, unit_save

__all__ = ["NOTES_SHEET", "PERSON_COLUMNS", "UNIT_COLUMNS", "ImportResult", "organisation_import"]

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KIND_BY_TEXT = {**{label: value for value, label in UnitKind.choices}, **{v: v for v in UnitKind.values}}
FUNCTION_BY_TEXT = {label: value for value, label in UnitFunction.choices}
GENDER_BY_TEXT = {"男": Gender.MALE, "女": Gender.FEMALE, **{v: v for v in Gender.values}}
SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass
class ImportResult(ErrorListing):
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)  # the sheets read, named in every message
    skipped: list[str] = field(default_factory=list)  # example and notes rows set aside

    @property
    def sheet_label(self) -> str:
        return "已读取工作表" + "".join(f"「{s}」" for s in self.sheets) if self.sheets else ""

    def summary(self) -> str:
        parts = []
        for label, key in ((UNIT_SHEET, "units"), (PERSON_SHEET, "people")):
            c = self.counts.get(key)
            if c and any(c.values()):
                parts.append(f"{label}：新增 {c['created']}、更新 {c['updated']}、未变 {c['unchanged']}")
        return "；".join(filter(None, [self.sheet_label, *parts, *self.skipped]))


class _Rollback(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)


def read_workbook(uploaded) -> tuple[dict[str, list[_Row]], ImportResult]:
    """Rows of the 单位 and 人员 sheets as dicts keyed by attribute; the result carries header problems."""
    result = ImportResult()
    sheets: dict[str, list[_Row]] = {}
    try:
        book = workbook_open(uploaded, LIMITS)
    except ImportRefused as refused:
        result.errors.append(RowError(1, "文件", refused.message, sheet="文件"))
        return sheets, result
    try:
        for label, spec in ((UNIT_SHEET, UNIT_SPEC), (PERSON_SHEET, PERSON_SPEC)):
            table = table_read(book, spec, LIMITS)
            if table is None:
                continue
            result.sheets.append(table.sheet)
            result.errors += [_labelled(e, label) for e in table.errors]
            if table.examples:
                result.skipped.append(f"{label}表跳过模板示例行 {table.examples} 行")
            if table.notes_rows:
                result.skipped.append(f"{label}表{table.notes_summary()}")
            sheets[label] = [_Row(n, {attr: cell_text(v) for attr, v in raw.items()}) for n, raw in table.rows]
    except ImportRefused as refused:
        result.errors.append(RowError(1, "文件", refused.message, sheet="文件"))
    except Exception:  # malformed XML inside a sheet surfaces while reading
        from zuofeng.core.safe_xlsx import NOT_EXCEL

        result.errors.append(RowError(1, "文件", NOT_EXCEL, sheet="文件"))
    finally:
        book.close()
    if not sheets and not result.errors:
        reason = f"文件中没有「{UNIT_SHEET}」或「{PERSON_SHEET}」工作表，也没有哪张表的表头像这两张表"
        result.errors.append(RowError(1, "工作表", reason, sheet="文件"))
    return sheets, result


def _labelled(error: RowError, label: str) -> RowError:
    """Errors carry the template's sheet name, so the row checks below stay keyed by 单位 / 人员."""
    error.sheet = error.sheet if error.sheet == label else f"{label}（{error.sheet}）"
    return error


def _order(row: _Row, sheet: str, title: str) -> None:
    text = row.values.get("order", "")
    if not text:
        row.values["order"] = None
    elif text.isdigit():
        row.values["order"] = int(text)
    else:
        row.errors.append(RowError(row.number, title, f"「{text}」应为不小于 0 的整数", sheet=sheet))


def _check_units(rows: list[_Row], db_parents: dict[str, str | None]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        err = row.errors

        def add(title: str, reason: str, row=row, err=err) -> None:
            err.append(RowError(row.number, title, reason, sheet=UNIT_SHEET))

        code = v.get("code", "")
        if not code:
            add("单位编码", "不能为空")
        elif not CODE_RE.match(code):
            add("单位编码", f"「{code}」只能由字母、数字、“-”、“_”组成，最长 32 位")
        elif code in seen:
            add("单位编码", f"「{code}」与第 {seen[code]} 行重复")
        else:
            seen[code] = row.number
        if not v.get("name"):
            add("单位全称", "不能为空")
        elif len(v["name"]) > 100:
            add("单位全称", "不能超过 100 个字")
        if len(v.get("short_name", "")) > 50:
            add("简称", "不能超过 50 个字")
        kind = v.get("kind", "")
        if not kind:
            add("类型", "不能为空")
        elif kind not in KIND_BY_TEXT:
            add("类型", f"「{kind}」无法识别，应为：{'、'.join(UnitKind.labels)}")
        else:
            v["kind"] = KIND_BY_TEXT[kind]
        functions = []
        for word in filter(None, SEPARATORS.split(v.get("functions", ""))):
            if word not in FUNCTION_BY_TEXT:
                add("职能", f"「{word}」无法识别，应为：{'、'.join(UnitFunction.labels)}")
            elif FUNCTION_BY_TEXT[word] not in functions:
                functions.append(FUNCTION_BY_TEXT[word])
        v["functions"] = [f for f in UnitFunction.values if f in functions]
        _order(row, UNIT_SHEET, "同级排序")
    file_codes = set(seen)
    for row in rows:
        parent = row.values.get("parent", "")
        if parent and parent == row.values.get("code"):
            row.errors.append(RowError(row.number, "上级单位编码", "不能是本单位", sheet=UNIT_SHEET))
        elif parent and parent not in file_codes and parent not in db_parents:
            row.errors.append(
                RowError(row.number, "上级单位编码", f"「{parent}」在文件和系统中都不存在", sheet=UNIT_SHEET)
            )
    _check_cycles(rows, db_parents)


def _effective_parents(rows: list[_Row], db_parents: dict[str, str | None]) -> dict[str, str | None]:
    parents = dict(db_parents)
    for row in rows:
        if row.values.get("code"):
            parents[row.values["code"]] = row.values.get("parent") or None
    return parents


def _check_cycles(rows: list[_Row], db_parents: dict[str, str | None]) -> None:
    parents = _effective_parents(rows, db_parents)
    for row in rows:
        code = row.values.get("code")
        if not code or row.errors:
            continue
        chain = [code]
        current = parents.get(code)
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        if current is not None:
            loop = " → ".join([*chain[chain.index(current) :], current])
            row.errors.append(RowError(row.number, "上级单位编码", f"上下级关系形成循环：{loop}", sheet=UNIT_SHEET))


def _check_people(rows: list[_Row], unit_codes: set[str]) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        err = row.errors

        def add(title: str, reason: str, row=row, err=err) -> None:
            err.append(RowError(row.number, title, reason, sheet=PERSON_SHEET))

        unit = v.get("unit", "")
        if not unit:
            add("所在单位编码", "不能为空")
        elif unit not in unit_codes:
            add("所在单位编码", f"「{unit}」在文件和系统中都不存在")
        if not v.get("name"):
            add("姓名", "不能为空")
        elif len(v["name"]) > 50:
            add("姓名", "不能超过 50 个字")
        gender = v.get("gender", "")
        if gender and gender not in GENDER_BY_TEXT:
            add("性别", f"「{gender}」应为“男”或“女”")
        v["gender"] = GENDER_BY_TEXT.get(gender, Gender.UNSPECIFIED)
        if len(v.get("position", "")) > 100:
            add("职务", "不能超过 100 个字")
        v["phone"] = phone_normalise(v.get("phone", ""))
        reason = phone_check(v["phone"])
        if reason:
            add("联系电话", f"「{v['phone']}」{reason}")
        if v.get("email"):
            try:
                validate_email(v["email"])
            except ValidationError:
                add("电子邮箱", f"「{v['email']}」不是有效的电子邮箱地址")
        _order(row, PERSON_SHEET, "排序")
        key = (unit, v.get("name"), v["phone"])
        if v.get("name") and key in seen:
            add("姓名", f"与第 {seen[key]} 行是同一人（所在单位编码、姓名、联系电话都相同）")
        else:
            seen[key] = row.number


def _depth(code: str, parents: dict[str, str | None]) -> int:
    depth = 0
    while (code := parents.get(code)) is not None:
        depth += 1
    return depth


def _apply_units(actor, rows: list[_Row], db_parents) -> tuple[dict[str, int], dict[str, Unit]]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    parents = _effective_parents(rows, db_parents)
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r.values["code"] for r in rows])}
    resolved: dict[str, Unit] = {}
    position: dict[str | None, int] = {}
    for row in rows:  # a blank 同级排序 means "in file order among its siblings"
        key = row.values.get("parent") or None
        position[key] = position.get(key, 0) + 1
        row.values["_position"] = position[key]
    for row in sorted(rows, key=lambda r: _depth(r.values["code"], parents)):
        v = row.values
        parent_code = v.get("parent") or None
        parent = None
        if parent_code:
            # fetched fresh: moving an ancestor earlier in this loop rewrote its path
            parent = resolved.get(parent_code) or Unit.objects.get(code=parent_code)
        unit = existing.get(v["code"])
        wanted = {
            "name": v["name"],
            "short_name": v.get("short_name", ""),
            "kind": v["kind"],
            "functions": v["functions"],
            "order": v["order"] if v["order"] is not None else (unit.order if unit else v["_position"]),
        }
        same_parent = unit is not None and unit.parent_id == getattr(parent, "pk", None)
        if same_parent and all(getattr(unit, k) == w for k, w in wanted.items()):
            counts["unchanged"] += 1
            resolved[v["code"]] = unit
            continue
        counts["updated" if unit else "created"] += 1
        unit = unit or Unit(code=v["code"])
        for name, value in wanted.items():
            setattr(unit, name, value)
        unit.parent = parent
        resolved[v["code"]] = _save(row, UNIT_SHEET, lambda u=unit: unit_save(actor=actor, unit=u, audit=False))
    return counts, resolved


def _apply_people(actor, rows: list[_Row], units: dict[str, Unit]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    missing = {r.values["unit"] for r in rows} - set(units)
    units = {**units, **{u.code: u for u in Unit.objects.filter(code__in=missing)}}
    existing = {(p.unit_id, p.name, p.phone): p for p in Person.objects.filter(unit__in=[u.pk for u in units.values()])}
    position: dict[str, int] = {}
    for row in rows:
        v = row.values
        unit = units[v["unit"]]
        position[v["unit"]] = position.get(v["unit"], 0) + 1
        person = existing.get((unit.pk, v["name"], v["phone"]))
        wanted = {
            "gender": v["gender"],
            "position": v.get("position", ""),
            "email": v.get("email", ""),
            "order": v["order"] if v["order"] is not None else (person.order if person else position[v["unit"]]),
        }
        if person is not None and all(getattr(person, k) == w for k, w in wanted.items()):
            counts["unchanged"] += 1
            continue
        counts["updated" if person else "created"] += 1
        person = person or Person(unit=unit, name=v["name"], phone=v["phone"])
        for name, value in wanted.items():
            setattr(person, name, value)
        _save(row, PERSON_SHEET, lambda p=person: person_save(actor=actor, person=p, audit=False))
    return counts


def _save(row: _Row, sheet: str, save):
    try:
        return save()
    except ValidationError as error:
        # Checks above should catch everything; this keeps a model rule we missed from half-saving.
        raise _Rollback([RowError(row.number, "整行", "；".join(error.messages), sheet=sheet)])


def organisation_import(*, actor, uploaded) -> ImportResult:
    """Validate every row of the workbook, then save all of it in one transaction, or nothing."""
    if not may(actor, "organisation.manage"):
        audit_record(actor=actor, action="organisation.import", result=AuditResult.DENIED)
        raise PermissionDenied
    sheets, read = read_workbook(uploaded)
    if read.errors:  # without the right columns the row checks would only add noise
        return read
    unit_rows = sheets.get(UNIT_SHEET, [])
    person_rows = sheets.get(PERSON_SHEET, [])
    if not unit_rows and not person_rows:
        read.errors.append(RowError(2, "整行", "没有数据（模板示例行不会导入）", sheet="、".join(read.sheets)))
        return read
    db_parents = dict(Unit.objects.values_list("code", "parent__code"))
    _check_units(unit_rows, db_parents)
    valid_codes = {r.values["code"] for r in unit_rows if r.values.get("code")}
    _check_people(person_rows, valid_codes | set(db_parents))
    errors = [e for row in unit_rows + person_rows for e in row.errors]
    if errors:
        read.errors = errors
        return read
    try:
        with transaction.atomic():
            unit_counts, units = _apply_units(actor, unit_rows, db_parents)
            result = ImportResult(counts={"units": unit_counts}, sheets=read.sheets, skipped=read.skipped)
            result.counts["people"] = _apply_people(actor, person_rows, units)
            audit_record(
                actor=actor,
                action="organisation.import",
                after=result.counts,
                detail=f"{getattr(uploaded, 'name', '')}：{result.summary()}",
            )
    except _Rollback as rollback:
        read.errors = rollback.errors
        return read
    return result
