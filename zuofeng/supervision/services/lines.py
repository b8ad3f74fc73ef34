"""条线关系: kept by the office or the system administrator (added one by one or pasted as code rows, like
the tree's import: every row checked, nothing saved unless all are good); 催办 by the department."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.imports import MAX_ERRORS_SHOWN, Column, ImportRefused, TableSpec, cell_text
from zuofeng.core.safe_xlsx import Limits, excel_read
from zuofeng.organisation.models import Unit
from zuofeng.reminders.models import ReminderKind
from zuofeng.reminders.services import reminder_send
from zuofeng.supervision.models import LineLink

MAX_ROWS = 2000


def _check(department, unit, line: str) -> dict:
    errors = {}
    if department is None:
        errors["department"] = "请选择条线主管部门。"
    if unit is None:
        errors["unit"] = "请选择条线基层单位。"
    elif department is not None and unit.pk == department.pk:
        errors["unit"] = "基层单位不能是主管部门本身。"
    if not (line or "").strip():
        errors["line"] = "请填写条线名称。"
    return errors


def line_link_add(*, actor, department, unit, line: str) -> LineLink:
    if not may(actor, "line.manage"):
        raise PermissionDenied("您无权维护条线关系。")
    errors = _check(department, unit, line)
    if not errors and LineLink.objects.filter(department=department, unit=unit).exists():
        errors["unit"] = "该条线关系已存在。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        link = LineLink.objects.create(department=department, unit=unit, line=line.strip())
        audit_record(actor=actor, action="line.add", obj=link, after={"部门": department.name, "单位": unit.name})
    return link


def line_link_edit(*, actor, link: LineLink, department, unit, line: str, version: int) -> LineLink:
    """Change a link's department, unit or line; refused if someone changed it since it was read."""
    if not may(actor, "line.manage"):
        raise PermissionDenied("您无权维护条线关系。")
    errors = _check(department, unit, line)
    if not errors and LineLink.objects.filter(department=department, unit=unit).exclude(pk=link.pk).exists():
        errors["unit"] = "该条线关系已存在。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = LineLink.objects.select_for_update().get(pk=link.pk)
        if locked.version != version:
            raise ValidationError("该条线关系已被他人修改，请刷新后再改。", code="stale")
        before = {"部门": locked.department.name, "单位": locked.unit.name, "条线": locked.line}
        locked.department, locked.unit, locked.line = department, unit, line.strip()
        locked.version += 1
        locked.save()
        after = {"部门": department.name, "单位": unit.name, "条线": locked.line}
        audit_record(actor=actor, action="line.edit", obj=locked, before=before, after=after)
    return locked


def line_link_remove(*, actor, link: LineLink) -> None:
    if not may(actor, "line.manage"):
        raise PermissionDenied("您无权维护条线关系。")
    with transaction.atomic():
        audit_record(actor=actor, action="line.remove", obj=link, before={"部门": link.department.name})
        link.delete()


def line_links_import(*, actor, text: str) -> int:
    """Rows of 部门编码, 单位编码, 条线 (comma, tab or 、 separated); returns how many links were added."""
    if not may(actor, "line.manage"):
        raise PermissionDenied("您无权维护条线关系。")
    rows = [r for r in (text or "").splitlines() if r.strip()]
    if not rows:
        raise ValidationError({"text": "请粘贴条线关系，每行：部门编码，单位编码，条线。"})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"text": f"一次最多导入 {MAX_ROWS} 行。"})
    parsed = [[c.strip() for c in r.replace("，", ",").replace("\t", ",").replace("、", ",").split(",")] for r in rows]
    return _links_save(actor=actor, rows=list(enumerate(parsed, start=1)), field="text", source="粘贴")


def _links_save(*, actor, rows: list[tuple[int, list[str]]], field: str, source: str) -> int:
    """Check every (row number, cells) row, then save all of them or none; errors name the row in Chinese."""
    units = {u.code: u for u in Unit.objects.filter(code__in={c for _, p in rows for c in p[:2]})}
    existing = set(LineLink.objects.values_list("department__code", "unit__code"))
    errors, links, seen = [], [], set()
    for number, cells in rows:
        if len(cells) != 3:
            errors.append(f"第 {number} 行：应有三列（部门编码，单位编码，条线）。")
            continue
        dept_code, unit_code, line = cells
        department, unit = units.get(dept_code), units.get(unit_code)
        missing = [code for code, found in ((dept_code, department), (unit_code, unit)) if found is None]
        problems = {"code": f"没有编码为“{'、'.join(missing)}”的单位。"} if missing else _check(department, unit, line)
        if not problems and ((dept_code, unit_code) in existing or (dept_code, unit_code) in seen):
            problems["dup"] = "该条线关系已存在。"
        if problems:
            errors.append(f"第 {number} 行：{'；'.join(problems.values())}")
            continue
        seen.add((dept_code, unit_code))
        links.append(LineLink(department=department, unit=unit, line=line))
    if errors:
        raise ValidationError({field: errors[:MAX_ERRORS_SHOWN]})
    with transaction.atomic():
        LineLink.objects.bulk_create(links)
        audit_record(actor=actor, action="line.import", detail=f"{source}导入 {len(links)} 条条线关系")
    return len(links)


LINE_SPEC = TableSpec(
    sheet="条线关系",
    columns=(
        Column("department", "部门编码", True, ("主管部门编码", "条线主管部门编码", "部门代码")),
        Column("unit", "单位编码", True, ("基层单位编码", "条线基层单位编码", "单位代码")),
        Column("line", "条线", True, ("条线名称",)),
    ),
)


def line_links_import_xlsx(*, actor, file) -> int:
    """The same rows from an Excel sheet (部门编码、单位编码、条线), read by core.safe_xlsx; row numbers are
    the sheet's, so the sender finds each error where it is."""
    if not may(actor, "line.manage"):
        raise PermissionDenied("您无权维护条线关系。")
    try:
        table = excel_read(file, LINE_SPEC, Limits(max_rows=MAX_ROWS))
    except ImportRefused as refused:
        raise ValidationError({"file": refused.message}) from None
    if table is None:
        raise ValidationError({"file": f"没有找到条线关系表；表头应为：{LINE_SPEC.expected()}。"})
    if table.errors:
        raise ValidationError({"file": [str(e) for e in table.errors[:MAX_ERRORS_SHOWN]]})
    if not table.rows:
        raise ValidationError({"file": "表中没有条线关系。"})
    rows = [(n, [cell_text(v.get(k)) for k in ("department", "unit", "line")]) for n, v in table.rows]
    return _links_save(actor=actor, rows=rows, field="file", source="Excel ")


def line_remind(*, actor, unit, text: str = "") -> int:
    """催办 from the line department: one reminder per clerk/leader of the unit, once a day."""
    if not may(actor, "line.remind", unit):
        raise PermissionDenied("只能催办本条线的基层单位。")
    sent = reminder_send(
        recipients=users_editing(unit=unit),
        kind=ReminderKind.MANUAL,
        title=f"条线主管部门催办：请抓紧推进{unit.name}整改工作",
        body=(text or "").strip(),
        link="/rectification/ledgers/",
        unit=unit,
        sender=actor,
        dedupe_key=f"line-remind:{actor.pk}:{unit.pk}:{clock.today()}",
    )
    audit_record(actor=actor, action="line.remind", obj=unit, detail=f"{len(sent)} 条提醒")
    return len(sent)
