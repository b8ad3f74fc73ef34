"""The columns of a unit's list as the template writes them, and the names real ledgers give them.

One table for the Excel import, the template and pasted rows. Synonyms are compared after
core.imports.header_key (spaces, line breaks, *, full-width forms and （必填） removed).
"""

from zuofeng.core.imports import Column, TableSpec, cell_text
from zuofeng.core.safe_xlsx import Limits

SHEET = "整改清单"
EXAMPLE_MARK = "示例"

# (attribute, column title, required, other names officials use for it)
COLUMNS_WITH_SYNONYMS = [
    ("number", "序号", False, ("编号", "序", "问题序号", "问题编号", "no", "no.")),
    ("category", "类别", True, ("问题类别", "问题类型", "梗阻类别", "中梗阻类别", "类型")),
    ("symptom", "具体表现", False, ("表现形式", "主要表现形式", "梗阻表现")),
    ("benchmarks", "对照内容", False, ("对照", "对照项目", "对照检查内容", "对照方面")),
    ("source", "问题来源", True, ("来源", "查摆方式", "发现方式", "问题来源方式")),
    ("source_detail", "来源说明", False, ("来源详情", "来源备注", "反映渠道", "来源具体说明")),
    (
        "description",
        "问题描述",
        True,
        (
            "存在问题",
            "存在的问题",
            "问题表现",
            "问题",
            "问题内容",
            "具体问题",
            "主要问题",
            "查摆问题",
            "突出问题",
            "问题清单",
        ),
    ),
    ("found_on", "查摆日期", False, ("查摆时间", "发现日期", "发现时间", "查找日期", "查找时间")),
    (
        "text",
        "整改措施",
        True,
        ("整改举措", "措施", "具体措施", "整改办法", "整改方案", "整改措施内容", "主要措施", "工作措施"),
    ),
    ("standard", "整改标准", False, ("整改目标", "目标", "预期目标", "整改要求", "完成标准", "标准", "整改成效")),
    ("responsible_leader", "责任领导", False, ("分管领导", "牵头领导", "责任领导人", "分管负责人", "分管局领导")),
    (
        "responsible_unit",
        "责任单位",
        False,
        ("牵头单位", "责任科室", "责任部门", "牵头科室", "牵头部门", "责任处室", "承办单位", "责任股室"),
    ),
    ("responsible", "责任人", False, ("具体责任人", "经办人", "具体负责人", "责任人员", "承办人", "直接责任人")),
    ("starts_on", "开始日期", True, ("开始时间", "启动时间", "起始日期", "起始时间", "整改开始时间")),
    (
        "deadline",
        "完成时限",
        False,
        (
            "整改时限",
            "完成时间",
            "完成期限",
            "整改期限",
            "办结时限",
            "截止日期",
            "截止时间",
            "时限",
            "整改完成时限",
            "计划完成时间",
            "整改完成时间",
        ),
    ),
    ("is_ongoing", "长期坚持", False, ("是否长期坚持", "长期", "长期整改")),
    ("key_area", "攻坚重点", False, ("攻坚领域", "重点领域", "攻坚方向")),
    ("remark", "备注", False, ("说明", "其他", "备考")),
]
COLUMNS = [(attr, title, required) for attr, title, required, _ in COLUMNS_WITH_SYNONYMS]
SPEC = TableSpec(
    sheet=SHEET,
    columns=tuple(Column(attr, title, required, synonyms) for attr, title, required, synonyms in COLUMNS_WITH_SYNONYMS),
    is_example=lambda values: cell_text(values.get("number")) == EXAMPLE_MARK,
)
# A unit's list holds tens to a few hundred measures; a town's file with all its sections more.
# 10,000 is the largest file the rectification issue asks to import within 15 s (bench/rectification.py),
# so anything past it is refused at once rather than checked for minutes.
LIMITS = Limits(max_rows=10_000)
