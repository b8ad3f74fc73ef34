"""Type sizes that keep a filled form on one A4 page, for Word and PDF alike.

A 500-字 text is not a fixed length on paper: 字数 counts "2018" or "App" as one, but they take two
or three character widths, and Word adds a quarter-character gap where Chinese meets Latin or digits.
So the sizes are chosen per document: the rows' heights are estimated (each paragraph broken into
lines greedily, as a typesetter does, with Latin words and digit runs kept whole), and the first
size step whose total fits the page wins. Normal text keeps the standard sizes (五号 for the long
text, 小四 elsewhere); a dense text, a long honours list or a long opinion step down to 小五 and
then 六号. The estimate is deliberately pessimistic (wide Latin glyphs, a safety margin under the
page), and tests/documents/test_one_page_worst_cases.py checks it against LibreOffice and WeasyPrint.
"""

from dataclasses import dataclass, field

from zuofeng.documents import fonts

COLUMN_WIDTHS_MM = (38, 40, 38, 40)  # 156 mm: the type area of GB/T 9704
LINE_MM = 6  # one written line in a value cell: a row's minimum height is `lines` of these
ROW_MIN_PAD_MM = 4
PT_MM = 25.4 / 72
# (font size, exact line height) in points, largest first.
LONG_TEXT_STEPS = ((10.5, 14.0), (10.0, 13.0), (9.0, 12.0), (8.0, 10.5), (7.5, 9.5))
VALUE_STEPS = ((12.0, 15.0), (10.5, 13.5), (9.0, 11.5))
TABLE_PT, TABLE_LINE_PT = VALUE_STEPS[0]

CELL_INSET_MM = 1.9  # Word's default left/right cell margin (WeasyPrint pads 1 mm)
ROW_PAD_MM = 2.0  # borders and the gap above and below a cell's text
# Page type area minus the heading (附件N 三号, the title 20 pt with 8 pt above and below, the
# applicant line 四号 with 4 pt after) and a margin for what the estimate cannot see.
HEADING_MM = (16 * 1.25 + 20 * 1.25 + 16 + 14 * 1.25 + 4) * PT_MM
SAFETY_MM = 10.0
NARROW_EM = 0.6  # Latin letters and digits: Times New Roman averages ~0.5 em, Noto's ~0.55 em
SPACE_EM = 0.3
AUTOSPACE_EM = 0.25  # Word's gap between Chinese and Latin or digits


@dataclass(frozen=True)
class Fit:
    """Per field key: (font size, line height) in points (fields not named keep 小四); per row its
    minimum height in mm (None: the row's written-line height from the definition)."""

    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)
    row_mm: tuple[float, ...] | None = None

    def of(self, key: str) -> tuple[float, float]:
        return self.sizes.get(key, (TABLE_PT, TABLE_LINE_PT))

    def row_height_mm(self, index: int, row_def: list[dict]) -> float:
        return self.row_mm[index] if self.row_mm else row_height_mm(row_def)


def _wide(ch: str) -> bool:
    cp = ord(ch)
    return cp >= 0x2E80 or 0x2010 <= cp <= 0x2027 or cp == 0xB7 or 0x2460 <= cp <= 0x24FF


def _tokens(text: str) -> list[tuple[float, bool]]:
    """(width in em, may break after) for a paragraph: each Chinese character alone, Latin words whole."""
    tokens, word, previous_wide = [], 0.0, None
    for ch in text:
        if ch.isspace():
            if word:
                tokens.append((word, True))
                word = 0.0
            tokens.append((SPACE_EM, True))
            previous_wide = None
            continue
        wide = _wide(ch)
        gap = AUTOSPACE_EM if previous_wide is not None and previous_wide != wide else 0.0
        previous_wide = wide
        if wide:
            if word:
                tokens.append((word + gap, True))
                word, gap = 0.0, 0.0
            tokens.append((1.0 + gap, True))
        else:
            word += NARROW_EM + gap
    if word:
        tokens.append((word, True))
    return tokens


