"""The two sheets of the unit-and-people template, the names offices give their columns, and the example rows.

Shared by the importer and the template. Example rows are recognised by their 单位编码 and name
(people: 所在单位编码, 姓名 and 联系电话) and never imported, so a template sent back without
deleting them does not create 武进区示例局.
"""

from zuofeng.core.imports import Column, TableSpec, cell_text
from zuofeng.core.safe_xlsx import Limits

UNIT_SHEET = "单位"
PERSON_SHEET = "人员"
NOTES_SHEET = "填写说明"

UNIT_EXAMPLES = [
    ["D90", "武进区示例局", "区示例局", "区级机关部门", "", 90, ""],
    ["D90S01", "办公室", "", "内设科室", "D90", 1, ""],
    ["D90S02", "行政审批科", "", "内设科室", "D90", 2, "审批"],
    ["D90X01", "武进区示例服务中心", "区示例服务中心", "下属单位", "D90", 3, "审批、服务"],
]
PERSON_EXAMPLES = [
    ["D90", "张示例", "男", "局长", "13900009901", "", 1],
    ["D90S01", "李示例", "女", "主任", "0519-86309902", "", 1],
]
EXAMPLE_UNITS = {(row[0], row[1]) for row in UNIT_EXAMPLES}
EXAMPLE_PEOPLE = {(row[0], row[1], row[4]) for row in PERSON_EXAMPLES}


def _is_example(examples: set[tuple], keys: tuple[str, ...]):
    return lambda values: tuple(cell_text(values.get(k)) for k in keys) in examples


UNIT_SPEC = TableSpec(
    sheet=UNIT_SHEET,
    columns=(
        Column("code", "单位编码", True, ("单位代码", "编码", "代码", "单位编号")),
        Column("name", "单位全称", True, ("单位名称", "全称", "名称")),
        Column("short_name", "简称", False, ("单位简称",)),
        Column("kind", "类型", True, ("单位类型", "单位类别", "类别")),
        Column("parent", "上级单位编码", False, ("上级编码", "上级单位代码", "上级代码", "隶属单位编码")),
        Column("order", "同级排序", False, ("排序", "顺序", "排列顺序")),
        Column("functions", "职能", False, ("单位职能", "主要职能")),
    ),
    is_example=_is_example(EXAMPLE_UNITS, ("code", "name")),
)
PERSON_SPEC = TableSpec(
    sheet=PERSON_SHEET,
    columns=(
        Column("unit", "所在单位编码", True, ("所在单位代码", "人员所在单位编码")),
        Column("name", "姓名", True, ("名字",)),
        Column("gender", "性别", False),
        Column("position", "职务", False, ("职位", "职务职级")),
        Column("phone", "联系电话", False, ("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")),
        Column("email", "电子邮箱", False, ("邮箱", "电子邮件", "email", "e-mail")),
        Column("order", "排序", False, ("顺序", "序号")),
    ),
    is_example=_is_example(EXAMPLE_PEOPLE, ("unit", "name", "phone")),
)
UNIT_COLUMNS = [(c.attr, c.title, c.required) for c in UNIT_SPEC.columns]
PERSON_COLUMNS = [(c.attr, c.title, c.required) for c in PERSON_SPEC.columns]

# A district has about 3,000 units and a few people in each; 10,000 rows a sheet takes the whole
# district in one file, and checking a refused file stays within seconds.
LIMITS = Limits(max_rows=10_000)
