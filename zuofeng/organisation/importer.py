"""Importing units and people from the Excel template (模板见 import_template.py).

All rows are read and checked before anything is written; one wrong row means nothing is
saved, and every problem is reported at once so the sender can fix the file in one pass.
Re-importing the same file changes nothing: units are matched by 单位编码, people by
所在单位编码 + 姓名 + 联系电话.
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
from zuofeng.core.imports import RowError
from zuofeng.organisation.models import Gender, Person, Unit, UnitFunction, UnitKind
from zuofeng.organisation.services import person_save, phone_check, phone_normalise, unit_save

UNIT_SHEET = "单位"
PERSON_SHEET = "人员"
NOTES_SHEET = "填写说明"

# (attribute, column title, required)
UNIT_COLUMNS = [
    ("code", "单位编码", True),
    ("name", "单位全称", True),
    ("short_name", "简称", False),
    ("kind", "类型", True),
    ("parent", "上级单位编码", False),
    ("order", "同级排序", False),
    ("functions", "职能", False),
]
PERSON_COLUMNS = [
    ("unit", "所在单位编码", True),
    ("name", "姓名", True),
    ("gender", "性别", False),
    ("position", "职务", False),
    ("phone", "联系电话", False),
    ("email", "电子邮箱", False),
    ("order", "排序", False),
]
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KIND_BY_TEXT = {**{label: value for value, label in UnitKind.choices}, **{v: v for v in UnitKind.values}}
FUNCTION_BY_TEXT = {label: value for value, label in UnitFunction.choices}
GENDER_BY_TEXT = {"男": Gender.MALE, "女": Gender.FEMALE, **{v: v for v in Gender.values}}
SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = []
        for label, key in ((UNIT_SHEET, "units"), (PERSON_SHEET, "people")):
            c = self.counts.get(key)
            if c and any(c.values()):
                parts.append(f"{label}：新增 {c['created']}、更新 {c['updated']}、未变 {c['unchanged']}")
        return "；".join(parts) or "文件中没有数据"


class _Rollback(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    # Excel keeps 13900001234 and 101 as numbers; read them back the way they were typed.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(text: str) -> str:
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", text)


def read_workbook(uploaded) -> tuple[dict[str, list[_Row]], list[RowError]]:
    """Rows of the 单位 and 人员 sheets as dicts keyed by attribute, plus header problems."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a non-xlsx file
        return {}, [RowError(1, "文件", "不是有效的 Excel 文件，请使用下载的模板（.xlsx）", sheet="文件")]
    sheets: dict[str, list[_Row]] = {}
    errors: list[RowError] = []
    try:
        for sheet_name, columns in ((UNIT_SHEET, UNIT_COLUMNS), (PERSON_SHEET, PERSON_COLUMNS)):
            if sheet_name not in book.sheetnames:
                continue
            rows = book[sheet_name].iter_rows(values_only=True)
            header = [_header_key(_cell_text(v)) for v in next(rows, ())]
            positions = {}
            for attr, title, required in columns:
                if title in header:
                    positions[attr] = header.index(title)
                elif required:
                    errors.append(RowError(1, title, "缺少此列，请使用下载的模板", sheet=sheet_name))
            parsed = []
            for number, raw in enumerate(rows, start=2):
                values = {attr: _cell_text(raw[i]) if i < len(raw) else "" for attr, i in positions.items()}
                if any(values.values()):
                    parsed.append(_Row(number, values))
            sheets[sheet_name] = parsed
    finally:
        book.close()
    if not sheets and not errors:
        errors.append(RowError(1, "工作表", f"文件中没有「{UNIT_SHEET}」或「{PERSON_SHEET}」工作表", sheet="文件"))
    return sheets, errors


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
    sheets, errors = read_workbook(uploaded)
    if errors:  # without the right columns the row checks would only add noise
        return ImportResult(errors=errors)
    unit_rows = sheets.get(UNIT_SHEET, [])
    person_rows = sheets.get(PERSON_SHEET, [])
    db_parents = dict(Unit.objects.values_list("code", "parent__code"))
    _check_units(unit_rows, db_parents)
    valid_codes = {r.values["code"] for r in unit_rows if r.values.get("code")}
    _check_people(person_rows, valid_codes | set(db_parents))
    errors = [e for row in unit_rows + person_rows for e in row.errors]
    if errors:
        return ImportResult(errors=errors)
    try:
        with transaction.atomic():
            unit_counts, units = _apply_units(actor, unit_rows, db_parents)
            result = ImportResult(counts={"units": unit_counts})
            result.counts["people"] = _apply_people(actor, person_rows, units)
            audit_record(
                actor=actor,
                action="organisation.import",
                after=result.counts,
                detail=f"{getattr(uploaded, 'name', '')}：{result.summary()}",
            )
    except _Rollback as rollback:
        return ImportResult(errors=rollback.errors)
    return result
