"""A plain report in GB/T 9704 body style (title in 小标宋, headings in 黑体, body in 仿宋 三号,
first-line indent of two characters), for reports that are prose and a few tables, e.g. the
inspection report of a round (supervision/services/report.py)."""

import io

from docx import Document
from docx.shared import Cm, Pt

from zuofeng.documents import fonts
from zuofeng.documents.fonts import BODY_FONT, HEADING_FONT, TITLE_FONT, add_paragraph

TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 12  # 二号, 三号, 小四


class Report:
    def __init__(self, title: str):
        self.document = Document()
        fonts.page_setup(self.document)
        fonts.set_default_font(self.document, size_pt=BODY_PT)
        heading = add_paragraph(self.document, title, TITLE_FONT, TITLE_PT, fonts.CENTER)
        heading.paragraph_format.space_after = Pt(BODY_PT)

    def heading(self, text: str) -> None:
        add_paragraph(self.document, text, HEADING_FONT, BODY_PT)

    def paragraph(self, text: str) -> None:
        paragraph = add_paragraph(self.document, text, BODY_FONT, BODY_PT, fonts.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)

    def table(self, header: list[str], rows: list[list], widths_cm: list[float] | None = None):
        """A grid with a header row; `widths_cm` fixes the columns (Word otherwise splits the page evenly)."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].text = ""
            fonts.set_run_font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_PT)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                fonts.set_run_font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, TABLE_PT)
        if widths_cm:
            table.autofit = False
            for column, width in zip(table.columns, widths_cm, strict=True):
                column.width = Cm(width)  # the grid, which LibreOffice and WPS follow
            for row in table.rows:  # each cell, which Word follows
                for cell, width in zip(row.cells, widths_cm, strict=True):
                    cell.width = Cm(width)
        return table

    def signature(self, issuer: str, date_text: str) -> None:
        add_paragraph(self.document, "", BODY_FONT, BODY_PT)
        add_paragraph(self.document, issuer, BODY_FONT, BODY_PT, fonts.RIGHT)
        add_paragraph(self.document, date_text, BODY_FONT, BODY_PT, fonts.RIGHT)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()
