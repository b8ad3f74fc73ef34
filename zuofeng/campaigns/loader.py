"""Reading a campaign definition file: YAML → checked `CampaignDef`, with Chinese messages.

Nothing here touches the database; services.campaign_load() writes only what passed every check.
"""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from pydantic import BaseModel, ValidationError

from zuofeng.campaigns.schema import CampaignDef, NoticeDef, Problem, cross_check


class CampaignFileError(Exception):
    """The file was refused; `messages` are one line per problem: 文件：字段：原因."""

    def __init__(self, label: str, problems: list[Problem]):
        self.label = label
        self.problems = problems
        self.messages = [f"{label}：{where}：{reason}" if where else f"{label}：{reason}" for where, reason in problems]
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class DefinitionFile:
    definition: CampaignDef
    raw: dict[str, Any]  # the file's content as JSON-able data, stored on the campaign
    sha256: str
    label: str  # path as shown in messages and stored as the source


def file_label(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_definition(path: str | Path) -> DefinitionFile:
    path = Path(path)
    label = file_label(path)
    try:
        content = path.read_bytes()
    except OSError:
        raise CampaignFileError(label, [("", "文件不存在或无法读取")])
    try:
        # utf-8-sig: Windows Notepad puts a byte-order mark in front of UTF-8 files.
        data = yaml.load(content.decode("utf-8-sig"), Loader=_StrictLoader)  # noqa: S506 — a SafeLoader subclass
    except UnicodeDecodeError:
        raise CampaignFileError(label, [("", "文件须为 UTF-8 编码")])
    except yaml.YAMLError as error:
        raise CampaignFileError(label, [("", _yaml_reason(error))])
    if not isinstance(data, dict):
        raise CampaignFileError(label, [("", "文件内容须为键值结构（以“slug:”“year:”等开头）")])
    try:
        definition = CampaignDef.model_validate(data)
    except ValidationError as error:
        raise CampaignFileError(label, [(_path(e["loc"]), _reason(e)) for e in error.errors()])
    problems = cross_check(definition)
    if problems:
        raise CampaignFileError(label, problems)
    raw = json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
    return DefinitionFile(definition=definition, raw=raw, sha256=hashlib.sha256(content).hexdigest(), label=label)


class _StrictLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; a repeated key is almost always a mistake, so refuse it."""

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool | dt.date | None):
                continue  # SafeLoader itself refuses unhashable keys with its own message
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"字段「{key}」重复出现", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 reads yes/no/on/off as booleans (so `on:` became True); only true/false mean that here.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _yaml_reason(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
    problem = getattr(error, "problem", None) or str(error)
    if re.search(r"[\u4e00-\u9fff]", problem):
        return f"{where}{problem}"
    return f"{where}YAML 格式错误（{problem}），请检查缩进、冒号和引号"


def _path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_MESSAGES = {
    "missing": "缺少此项（必填）",
    "extra_forbidden": "不认识的字段，请检查拼写（定义文件不允许多余的字段）",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "string_type": "必须是文字",
    "bool_type": "必须是 true 或 false",
    "bool_parsing": "必须是 true 或 false",
    "date_type": "必须是日期，如 2018-08-08",
    "date_parsing": "必须是日期，如 2018-08-08",
    "date_from_datetime_parsing": "必须是日期，如 2018-08-08",
    "date_from_datetime_inexact": "必须是日期（不含时间），如 2018-08-08",
    "datetime_type": "必须是日期或时间，如 2018-11-01 或 2018-11-01 17:00",
    "datetime_parsing": "必须是日期或时间，如 2018-11-01 或 2018-11-01 17:00",
    "datetime_from_date_parsing": "必须是日期或时间，如 2018-11-01 或 2018-11-01 17:00",
    "list_type": "必须是列表（每项以“- ”开头）",
    "dict_type": "必须是键值结构",
    "model_type": "必须是键值结构",
    "model_attributes_type": "必须是键值结构",
    "invalid_key": "字段名必须是文字",
}


def _reason(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        return "必须是以下之一：" + "、".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    if kind == "greater_than_equal":
        return f"不能小于 {ctx['ge']}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx['le']}"
    # Text lengths come back as too_short/too_long when a BeforeValidator wraps the constraint.
    is_text = isinstance(error.get("input"), str)
    if kind == "string_too_short" or (kind == "too_short" and is_text):
        return "不能为空"
    if kind == "string_too_long" or (kind == "too_long" and is_text):
        return f"不能超过 {ctx['max_length']} 个字"
    if kind == "too_short":
        return f"至少需要 {ctx['min_length']} 项"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "@" in pattern:
            return "不是有效的电子邮箱地址"
        if "_" in pattern:
            return "只能由小写英文字母、数字和下划线“_”组成，且以字母开头"
        return "只能由小写英文字母、数字和连字符“-”组成，且不能以连字符开头"
    return f"格式不正确（{error['msg']}）"


def shift_date(value: dt.date, years: int) -> dt.date:
    """Same day and month `years` later; 29 February falls back to the 28th in a common year."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def shift_years(value: Any, years: int) -> Any:
    """A copy of the definition with every date and time moved by whole years."""
    if not years:
        return value
    if isinstance(value, NoticeDef):
        # The notice is a document of its year: 成文 and 印发 dates stay as printed (2018年8月8日).
        return value
    if isinstance(value, dt.date):  # datetime included
        return shift_date(value, years)
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={name: shift_years(getattr(value, name), years) for name in type(value).model_fields}
        )
    if isinstance(value, list):
        return [shift_years(item, years) for item in value]
    return value
