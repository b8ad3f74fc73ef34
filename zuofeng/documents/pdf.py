"""Nomination forms as PDF (WeasyPrint), from an HTML template with the Word file's layout.

WeasyPrint embeds subsets of the fonts it uses, so the PDF prints the same everywhere. The font
names are those of the Word file; fontconfig/fonts.conf maps them to Noto CJK SC.
"""

import logging
from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string

from zuofeng.documents import fonts
from zuofeng.documents.fit import COLUMN_WIDTHS_MM, LINE_MM, Fit, form_fit
from zuofeng.documents.inputs import FormInputs, nomination_inputs
from zuofeng.documents.values import OpinionBlock, cn_full_date

TEMPLATE = "documents/form.html"


@dataclass
class Cell:
    """One table cell of the HTML form: a label, or a value spanning one or three columns."""

    lines: list[str]
    label: bool = False
    colspan: int = 1
    kind: str = "text"
    long: bool = False
    stamp: bool = False
    dated: str = ""  # the date line of an opinion block
    size: str = ""  # font size and line height in points, from the fit
    line: str = ""


def _pt(value: float) -> str:
    return f"{value:g}"


def _rows(form: dict, values: dict, opinion: OpinionBlock | None, fit: Fit) -> list[dict]:
    rows = []
    for index, row_def in enumerate(form["rows"]):
        cells = []
        for f in row_def[:2]:
            cells.append(Cell(lines=f["label"].split("\n"), label=True))
            value = Cell(
                lines=values.get(f["key"], []), colspan=3 if len(row_def) == 1 else 1, kind=f.get("type", "text")
            )
            value.long = bool(f.get("max_chars"))
            size, line = fit.of(f["key"])
            value.size, value.line = _pt(size), _pt(line)
            if f.get("type") == "opinion":
                value.lines = opinion.text.splitlines() if opinion else []
                value.long = bool(value.lines)
                value.stamp = bool(f.get("stamp"))
                if f.get("dated"):
                    value.dated = cn_full_date(opinion.signed_on) if opinion and opinion.signed_on else "年　　月　　日"
            cells.append(value)
        rows.append({"height": _pt(fit.row_height_mm(index, row_def)), "cells": cells})
    return rows


def form_html(
    form: dict, *, unit_name: str = "", values: dict | None = None, opinion: OpinionBlock | None = None
) -> str:
    values = values or {}
    fit = form_fit(form, values, opinion.text.splitlines() if opinion else [])
    return render_to_string(
        TEMPLATE,
        {
            "form": form,
            "unit_name": unit_name,
            "rows": _rows(form, values, opinion, fit),
            "widths": COLUMN_WIDTHS_MM,
            "line_mm": LINE_MM,
            "margins": fonts.MARGINS_MM,
        },
    )


@cache
def _font_config():
    """One font configuration per process: a new one per document costs time and leaks memory."""
    fonts.ensure_cjk_fonts()
    fonts.use_project_fontconfig()
    from weasyprint.text.fonts import FontConfiguration  # imported late: fontconfig must see FONTCONFIG_FILE first

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return FontConfiguration()


def html_pdf(html: str) -> bytes:
    fonts.ensure_cjk_fonts()
    font_config = _font_config()
    from weasyprint import HTML

    return HTML(string=html).write_pdf(font_config=font_config)


def form_pdf(form: dict, **kwargs) -> bytes:
    return html_pdf(form_html(form, **kwargs))


def award_form_pdf(form: dict) -> bytes:
    """The blank form as PDF, for units that print and fill by hand."""
    return form_pdf(form)


def inputs_html(inputs: FormInputs) -> str:
    return form_html(inputs.form, **inputs.as_kwargs())


def nomination_pdf(nomination, *, masked: bool = False) -> bytes:
    return html_pdf(inputs_html(nomination_inputs(nomination, masked=masked)))
