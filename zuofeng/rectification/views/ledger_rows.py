"""The rows of the unit's list table drawn by string formatting, not by a template per row.

A list page draws ~150 rows. As `{% include %}` templates they were two thirds of the page's time
(~270 includes, ~1,150 `{% if %}` and 18,000 variable lookups a page); here a row is one format
string filled with values escaped once. The HTML is the same as the templates drew (ids, classes,
hx-* attributes, data-testid); tests/rectification/test_ledger_rows.py pins it. The table around
the rows, and the entry forms, stay templates (rectification/ledger/_table.html).

Links are built from the list's own URL, reversed once a page, so they must follow urls/ledger.py
(the test above compares every link with reverse()).
"""

from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from zuofeng.core.cn import cn_date
from zuofeng.rectification.models import ItemReview, MeasureState
from zuofeng.rectification.selectors.ledger_rows import MeasureLine, ProblemLine

LOCK = '<i class="bi bi-lock-fill text-secondary" title="已审核通过，已锁定" aria-label="已锁定"></i>'
LOCKED_ACTIONS = '<i class="bi bi-lock-fill text-secondary" title="已审核通过，已锁定"></i>\n'
RETURNED = '<span class="badge text-bg-danger">已退回</span> <span class="text-danger">{}</span>\n'
SYMPTOM = '<span class="badge text-bg-light border">{}</span>\n'
MARKS = '<div class="small text-muted">对照内容：{}</div>\n'
KEY_AREA = '<div><span class="badge text-bg-light border">攻坚重点：{}</span></div>\n'
REMARK = '<div class="small text-muted">备注：{}</div>\n'
CLICK = (
    ' hx-get="{url}" hx-trigger="click" data-click-ignore="button,a,form" hx-target="this"'
    ' hx-swap="outerHTML" title="点击修改"'
)
BUTTONS = (
    '<button type="button" class="btn btn-sm btn-link" title="上移" hx-post="{base}move/up/">'
    '<i class="bi bi-arrow-up"></i></button>\n'
    '<button type="button" class="btn btn-sm btn-link" title="下移" hx-post="{base}move/down/">'
    '<i class="bi bi-arrow-down"></i></button>\n'
    '<button type="button" class="btn btn-sm btn-link" title="修改" hx-get="{base}edit/" hx-target="#{row}"'
    ' hx-swap="outerHTML"><i class="bi bi-pencil"></i></button>\n'
    '<button type="button" class="btn btn-sm btn-link text-danger" title="删除" hx-post="{base}delete/"'
    """ hx-vals='{{"version": "{version}"}}' hx-confirm="{confirm}"><i class="bi bi-trash"></i></button>"""
)
PROBLEM_ROW = (
    '<tr id="problem-row-{pk}" class="zf-problem" data-problem="{pk}"{click}>\n'
    '<th scope="row" class="text-center zf-order">{order}</th>\n'
    '<td colspan="7" class="zf-text">\n<div class="small mb-1">\n'
    '<span class="badge text-bg-secondary">{category}</span>\n{symptom}{origin}'
    '<span class="text-muted">问题来源：{source} · 查摆日期：{found_on}</span>\n{flags}</div>\n'
    '<div class="fw-semibold">{description}</div>\n{marks}</td>\n'
    '<td class="zf-actions">\n{actions}</td>\n</tr>\n'
)
MEASURE_ROW = (
    '<tr id="measure-row-{pk}" data-measure="{pk}"{click}>\n'
    '<td class="text-end text-muted small zf-order">{problem_order}.{order}</td>\n'
    '<td class="zf-text">{text}\n{extra}</td>\n'
    '<td class="zf-opt" data-label="整改标准">{standard}</td>\n'
    '<td class="zf-opt" data-label="责任领导">{leader}</td>\n'
    '<td data-label="责任单位／责任人">{responsible}</td>\n'
    '<td class="text-nowrap zf-short" data-label="开始日期">{starts_on}</td>\n'
    '<td class="text-nowrap zf-short" data-label="完成时限">{deadline}</td>\n'
    '<td class="zf-short zf-light-cell"><span class="zf-light zf-light-{light} text-nowrap" data-light="{light}">'
    '<i class="bi bi-circle-fill"></i> {light_label}</span>\n</td>\n'
    '<td class="zf-actions">\n{actions}</td>\n</tr>\n'
)
NO_MEASURES = (
    '<tr class="zf-note"><td class="zf-order"></td>'
    '<td colspan="8" class="text-danger small">该问题还没有整改措施。</td></tr>\n'
)
MEASURE_SLOT = (
    '<tr id="measure-slot-{pk}" class="zf-note"><td class="zf-order"></td><td colspan="8">\n'
    '<button type="button" class="btn btn-link btn-sm p-0" hx-get="{url}" hx-target="#measure-slot-{pk}"'
    ' hx-swap="outerHTML"><i class="bi bi-plus"></i> 添加措施</button>\n</td></tr>\n'
)


