"""突破攻坚 exports: the Excel list (one row per project, official unit order) and a Word summary per
key area (python-docx with the shared fonts and page set-up of zuofeng/documents)."""

import io

import xlsxwriter
from docx import Document

from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.documents.fonts import (
    BODY_FONT,
    CENTER,
    HEADING_FONT,
    RIGHT,
    TITLE_FONT,
    add_paragraph,
    page_setup,
    set_default_font,
)
from zuofeng.organisation.selectors import units_qualify
from zuofeng.projects.lights import target_share
from zuofeng.projects.numbers import number_text
from zuofeng.rectification.models import Light

HEADERS = (
    "序号",
    "单位",
    "攻坚重点",
    "项目名称",
    "项目目标",
    "目标指标（基数→当前→目标）",
    "牵头领导",
    "牵头科室",
    "开始日期",
    "完成时限",
    "状态",
    "总体进度（%）",
    "亮灯",
    "逾期节点数",
)
WIDTHS = (6, 28, 10, 30, 40, 46, 10, 16, 12, 12, 8, 10, 8, 10)
LIGHT_LABELS = dict(Light.choices) | {Light.CLOSED: "已完成"}


def targets_text(targets) -> str:
    """Each target the right way round: 企业开办时间 3→2→1 个工作日（越低越好）."""
    lines = []
    for t in targets:
        share = target_share(baseline=t.baseline, target=t.target, current=t.current)
        done = "" if share is None else f"，完成 {share}%"
        lines.append(
            f"{t.name} {number_text(t.baseline)}→{number_text(t.current)}→{number_text(t.target)} {t.measure_unit}"
            f"（{t.get_direction_display()}{done}）"
        )
    return "\n".join(lines)


def projects_xlsx(projects, *, overdue: dict[int, int]) -> bytes:
    """`projects` in official order with targets prefetched; `overdue` maps project id → overdue milestones."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("攻坚项目")
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    sheet.write_row(0, 0, HEADERS, head)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    rows = list(projects)
    units_qualify([p.unit for p in rows])
    for i, p in enumerate(rows, start=1):
        sheet.write_row(
            i,
            0,
            (
                i,
                p.unit.qualified_name,
                p.key_area.name,
                p.title,
                p.goal,
                targets_text(p.targets.all()),
                p.lead_leader.name if p.lead_leader_id else "",
                p.lead_section.display_name if p.lead_section_id else "",
                p.starts_on.isoformat(),
                p.deadline.isoformat(),
                p.get_state_display(),
                p.percent,
                LIGHT_LABELS.get(p.light, ""),
                overdue.get(p.pk, 0),
            ),
            cell,
        )
    book.close()
    return out.getvalue()


def area_summary_docx(*, campaign, area, projects) -> bytes:
    """工作小结 of one key area: every project of the area, its targets and progress."""
    document = Document()
    page_setup(document)
    set_default_font(document)
    add_paragraph(document, f"“{area.name}”攻坚项目推进情况", TITLE_FONT, 22, CENTER)
    add_paragraph(document, "", BODY_FONT, 16)
    rows = list(projects)
    units_qualify([p.unit for p in rows])
    approved = sum(1 for p in rows if p.state == "approved")
    red = sum(1 for p in rows if p.light == Light.RED)
    add_paragraph(
        document,
        f"　　截至{cn_date(clock.today())}，全区共登记“{area.name}”攻坚项目 {len(rows)} 个，"
        f"其中计划已审核通过 {approved} 个，亮红灯 {red} 个。各项目进展如下：",
        BODY_FONT,
        16,
    )
    for i, p in enumerate(rows, start=1):
        add_paragraph(document, f"{i}. {p.title}（{p.unit.qualified_name}）", HEADING_FONT, 16)
        add_paragraph(document, f"　　目标：{p.goal}", BODY_FONT, 16)
        for line in targets_text(p.targets.all()).splitlines():
            add_paragraph(document, f"　　指标：{line}", BODY_FONT, 16)
        add_paragraph(
            document,
            f"　　实施时间 {cn_date(p.starts_on)}至{cn_date(p.deadline)}；状态：{p.get_state_display()}；"
            f"总体进度 {p.percent}%；{LIGHT_LABELS.get(p.light, '')}。",
            BODY_FONT,
            16,
        )
    add_paragraph(document, "", BODY_FONT, 16)
    add_paragraph(document, campaign.issuer, BODY_FONT, 16, RIGHT)
    add_paragraph(document, cn_date(clock.today()), BODY_FONT, 16, RIGHT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
