"""The definition file is checked fully, with Chinese messages naming file and field (no database)."""

import copy
import datetime as dt

import pytest
import yaml

from zuofeng.campaigns.loader import CampaignFileError, read_definition, shift_date, shift_years

MINIMAL = {
    "slug": "mini",
    "year": 2019,
    "title": "测试活动",
    "notice": {"title": "测试通知", "issuer": "测试办公室", "issued_on": dt.date(2019, 1, 10)},
    "phases": [
        {"key": "one", "name": "阶段一", "starts_on": dt.date(2019, 2, 1), "ends_on": dt.date(2019, 3, 31)},
        {"key": "two", "name": "阶段二", "starts_on": dt.date(2019, 4, 1)},
    ],
    "milestones": [{"key": "m1", "name": "节点一", "due_on": dt.date(2019, 3, 1), "phase": "one"}],
    "categories": [{"key": "cat", "name": "类别"}],
    "symptoms": [{"key": "s1", "category": "cat", "name": "表现一"}],
    "sources": [{"key": "self", "kind": "self", "name": "自己找"}],
    "awards": [
        {
            "key": "a1",
            "name": "奖项",
            "kind": "individual",
            "quota": {"max": 1},
            "opens_on": dt.date(2019, 2, 1),
            "deadline": dt.date(2019, 5, 1),
            "criteria": [{"name": "业绩", "weight": 60}, {"name": "评价", "weight": 40}],
            "form": {
                "attachment": 1,
                "title": "申报表",
                "rows": [
                    [
                        {"key": "name", "label": "姓  名"},
                        {"key": "gender", "label": "性别", "type": "choice", "choices": ["男", "女"]},
                    ],
                    [{"key": "main_text", "label": "事迹", "type": "textarea", "max_chars": 500}],
                ],
            },
        }
    ],
}


