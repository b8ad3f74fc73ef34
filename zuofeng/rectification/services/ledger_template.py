"""The Excel template for filling a unit's list offline: drop-downs from the campaign, notes, example.

Drop-down lists live on a hidden 选项 sheet (an inline list is limited to 255 characters,
which the 对照内容 and 具体表现 texts exceed).
"""

import io

import xlsxwriter

from zuofeng.campaigns.models import Campaign
from zuofeng.rectification.services.ledger_columns import COLUMNS, EXAMPLE_MARK, LIMITS, SHEET

LISTS_SHEET = "选项"
NOTES_SHEET = "填写说明"
VALIDATED_ROWS = 2000
WIDTHS = {"序号": 6, "问题描述": 36, "整改措施": 36, "整改标准": 24, "对照内容": 24, "具体表现": 16}


def _example(campaign: Campaign) -> list[list]:
    category = campaign.categories.filter(is_active=True).first()
    symptom = category.symptoms.filter(is_active=True).first() if category else None
    source = campaign.sources.filter(is_active=True).first()
    benchmark = campaign.benchmarks.filter(is_active=True).first()
    problem = [
        EXAMPLE_MARK,
        category.name if category else "",
        symptom.name if symptom else "",
        benchmark.name if benchmark else "",
        source.name if source else "",
        "",
        "窗口办件存在推诿扯皮现象，群众反映多次跑腿",
        "2018-09-01",
    ]
    first = ["实行首问负责制，一次性告知办理要求", "群众办事一次办结率达到95%", "张副局长", "", "李四"]
    second = ["每月通报窗口办件情况", "每月通报一次", "张副局长", "", "李四"]
    return [
        [*problem, *first, "2018-09-16", "2018-12-31", "否", "", ""],
        [EXAMPLE_MARK, *[""] * 7, *second, "2018-09-16", "", "是", "", "同一问题的第二条措施：问题各列留空"],
    ]


def _notes(campaign: Campaign) -> list[tuple[str, str]]:
    categories = campaign.categories.filter(is_active=True).prefetch_related("symptoms")
    symptoms = "；".join(f"{c.name}：{'、'.join(s.name for s in c.symptoms.all() if s.is_active)}" for c in categories)
    return [
        ("一行一条措施", "每行填写一条整改措施。同一问题有多条措施时，写在相邻的几行：第一行填写问题各列"
         "（类别至查摆日期），后面几行的问题各列留空（也可以合并单元格），表示与上一行是同一问题。"),
        ("示例行", f"「序号」为“{EXAMPLE_MARK}”的行是示例，导入时自动跳过，可以删除。"),
        ("必填", "类别、问题来源、问题描述、整改措施、开始日期必填（表头带 * 的列）；完成时限与长期坚持二选一。"),
        ("类别、具体表现", "从下拉列表选择。具体表现必须属于所选类别：" + symptoms + "。"),
        ("对照内容", "从下拉列表选择；对照多项时用分号“；”分隔。"),
        ("问题来源", "从下拉列表选择。来源说明：领导点写哪位领导，组织议写哪次会议，群众提写反映渠道或编号。"),
        ("日期", "可填 2018-09-30、2018/9/30、2018.9.30、2018年9月30日，或 Excel 日期。查摆日期留空时按导入当天。"
         "“9月底”“年底前”这类写法不是日期，导入时会被退回。"),
        ("完成时限", "完成时限不能早于开始日期。长期坚持的措施不填完成时限，在「长期坚持」选“是”。"),
        ("责任单位、责任人", "责任单位填本单位或下属单位的名称，留空即本单位；"
         "责任人是该单位人员时自动关联，否则按填写的姓名保存。"),
        ("表头", "可以在表头上方保留标题行和填报单位行；本单位原有台账的“分管领导”“具体责任人”“整改时限”“牵头单位”"
         "“存在问题”“整改举措”等叫法也能识别。认不出的表头会列出来请您修改，不会悄悄丢掉一列。"),
        ("表尾", "表格下方的“填表人：”“审核人：”“联系电话：”等行自动跳过。"),
        ("上限", f"一次最多导入 {LIMITS.max_rows:,} 行、文件不超过 20 MB；错误多时列出前 200 处和总数。"),
        ("全部校验", "上传后先检查每一行，只要有一处错误就不保存任何数据，并列出所有错误（第几行、哪一列、原因）。"),
        ("重复导入", "同一文件可以反复导入，已导入的问题和措施不会重复新增；"
         "已存在的措施不会被覆盖，修改请在网页上进行。已审核通过的问题不能通过导入新增措施，请在网页上提交变更申请。"),
    ]  # fmt: skip


def _lists(book, campaign: Campaign) -> dict[str, str]:
    """Write each list as a column of the hidden sheet; return column title → range formula."""
    sheet = book.add_worksheet(LISTS_SHEET)
    lists = {
        "类别": [c.name for c in campaign.categories.filter(is_active=True)],
        "具体表现": [
            s.name for s in campaign.symptoms.filter(is_active=True).order_by("category__order", "order", "id")
        ],
        "对照内容": [b.name for b in campaign.benchmarks.filter(is_active=True)],
        "问题来源": [s.name for s in campaign.sources.filter(is_active=True)],
        "攻坚重点": [k.name for k in campaign.key_areas.filter(is_active=True)],
    }
    ranges = {}
    for col, (title, values) in enumerate(lists.items()):
        sheet.write(0, col, title)
        sheet.write_column(1, col, values)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        ranges[title] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
    sheet.hide()
    return ranges


def ledger_template(*, campaign: Campaign) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1, "text_wrap": True, "valign": "vcenter"})
    required = book.add_format(
        {"bold": True, "bg_color": "#F8CBAD", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    example = book.add_format({"font_color": "#7F7F7F", "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(SHEET)
    notes = book.add_worksheet(NOTES_SHEET)
    ranges = _lists(book, campaign)
    for col, (_attr, title, is_required) in enumerate(COLUMNS):
        sheet.write(0, col, title + ("*" if is_required else ""), required if is_required else header)
        sheet.set_column(col, col, WIDTHS.get(title, 14), wrap)
        if title in ranges:
            # 对照内容 may name several benchmarks, so a typed value only warns instead of being refused.
            sheet.data_validation(
                1,
                col,
                VALIDATED_ROWS,
                col,
                {
                    "validate": "list",
                    "source": ranges[title],
                    "error_type": "warning" if title == "对照内容" else "stop",
                    "error_title": title,
                    "error_message": "请从下拉列表中选择。",
                },
            )
        elif title == "长期坚持":
            sheet.data_validation(1, col, VALIDATED_ROWS, col, {"validate": "list", "source": ["是", "否"]})
    for row, values in enumerate(_example(campaign), start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, example)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 0)
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 100)
    notes.write_row(0, 0, ["项目", "说明"], header)
    for row, (title, text) in enumerate(_notes(campaign), start=1):
        notes.write_row(row, 0, [title, text], wrap)
    sheet.activate()
    book.close()
    return buffer.getvalue()
