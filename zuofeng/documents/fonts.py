"""Fonts and page set-up shared by every generated document (Word and PDF).

Official documents use Windows font names (GB/T 9704: 仿宋_GB2312 body, 黑体 headings, 小标宋 titles).
Word resolves those on the reader's PC; for PDF the server maps them to Noto CJK SC through
fontconfig/fonts.conf, so Debian's fonts-noto-cjk must be installed.
"""

import os
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"

FONTCONFIG_FILE = Path(__file__).resolve().parent / "fontconfig" / "fonts.conf"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
NOTO_FILES = ("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc", "NotoSansCJK-Regular.ttc")

# A4 with the margins of GB/T 9704 (type area 156 × 225 mm).
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINE_HEIGHT = 1.25  # line height as a multiple of the font size


class MissingFonts(RuntimeError):
    pass


def ensure_cjk_fonts(font_dir: Path | None = None) -> None:
    """Refuse to make a PDF with tofu boxes: without Noto CJK the Chinese text would not render."""
    font_dir = font_dir or NOTO_DIR
    missing = [name for name in NOTO_FILES if not (font_dir / name).exists()]
    if missing:
        raise MissingFonts(
            f"缺少中文字体 {', '.join(missing)}（{font_dir}），无法生成 PDF。请安装 Debian 软件包 fonts-noto-cjk。"
        )


def use_project_fontconfig() -> None:
    """Point fontconfig at our aliases; must run before Pango first loads fonts in this process."""
    os.environ.setdefault("FONTCONFIG_FILE", str(FONTCONFIG_FILE))


def set_run_font(run, east_asian: str, size_pt: float, bold: bool = False) -> None:
    """Word picks Chinese glyphs from w:eastAsia, which python-docx's font.name does not set."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def add_paragraph(container, text: str, font: str, size: float, align=None, bold: bool = False):
    """A paragraph without the default spacing, in one font."""
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    tighten(paragraph, size)
    set_run_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def tighten(paragraph, size: float) -> None:
    """No spacing around, exact line height: CJK fonts' own line gap differs between Word and LibreOffice."""
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(round(size * LINE_HEIGHT, 1))


def page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])


def set_default_font(document, east_asian: str = BODY_FONT, size_pt: float = 14) -> None:
    """The Normal style in the body font, so empty paragraphs and Word's own additions match."""
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(size_pt)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