def line_count(text: str, *, width_em: float, indent_em: float = 0.0) -> int:
    """Lines one paragraph takes, breaking greedily; a word wider than a line is split."""
    lines, used = 1, indent_em
    for width, _ in _tokens(text):
        if used + width > width_em and used > 0:
            lines += 1
            used = 0.0
        while width > width_em:
            lines += 1
            width -= width_em
        used += width
    return lines


def text_height_mm(paragraphs: list[str], *, size: float, line: float, width_mm: float, indent: bool) -> float:
    width_em = width_mm / (size * PT_MM)
    lines = sum(line_count(p, width_em=width_em, indent_em=2.0 if indent else 0.0) for p in paragraphs or [""])
    return lines * line * PT_MM + ROW_PAD_MM


def row_height_mm(row_def: list[dict]) -> int:
    """A row's minimum height: room for its `lines` written lines, as on the printed attachment."""
    return LINE_MM * max(f.get("lines", 1) for f in row_def) + ROW_MIN_PAD_MM


def value_width_mm(row_def: list[dict]) -> float:
    width = sum(COLUMN_WIDTHS_MM[1:]) if len(row_def) == 1 else COLUMN_WIDTHS_MM[1]
    return width - 2 * CELL_INSET_MM


def _content_mm(row_def, values, opinion_lines, sizes) -> float:
    height = 0.0
    for f in row_def[:2]:
        height = max(height, len(f["label"].split("\n")) * TABLE_LINE_PT * PT_MM + ROW_PAD_MM)
        size, line = sizes.get(f["key"], (TABLE_PT, TABLE_LINE_PT))
        width = value_width_mm(row_def)
        if f.get("type") == "opinion":
            extra = int(bool(f.get("stamp"))) + int(bool(f.get("dated")))
            text = text_height_mm(opinion_lines, size=size, line=line, width_mm=width, indent=True)
            content = (text if opinion_lines else ROW_PAD_MM) + extra * TABLE_LINE_PT * PT_MM
        else:
            long = bool(f.get("max_chars"))
            content = text_height_mm(values.get(f["key"], []), size=size, line=line, width_mm=width, indent=long)
        height = max(height, content)
    return height


def _squeeze(rows, contents: list[float], budget: float) -> list[float] | None:
    """Minimum row heights that fit `budget`: the blank lines kept for handwriting in the text and
    honours rows give way first (never below their content); the opinion row keeps its room to stamp."""
    minimums = [float(row_height_mm(row)) for row in rows]
    deficit = sum(max(c, m) for c, m in zip(contents, minimums, strict=True)) - budget
    flexible = [i for i, row in enumerate(rows) if len(row) == 1 and row[0].get("type") in ("textarea", "honours")]
    for i in flexible:
        if deficit <= 0:
            break
        give = min(deficit, max(minimums[i] - contents[i], 0.0))
        minimums[i] -= give
        deficit -= give
    return minimums if deficit <= 0 else None


def budget_mm(form: dict) -> float:
    top, bottom = fonts.MARGINS_MM["top"], fonts.MARGINS_MM["bottom"]
    return fonts.PAGE_MM[1] - top - bottom - HEADING_MM - SAFETY_MM


def form_fit(form: dict, values: dict, opinion_lines: list[str]) -> Fit:
    """The largest sizes with which every row of `form` fits on the page."""
    rows = form.get("rows", [])
    long_keys = [f["key"] for row in rows for f in row if f.get("max_chars")]
    wide_keys = [f["key"] for row in rows if len(row) == 1 for f in row if not f.get("max_chars")]
    budget = budget_mm(form)
    last = Fit()
    for long_step in LONG_TEXT_STEPS:
        for value_step in VALUE_STEPS:
            sizes = {key: long_step for key in long_keys} | {key: value_step for key in wide_keys}
            contents = [_content_mm(row, values, opinion_lines, sizes) for row in rows]
            minimums = _squeeze(rows, contents, budget)
            if minimums is not None:
                return Fit(sizes, tuple(round(m, 1) for m in minimums))
            last = Fit(sizes)
    return last
