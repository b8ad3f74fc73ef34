"""The office's files of a snapshot: the Excel sheet (one row per unit, every item, official order,
ready to print) and a Word results notice (plain official layout; GB/T 9704 comes with the document
renderer being built elsewhere)."""

import io

import xlsxwriter

from zuofeng.assessment.models import AssessmentRun, ItemStatus, UnitScore
from zuofeng.assessment.rubric import rubric_for, run_rubric
from zuofeng.core.cn import cn_date
from zuofeng.documents.fonts import (
    BODY_FONT,
    HEADING_FONT,
    TITLE_FONT,
)
from zuofeng.documents.official import OfficialDocument, Paragraph
from zuofeng.documents.official_docx import official_docx


def _scores(run: AssessmentRun) -> list[UnitScore]:
    # official unit order (公文排序), not rank order: the office reads the sheet against its unit list
    return list(
        UnitScore.objects.filter(run=run).select_related("unit").prefetch_related("items").order_by("unit__sort_key")
    )


def _points(item) -> str | float:
    if item.status == ItemStatus.SKIPPED:
        return "不计分"
    return "" if item.points is None else float(item.points)


def scores_xlsx(run: AssessmentRun) -> bytes:
    definition = run_rubric(run.rubric)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    title = book.add_format({"bold": True, "font_name": TITLE_FONT, "font_size": 18, "align": "center"})
    head = book.add_format(
        {
            "bold": True,
            "font_name": HEADING_FONT,
            "font_size": 10,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    cell = book.add_format({"font_name": BODY_FONT, "font_size": 10, "border": 1, "valign": "vcenter"})
    number = book.add_format({"font_name": BODY_FONT, "font_size": 10, "border": 1, "num_format": "0.00"})
    scores = _scores(run)
    for ranking in definition.rankings:
        rows = [s for s in scores if s.ranking == ranking.key]
        if not rows:
            continue
        rubric = rubric_for(definition, ranking.key)
        items = [(g, i) for g in rubric.groups for i in g.items]
        headers = ["序号", "单位", *(f"{g.name}\n{i.name}" for g, i in items), "计算得分", "得分", "名次", "等次"]
        sheet = book.add_worksheet(ranking.name[:31])
        last = len(headers) - 1
        sheet.merge_range(
            0, 0, 0, last, f"{run.campaign.title}年终考核得分（{ranking.name}，截至{cn_date(run.cutoff)}）", title
        )
        sheet.set_row(0, 36)
        sheet.set_row(1, 90)
        sheet.write_row(1, 0, headers, head)
        sheet.set_column(0, 0, 5)
        sheet.set_column(1, 1, 24)
        sheet.set_column(2, last, 9)
        for r, score in enumerate(rows, start=2):
            by_key = {i.key: i for i in score.items.all()}
            sheet.write_number(r, 0, r - 1, cell)
            sheet.write_string(r, 1, score.unit.name, cell)
            for c, (_, item) in enumerate(items, start=2):
                value = _points(by_key[item.key]) if item.key in by_key else ""
                if isinstance(value, float):
                    sheet.write_number(r, c, value, number)
                else:
                    sheet.write_string(r, c, value, cell)
            c = len(items) + 2
            sheet.write_number(r, c, float(score.computed_total), number)
            sheet.write_number(r, c + 1, float(score.total), number)
            sheet.write_string(r, c + 2, f"{score.rank}{'（并列）' if score.tied else ''}", cell)
            sheet.write_string(r, c + 3, score.grade, cell)
        sheet.freeze_panes(2, 2)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.repeat_rows(0, 1)
        sheet.fit_to_pages(1, 0)
        sheet.set_footer("&C第 &P 页，共 &N 页")
    book.close()
    return output.getvalue()


def results_document(run: AssessmentRun) -> OfficialDocument:
    """关于年终作风建设考核结果的通报 in the GB/T 9704 layout the notices use: by ranking, the units by
    grade, in rank order. No 发文字号: the office numbers it when it issues it as a notice."""
    definition = run_rubric(run.rubric)
    body = [
        Paragraph(
            level=0,
            text=(
                f"根据{run.campaign.title}的部署，按照“各地各部门活动开展情况将作为年终作风建设考核内容”的要求，"
                f"区作风办依据专项活动记录（截至{cn_date(run.cutoff)}）对各单位进行了考核。现将结果通报如下："
            ),
        )
    ]
    scores = sorted(_scores(run), key=lambda s: (s.rank, s.unit.sort_key))
    numerals = "一二三四五六七八九"
    shown = 0
    for ranking in definition.rankings:
        rows = [s for s in scores if s.ranking == ranking.key]
        if not rows:
            continue
        body.append(Paragraph(level=1, text=f"{numerals[shown]}、{ranking.name}"))
        shown += 1
        for grade in definition.grades:
            names = [s.unit.name for s in rows if s.grade == grade.name]
            if names:
                body.append(Paragraph(level=0, text=f"{grade.name}（{len(names)}个）：{'、'.join(names)}"))
    issuer = run.campaign.issuer or "区作风建设领导小组办公室"
    return OfficialDocument(
        issuer_mark=f"{issuer}文件",
        doc_number="",
        title=f"关于{run.campaign.year}年度作风建设考核结果的通报",
        addressees="各镇、开发区、街道，区级机关各部门：",
        body=body,
        signature=issuer,
        date=cn_date(run.published_at or run.finished_at),
    )


def results_docx(run: AssessmentRun) -> bytes:
    return official_docx(results_document(run))
