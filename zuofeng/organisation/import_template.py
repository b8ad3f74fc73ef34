"""The Excel template for importing units and people: example rows, drop-downs and notes."""

import io

import xlsxwriter

from zuofeng.organisation.import_columns import (
    LIMITS,
    NOTES_SHEET,
    PERSON_COLUMNS,
    PERSON_EXAMPLES,
    PERSON_SHEET,
    UNIT_COLUMNS,
    UNIT_EXAMPLES,
    UNIT_SHEET,
)
from zuofeng.organisation.models import UnitFunction, UnitKind

VALIDATED_ROWS = 2000
FUNCTION_CHOICES = ["审批", "监管", "服务", "审批、监管", "审批、服务", "监管、服务", "审批、监管、服务"]

NOTES = [
    ("使用方法", "在「单位」「人员」两张表中填写后上传。两张表可以只填一张；同一文件可反复导入。"),
    ("示例行", "灰色的示例行（武进区示例局、张示例等）导入时自动跳过，不会新增；可以删除，也可以留着。"),
    (
        "表头",
        "表头可以在标题行下面；“单位名称”“上级编码”“手机号码”等常用叫法也能识别，认不出的表头会列出来请您修改。",
    ),
    ("上限", f"每张表最多 {LIMITS.max_rows:,} 行，文件不超过 20 MB；超过时请分成几个文件导入。"),
    ("全部校验", "上传后先检查每一行，只要有一处错误就不保存任何数据，并列出所有错误（第几行、哪一列、原因）。"),
    (
        "单位编码",
        "必填，字母、数字、“-”、“_”组成，最长 32 位，全区唯一。再次导入时按单位编码更新已有单位，不会重复新增。",
    ),
    ("单位全称 / 简称", "全称必填（不超过 100 字）；简称可空（不超过 50 字），页面上优先显示简称。"),
    ("类型", "必填，从下拉列表选择：" + "、".join(UnitKind.labels) + "。"),
    (
        "上级单位编码",
        "区级机关部门、镇、街道、开发区留空；内设科室和下属单位填所属单位的编码。"
        "上级单位可以在本文件中（位置前后均可）或已在系统中。",
    ),
    (
        "同级排序",
        "同一上级单位下的先后次序（按公文排序，不按拼音），填不小于 0 的整数；"
        "留空时新单位按文件中的先后次序，已有单位保持原排序。",
    ),
    (
        "职能",
        "下属单位的" + "、".join(UnitFunction.labels) + "职能，可多选，用顿号分隔；"
        "有其中任一职能的下属单位纳入本次专项活动范围。",
    ),
    ("所在单位编码", "必填，人员所在单位（含内设科室）的编码，可以是本文件「单位」表中的单位。"),
    (
        "人员的识别",
        "再次导入时，所在单位编码、姓名、联系电话三项都相同的视为同一人，更新其性别、职务、电子邮箱、排序；"
        "三项中任一项改变会被当作新人员新增（人员调动请在系统中修改）。同一文件中这三项不能重复。",
    ),
    ("性别", "填“男”或“女”，可空。"),
    ("联系电话", "11 位手机号码，或带区号的固定电话（如 0519-86300000，可带分机号 -801）。"),
    ("排序", "人员在本单位内的先后次序，可空。"),
]


def _sheet(book, title: str, columns, examples, formats) -> object:
    sheet = book.add_worksheet(title)
    for col, (_attr, header, required) in enumerate(columns):
        sheet.write(0, col, header + ("*" if required else ""), formats["required" if required else "header"])
        sheet.set_column(col, col, 18 if col else 14)
    for row, values in enumerate(examples, start=1):
        for col, value in enumerate(values):
            sheet.write(row, col, value, formats["example"])
    sheet.freeze_panes(1, 0)
    return sheet


def _dropdown(sheet, col: int, values: list[str], title: str) -> None:
    sheet.data_validation(
        1,
        col,
        VALIDATED_ROWS,
        col,
        {"validate": "list", "source": values, "error_title": title, "error_message": "请从下拉列表中选择。"},
    )


def import_template() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1}),
        "required": book.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1}),
        "example": book.add_format({"font_color": "#7F7F7F"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    units = _sheet(book, UNIT_SHEET, UNIT_COLUMNS, UNIT_EXAMPLES, formats)
    _dropdown(units, 3, list(UnitKind.labels), "类型")
    _dropdown(units, 6, FUNCTION_CHOICES, "职能")
    people = _sheet(book, PERSON_SHEET, PERSON_COLUMNS, PERSON_EXAMPLES, formats)
    _dropdown(people, 2, ["男", "女"], "性别")
    people.set_column(4, 4, 18, book.add_format({"num_format": "@"}))  # keep phone numbers as text
    notes = book.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 90)
    notes.write_row(0, 0, ["项目", "说明"], formats["header"])
    for row, (item, text) in enumerate(NOTES, start=1):
        notes.write(row, 0, item, formats["wrap"])
        notes.write(row, 1, text, formats["wrap"])
    notes.write(len(NOTES) + 2, 0, "带 * 的列必填；灰色文字为示例，导入时跳过。")
    book.close()
    return buffer.getvalue()