ORIGIN = '<span class="badge text-bg-warning" data-testid="problem-origin">{}</span>\n'


def _origin(problem: ProblemLine) -> str:
    """督查发现 / 群众提, with the office's 整改期限: the unit sees where the problem came from."""
    if not problem.origin:
        return ""
    deadline = f" · 整改期限 {cn_date(problem.origin_deadline)}" if problem.origin_deadline else ""
    return ORIGIN.format(escape(problem.origin) + deadline)


def linebreaksbr(text: str) -> str:
    """As the template filter `linebreaksbr` with autoescape on, without its lazy-string wrappers
    (Django's `escape` is html.escape behind them; ~800 calls a page)."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@dataclass
class Rows:
    """What every row of one list depends on besides its own values: who looks, and the list's URL."""

    ledger_pk: int
    unit_name: str  # the list's unit (display name): 责任单位 of measures that name none
    can_edit: bool
    editable: bool
    can_add: bool = False
    open_measure_for: int | None = None  # the problem whose new-measure form is open below its rows

    def __post_init__(self) -> None:
        self.base = reverse("rectification:ledger_detail", args=[self.ledger_pk])

    def problem(self, problem: ProblemLine) -> str:
        base = f"{self.base}problems/{problem.pk}/"
        open_ = self.editable and not problem.locked
        flags = ""
        if problem.locked:
            flags += LOCK + "\n"
        if problem.review == ItemReview.RETURNED:
            flags += RETURNED.format(escape(problem.review_comment))
        source = escape(problem.source)
        if problem.source_detail:
            source += f"（{escape(problem.source_detail)}）"
        marks = ""
        if problem.benchmarks:
            marks = MARKS.format("、".join(escape(name) for name in problem.benchmarks))
        if open_:
            actions = BUTTONS.format(base=base, row=f"problem-row-{problem.pk}", version=problem.version,
                                     confirm="确定删除这个问题及其全部整改措施吗？删除后不能恢复。") + "\n"  # fmt: skip
        else:
            actions = LOCKED_ACTIONS if problem.locked else ""
        return PROBLEM_ROW.format(
            pk=problem.pk,
            click=CLICK.format(url=f"{base}edit/") if open_ else "",
            order=problem.order,
            category=escape(problem.category),
            symptom=SYMPTOM.format(escape(problem.symptom)) if problem.symptom else "",
            origin=_origin(problem),
            source=source,
            found_on=cn_date(problem.found_on),
            flags=flags,
            description=linebreaksbr(problem.description),
            marks=marks,
            actions=actions,
        )

    def measure(self, measure: MeasureLine, problem: ProblemLine) -> str:
        base = f"{self.base}measures/{measure.pk}/"
        open_ = self.editable and not measure.locked
        extra = ""
        if measure.key_area:
            extra += KEY_AREA.format(escape(measure.key_area))
        if measure.remark:
            extra += REMARK.format(escape(measure.remark))
        responsible = escape(measure.unit or self.unit_name)
        if measure.person:
            responsible += f"／{escape(measure.person)}"
        if measure.locked:
            actions = LOCK + "\n"
            if self.can_edit:
                actions += f'<a class="small" href="/rectification/review/changes/new/{measure.pk}/">申请变更</a>\n'
            if measure.state != MeasureState.PLANNED:
                actions += f'<a class="small" href="/rectification/measures/{measure.pk}/">进展</a>\n'
        elif self.editable:
            actions = BUTTONS.format(base=base, row=f"measure-row-{measure.pk}", version=measure.version,
                                     confirm="确定删除这条整改措施吗？删除后不能恢复。") + "\n"  # fmt: skip
        else:
            actions = ""
        return MEASURE_ROW.format(
            pk=measure.pk,
            click=CLICK.format(url=f"{base}edit/") if open_ else "",
            problem_order=problem.order,
            order=measure.order,
            text=linebreaksbr(measure.text),
            extra=extra,
            standard=linebreaksbr(measure.standard),
            leader=escape(measure.leader),
            responsible=responsible,
            starts_on=cn_date(measure.starts_on),
            deadline=measure.deadline_label,
            light=escape(measure.light),
            light_label=measure.light_label,
            actions=actions,
        )

    def body(self, problem: ProblemLine) -> SafeString:
        """A problem's rows inside its <tbody>: the problem, its measures (or a note that it has none),
        and the 添加措施 button, unless the new-measure form is open there instead."""
        parts = [self.problem(problem)]
        parts.extend(self.measure(measure, problem) for measure in problem.measures)
        if not problem.measures:
            parts.append(NO_MEASURES)
        if self.can_add and not problem.locked and self.open_measure_for != problem.pk:
            parts.append(MEASURE_SLOT.format(pk=problem.pk, url=f"{self.base}problems/{problem.pk}/measures/new/"))
        return mark_safe("".join(parts))  # every value above is escaped
