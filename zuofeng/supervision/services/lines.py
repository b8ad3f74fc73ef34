"""条线关系: kept by the office or the system administrator (added one by one or pasted as code rows, like
the tree's import: every row checked, nothing saved unless all are good); 催办 by the department."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.accounts.selectors import users_editing
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
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
    units = {u.code: u for u in Unit.objects.filter(code__in={c for p in parsed for c in p[:2]})}
    existing = set(LineLink.objects.values_list("department__code", "unit__code"))
    errors, links, seen = [], [], set()
    for number, cells in enumerate(parsed, start=1):
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
        raise ValidationError({"text": errors[:200]})
    with transaction.atomic():
        LineLink.objects.bulk_create(links)
        audit_record(actor=actor, action="line.import", detail=f"导入 {len(links)} 条条线关系")
    return len(links)


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