@pytest.fixture
def write(tmp_path):
    def make(data=None, text: str | None = None):
        path = tmp_path / "x.yaml"
        path.write_text(text if text is not None else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return make


def problems(path) -> list[str]:
    with pytest.raises(CampaignFileError) as refused:
        read_definition(path)
    label = refused.value.label
    assert all(line.startswith(f"{label}：") for line in refused.value.messages)
    return [line.removeprefix(f"{label}：") for line in refused.value.messages]


def edited(change) -> dict:
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


def test_minimal_file_is_accepted(write):
    loaded = read_definition(write(MINIMAL))
    assert loaded.definition.awards[0].deadline == dt.datetime(2019, 5, 1, 23, 59, 59)
    assert loaded.raw["notice"]["issued_on"] == "2019-01-10"
    assert loaded.label.endswith("x.yaml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["awards"][0]["quota"].update(max="一"), "awards[0].quota.max：必须是整数"),
        (lambda d: d["awards"][0]["quota"].update(max=True), "awards[0].quota.max：必须是整数"),
        (lambda d: d["awards"][0]["quota"].update(max=0), "awards[0].quota.max：不能小于 1"),
        (lambda d: d.update(year=2300), "year：不能大于 2100"),
        (lambda d: d["awards"][0].update(level="级" * 21), "awards[0].level：不能超过 20 个字"),
        (
            lambda d: d["awards"][0].update(kind="team"),
            "awards[0].kind：必须是以下之一：individual、collective、case、project",
        ),
        (lambda d: d["notice"].pop("issuer"), "notice.issuer：缺少此项（必填）"),
        (lambda d: d["notice"].update(issuer=""), "notice.issuer：不能为空"),
        (lambda d: d["notice"].update(issuer="长" * 201), "notice.issuer：不能超过 200 个字"),
        (lambda d: d.update(titel="x"), "titel：不认识的字段，请检查拼写（定义文件不允许多余的字段）"),
        (lambda d: d["notice"].update(issued_on="2019-13-01"), "notice.issued_on：必须是日期，如 2018-08-08"),
        (
            lambda d: d["awards"][0].update(deadline="明天"),
            "awards[0].deadline：必须是日期或时间，如 2018-11-01 或 2018-11-01 17:00",
        ),
        (lambda d: d.update(phases="阶段"), "phases：必须是列表（每项以“- ”开头）"),
        (lambda d: d.update(phases=[]), "phases：至少需要 1 项"),
        (lambda d: d.update(notice="通知"), "notice：必须是键值结构"),
        (lambda d: d.update(title=["a"]), "title：必须是文字"),
        (lambda d: d.update(settings={"working_days": "maybe"}), "settings.working_days：必须是 true 或 false"),
        (lambda d: d.update(slug="Wujin_2018"), "slug：只能由小写英文字母、数字和连字符“-”组成，且不能以连字符开头"),
        (
            lambda d: d["awards"][0]["form"]["rows"][0][0].update(key="Name"),
            "awards[0].form.rows[0][0].key：只能由小写英文字母、数字和下划线“_”组成，且以字母开头",
        ),
        (lambda d: d.update(contact={"email": "not-an-address"}), "contact.email：不是有效的电子邮箱地址"),
        (
            lambda d: d["notice"].update(issued_on=dt.datetime(2019, 1, 10, 9, 30)),
            "notice.issued_on：必须是日期（不含时间），如 2018-08-08",
        ),
    ],
)
def test_field_errors_name_the_field_in_chinese(write, change, expected):
    assert expected in problems(write(edited(change)))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["symptoms"][0].update(category="none"),
            "symptoms[0].category：找不到中梗阻类别「none」（categories 中没有这个标识）",
        ),
        (
            lambda d: d["milestones"][0].update(phase="three"),
            "milestones[0].phase：找不到阶段「three」（phases 中没有这个标识）",
        ),
        (
            lambda d: d["symptoms"].append({"key": "s1", "category": "cat", "name": "重复"}),
            "symptoms[1].key：标识「s1」重复，同一列表中的标识必须唯一",
        ),
        (
            lambda d: d["sources"].append({"key": "self2", "kind": "self", "name": "又一个"}),
            "sources[1].kind：问题来源类型「self」重复",
        ),
        (lambda d: d["phases"][1].update(ends_on=dt.date(2019, 3, 1)), "phases[1].ends_on：结束日期不能早于开始日期"),
        (
            lambda d: d["phases"][1].update(starts_on=dt.date(2019, 1, 1)),
            "phases[1].starts_on：阶段须按时间先后排列，开始日期不能早于上一阶段",
        ),
        (
            lambda d: d["milestones"][0].update(due_on=dt.date(2019, 6, 1)),
            "milestones[0].due_on：截止日期不在所属阶段「阶段一」的时间范围内",
        ),
        (
            lambda d: d["notice"].update(printed={"by": "办公室", "on": dt.date(2019, 1, 1)}),
            "notice.printed.on：印发日期不能早于成文日期",
        ),
        (
            lambda d: d["notice"].update(
                printed={"by": "办公室", "on": dt.date(2019, 1, 12)},
                forwarded={"by": "某局", "on": dt.date(2019, 1, 11)},
            ),
            "notice.forwarded.on：转发日期不能早于印发日期",
        ),
        (
            lambda d: d["awards"][0].update(quota={"min": 3, "max": 1}),
            "awards[0].quota.min：每单位至少报送数不能大于至多报送数",
        ),
        (
            lambda d: d["awards"][0].update(deadline=dt.date(2019, 1, 1)),
            "awards[0].deadline：截止时间不能早于开始申报日期",
        ),
        (
            lambda d: d["awards"][0]["criteria"][0].update(weight=50),
            "awards[0].criteria：各项评审标准的权重合计必须为 100（现为 90）",
        ),
        (
            lambda d: d["awards"][0]["form"]["rows"][0].append({"key": "x", "label": "第三栏"}),
            "awards[0].form.rows[0]：每行须有 1 或 2 个栏目",
        ),
        (
            lambda d: d["awards"][0]["form"]["rows"][1].append({"key": "name", "label": "又是姓名"}),
            "awards[0].form.rows[1][1].key：栏目标识「name」重复",
        ),
        (
            lambda d: d["awards"][0]["form"]["rows"][0][1].update(choices=[]),
            "awards[0].form.rows[0][1].choices：选择栏目须列出可选项",
        ),
        (
            lambda d: d["awards"][0]["form"]["rows"][0][1].update(max_chars=10),
            "awards[0].form.rows[0][1].max_chars：只有文字栏目可以限制字数",
        ),
        (
            lambda d: d["awards"].append({**copy.deepcopy(d["awards"][0]), "key": "a2"}),
            "awards[1].form.attachment：附件编号 1 重复",
        ),
        (
            lambda d: d.update(settings={"yellow_behind": 30, "red_behind": 10}),
            "settings.yellow_behind：黄灯阈值必须小于红灯阈值",
        ),
        (
            lambda d: d.update(settings={"unit_red_share": 20, "unit_yellow_share": 25}),
            "settings.unit_yellow_share：单位黄灯比例不能高于单位红灯比例",
        ),
    ],
)
def test_cross_checks_name_the_field(write, change, expected):
    assert problems(write(edited(change))) == [expected]


