"""An official document (公文) laid out to GB/T 9704-2012, for Word (`official_docx`) and PDF (`official_pdf`).

The geometry in one place: A4, text block 156 × 225 mm from 37 mm top and 28 mm left; 22 lines of
28 characters of 3号 (16 pt) type. A line is 225/22 mm (28.99 pt); a character cell 156/28 mm
(15.79 pt), so 16 pt type is set 0.21 pt tighter to fit 28 in a line. Every block is a whole number
of lines, so the grid holds down each page.
"""

import base64
from dataclasses import dataclass, field

MM = 72 / 25.4  # points per millimetre
PAGE_MM = (210, 297)
TOP_MM, LEFT_MM, BLOCK_W_MM, BLOCK_H_MM = 37, 28, 156, 225
RIGHT_MM = PAGE_MM[0] - LEFT_MM - BLOCK_W_MM  # 26
BOTTOM_MM = PAGE_MM[1] - TOP_MM - BLOCK_H_MM  # 35
LINES, CHARS = 22, 28
LINE_PT = BLOCK_H_MM * MM / LINES  # 28.99
CHAR_PT = BLOCK_W_MM * MM / CHARS  # 15.79
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 3号, 2号, 4号
LETTER_SPACING_PT = CHAR_PT - BODY_PT - 0.02  # a hair under, so rounding never pushes the 28th to the next line
RED = "#e60012"

# Which free font stands for which official one (fontconfig/fonts.conf maps the names).
FONTS = {
    "小标宋": ("方正小标宋简体", "Noto Serif CJK SC Bold"),
    "仿宋": ("仿宋_GB2312", "Noto Serif CJK SC"),
    "黑体": ("黑体", "Noto Sans CJK SC"),
    "楷体": ("楷体_GB2312", "LXGW WenKai (霞鹜文楷), else AR PL KaitiM GB"),
    "宋体": ("宋体", "Noto Serif CJK SC"),
}


@dataclass
class Paragraph:
    level: int  # 0 text, 1 一、 (黑体), 2 （一） (楷体), 3 1. and 4 （1） (仿宋)
    text: str
    head: str = ""  # the 楷体 part of a level-2 paragraph
    image: bytes = b""  # a photo (JPEG/PNG) printed on its own, centred, at most the text width
    image_type: str = ""  # its MIME type, for the PDF

    @property
    def image_uri(self) -> str:
        """The photo inline in the PDF's HTML (WeasyPrint fetches nothing from outside the document)."""
        return f"data:{self.image_type or 'image/jpeg'};base64,{base64.b64encode(self.image).decode()}"


# A photo's width on the page: four fifths of the text block, so a portrait photo stays on one page.
IMAGE_W_MM = 120


@dataclass
class PrintedLine:
    by: str  # 印发机关
    on: str  # 2018年8月8日


@dataclass
class OfficialDocument:
    issuer_mark: str  # 发文机关标志, printed red: 常州市武进区作风建设领导小组办公室文件
    doc_number: str
    title: str
    addressees: str  # 主送机关 line, ending in ：
    body: list[Paragraph]
    signature: str  # 发文机关署名
    date: str  # 成文日期 in Arabic numerals: 2018年8月8日
    attachments: list[str] = field(default_factory=list)  # 附件说明 names
    enclosure_title: str = ""
    enclosure: list[Paragraph] = field(default_factory=list)
    copy_to: str = ""
    printed: list[PrintedLine] = field(default_factory=list)  # the original's 印发 line, then each 转发's
    kind_label: str = "文件"
    # 简报: ("作风办编", "2018年9月1日") over the red rule, instead of a 发文字号 (doc_number holds 第N期);
    # such a document has no 主送, 署名 or 成文日期 (it may leave them empty).
    editor_line: tuple[str, str] | None = None

    @property
    def mark_pt(self) -> float:
        """The 发文机关标志's size: as large as fits one line of the text block, at most 2号 × 1.5."""
        return min(TITLE_PT * 1.5, (BLOCK_W_MM * MM) / max(len(self.issuer_mark), 1) - 1)