def test_every_problem_is_reported_at_once(write):
    def change(d):
        d["awards"][0]["quota"]["max"] = "x"
        d["notice"].pop("issuer")

    assert problems(write(edited(change))) == ["notice.issuer：缺少此项（必填）", "awards[0].quota.max：必须是整数"]


def test_repeated_yaml_key_is_refused(write):
    text = yaml.safe_dump(MINIMAL, allow_unicode=True) + "title: 第二个标题\n"
    [message] = problems(write(text=text))
    assert message.startswith("第 ")
    assert message.endswith("字段「title」重复出现")


def test_yaml_syntax_error_gives_line(write):
    [message] = problems(write(text="slug: x\ntitle: [未闭合\n"))
    assert message.startswith("第 3 行第 1 列：YAML 格式错误")


def test_file_that_is_not_a_mapping(write):
    assert problems(write(text="- 一\n- 二\n")) == ["文件内容须为键值结构（以“slug:”“year:”等开头）"]


def test_missing_file(tmp_path):
    assert problems(tmp_path / "none.yaml") == ["文件不存在或无法读取"]


def test_file_not_utf8(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("title: 测试".encode("gbk"))
    assert problems(path) == ["文件须为 UTF-8 编码"]


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff".encode() + yaml.safe_dump(MINIMAL, allow_unicode=True).encode())
    assert read_definition(path).definition.slug == "mini"


def test_list_as_key_is_refused(write):
    [message] = problems(write(text="slug: x\n[a, b]: c\n"))
    assert message.startswith("第 2 行")


def test_yes_no_on_off_stay_text(write):
    data = edited(lambda d: d["notice"].update(printed={"by": "办公室", "on": dt.date(2019, 1, 12)}))
    text = yaml.safe_dump(data, allow_unicode=True).replace("'on':", "on:").replace("title: 测试活动", "title: no")
    loaded = read_definition(write(text=text))
    assert loaded.definition.title == "no"
    assert loaded.definition.notice.printed.on == dt.date(2019, 1, 12)


def test_shift_date_handles_29_february():
    assert shift_date(dt.date(2020, 2, 29), 1) == dt.date(2021, 2, 28)
    assert shift_date(dt.date(2020, 2, 29), 4) == dt.date(2024, 2, 29)
    assert shift_date(dt.datetime(2018, 11, 1, 23, 59, 59), 8) == dt.datetime(2026, 11, 1, 23, 59, 59)


def test_shift_years_zero_returns_same(write):
    definition = read_definition(write(MINIMAL)).definition
    assert shift_years(definition, 0) is definition
    shifted = shift_years(definition, 2)
    assert shifted.milestones[0].due_on == dt.date(2021, 3, 1)
    assert definition.milestones[0].due_on == dt.date(2019, 3, 1)
