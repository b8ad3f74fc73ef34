"""The award's form definition (Award.form) as fields to fill, check and show.

Stored values in Nomination.data, by field type (what document generation and exports read):
  text, textarea, choice  str
  phone                   str, normalised: "13912345678", "0519-86310060", "86310060"
  gender                  GB/T 2261.1 code "1" (男) or "2" (女)
  month                   "YYYY-MM" (出生年月)
  political_status        GB/T 4762 code "01".."13"
  honours                 [{"year": 2017, "honour": "…", "body": "…"}, …]
  number                  int
  date                    "YYYY-MM-DD"
The opinion block is not filled by the unit (reviewing office, see services/opinion.py).
`check_value` refuses bad input with a Chinese message naming the field; `display_value` gives
the text to show or print.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from zuofeng.core.wordcount import word_count

GENDERS = {"1": "男", "2": "女"}
# GB/T 4762 政治面貌代码: code -> (full name, the short name official forms use)
POLITICAL_STATUSES = {
    "01": ("中国共产党党员", "中共党员"),
    "02": ("中国共产党预备党员", "中共预备党员"),
    "03": ("中国共产主义青年团团员", "共青团员"),
    "04": ("中国国民党革命委员会会员", "民革党员"),
    "05": ("中国民主同盟盟员", "民盟盟员"),
    "06": ("中国民主建国会会员", "民建会员"),
    "07": ("中国民主促进会会员", "民进会员"),
    "08": ("中国农工民主党党员", "农工党党员"),
    "09": ("中国致公党党员", "致公党党员"),
    "10": ("九三学社社员", "九三学社社员"),
    "11": ("台湾民主自治同盟盟员", "台盟盟员"),
    "12": ("无党派民主人士", "无党派人士"),
    "13": ("群众", "群众"),
}
HONOUR_YEARS = 3  # 所获荣誉（近三年）: the campaign year and the two before it
# The longest honours list the printed form keeps on one page with a full 500-字 text
# (tests/documents/test_one_page_worst_cases.py): 6 rows, names of 30 and bodies of 20 characters.
HONOURS_MAX_ROWS = 6
HONOUR_MAX_CHARS = 30
HONOUR_BODY_MAX_CHARS = 20
PRIVATE_TYPES = frozenset({"phone", "month"})  # shown only with nomination.view_private
MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
LANDLINE = re.compile(r"^(?:(0\d{2,3})-?)?([2-9]\d{6,7})(?:-(\d{1,6}))?$")
MONTH = re.compile(r"^(\d{4})\s*(?:-|\.|/|年)\s*(\d{1,2})\s*月?$")
TEXT_MAX = 200
TITLE_KEYS = ("name", "collective_name", "case_name", "project_name", "window_name")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # as printed, line breaks and spacing removed: 主要事迹（500字以内）
    name: str  # the label's first line, for messages: 主要事迹
    type: str
    required: bool
    max_chars: int | None
    choices: tuple[str, ...]
    lines: int
    help: str

    @property
    def private(self) -> bool:
        return self.type in PRIVATE_TYPES


def _clean_label(text: str) -> str:
    return re.sub(r"\s+", "", text)


def form_fields(award, *, include_opinion: bool = False) -> list[Field]:
    """The fields of the award's form in printed order; the unit never fills the opinion block."""
    fields = []
    for row in (award.form or {}).get("rows", []):
        for f in row:
            if f.get("type") == "opinion" and not include_opinion:
                continue
            label = f["label"]
            fields.append(
                Field(
                    key=f["key"],
                    label=_clean_label(label),
                    name=_clean_label(label.split("\n")[0]),
                    type=f.get("type", "text"),
                    required=f.get("required", True),
                    max_chars=f.get("max_chars"),
                    choices=tuple(f.get("choices") or ()),
                    lines=f.get("lines", 1),
                    help=f.get("help", ""),
                )
            )
    return fields


def honour_years(campaign_year: int) -> list[int]:
    return list(range(campaign_year - HONOUR_YEARS + 1, campaign_year + 1))


def is_empty(value) -> bool:
    if isinstance(value, list):
        return not any(any(str(v).strip() for v in row.values()) for row in value if isinstance(row, dict))
    return value is None or str(value).strip() == ""


def check_value(field: Field, value, *, year: int):
    """Return the normalised value or raise ValidationError with a message naming the field."""
    if is_empty(value):
        if field.required:
            raise ValidationError(f"请填写“{field.name}”。", code="required")
        return [] if field.type == "honours" else ""
    checker = _CHECKS.get(field.type, _text)
    return checker(field, value, year)


def over_limit_message(field: Field, written: int) -> str:
    return f"“{field.name}”已写 {written} 字，超出 {written - field.max_chars} 字（限 {field.max_chars} 字）。"


def _text(field: Field, value, year: int) -> str:
    text = str(value).replace("\r\n", "\n").strip()
    if field.max_chars is not None:
        written = word_count(text)
        if written > field.max_chars:
            raise ValidationError(over_limit_message(field, written), code="too_long")
    elif field.type != "textarea" and len(text) > TEXT_MAX:
        raise ValidationError(f"“{field.name}”不能超过 {TEXT_MAX} 个字符。", code="too_long")
    return text


def normalise_phone(value: str) -> str | None:
    compact = re.sub(r"[\s\u3000（）()]", "", str(value)).replace("—", "-").replace("－", "-").replace("转", "-")
    mobile = MOBILE.match(compact.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = LANDLINE.match(compact)
    if landline:
        area, number, extension = landline.groups()
        return "-".join(part for part in (area, number, extension) if part)
    return None


def _phone(field: Field, value, year: int) -> str:
    phone = normalise_phone(value)
    if phone is None:
        raise ValidationError(
            f"“{field.name}”“{value}”不是有效的手机号码或固定电话（如 13912345678、0519-86310060）。", code="phone"
        )
    return phone


def _gender(field: Field, value, year: int) -> str:
    value = str(value).strip()
    code = value if value in GENDERS else {v: k for k, v in GENDERS.items()}.get(value)
    if code is None:
        raise ValidationError(f"请选择“{field.name}”：男或女。", code="gender")
    return code


def _political(field: Field, value, year: int) -> str:
    value = str(value).strip()
    if value in POLITICAL_STATUSES:
        return value
    for code, names in POLITICAL_STATUSES.items():
        if value in names:
            return code
    raise ValidationError(f"“{field.name}”须从列表中选择（GB/T 4762）。", code="political_status")


def month_range(year: int) -> tuple[int, int]:
    """出生年月 of someone at work in the campaign year: 16 to 80 years old."""
    return year - 80, year - 16


def _month(field: Field, value, year: int) -> str:
    match = MONTH.match(str(value).strip())
    low, high = month_range(year)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(f"“{field.name}”须填写年和月，如 1985-06。", code="month")
    y, m = int(match.group(1)), int(match.group(2))
    if not low <= y <= high:
        raise ValidationError(f"“{field.name}”应在 {low}年1月 至 {high}年12月 之间。", code="month_range")
    return f"{y:04d}-{m:02d}"


def _number(field: Field, value, year: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"“{field.name}”须填写整数。", code="number") from None
    if not 0 <= number <= 1_000_000:
        raise ValidationError(f"“{field.name}”须在 0 至 1000000 之间。", code="number")
    return number


def _date(field: Field, value, year: int) -> str:
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(f"“{field.name}”须填写日期，如 2018-08-08。", code="date") from None


def _choice(field: Field, value, year: int) -> str:
    value = str(value).strip()
    if value not in field.choices:
        raise ValidationError(f"“{field.name}”须从 {'、'.join(field.choices)} 中选择。", code="choice")
    return value


def _honours(field: Field, value, year: int) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError(f"“{field.name}”格式不正确。", code="honours")
    allowed = honour_years(year)
    rows, problems = [], []
    for i, row in enumerate(value, start=1):
        row = {k: str(row.get(k, "") or "").strip() for k in ("year", "honour", "body")}
        if not any(row.values()):
            continue
        if not row["year"].isdigit():
            problems.append(f"第 {i} 行须填写获奖年份")
        elif int(row["year"]) not in allowed:
            problems.append(
                f"第 {i} 行（{row['year']}年 {row['honour']}）不在近三年内，"
                f"只能填写 {allowed[0]}—{allowed[-1]} 年的荣誉"
            )
        if not row["honour"]:
            problems.append(f"第 {i} 行须填写荣誉名称")
        if not row["body"]:
            problems.append(f"第 {i} 行须填写授予单位")
        if len(row["honour"]) > HONOUR_MAX_CHARS:
            problems.append(f"第 {i} 行荣誉名称不能超过 {HONOUR_MAX_CHARS} 个字")
        if len(row["body"]) > HONOUR_BODY_MAX_CHARS:
            problems.append(f"第 {i} 行授予单位不能超过 {HONOUR_BODY_MAX_CHARS} 个字")
        year_value = int(row["year"]) if row["year"].isdigit() else row["year"]
        rows.append({"year": year_value, "honour": row["honour"], "body": row["body"]})
    if len(rows) > HONOURS_MAX_ROWS:
        problems.append(f"最多填写 {HONOURS_MAX_ROWS} 项（现为 {len(rows)} 项），请选填最重要的荣誉")
    if problems:
        raise ValidationError(f"“{field.name}”：{'；'.join(problems)}。", code="honours")
    return rows


_CHECKS = {
    "phone": _phone,
    "gender": _gender,
    "political_status": _political,
    "month": _month,
    "number": _number,
    "date": _date,
    "choice": _choice,
    "honours": _honours,
}


def data_errors(award, data: dict) -> dict[str, str]:
    """Every problem with stored data before submission, by field key."""
    errors = {}
    for field in form_fields(award):
        try:
            check_value(field, data.get(field.key), year=award.campaign.year)
        except ValidationError as error:
            errors[field.key] = error.messages[0]
    return errors


def data_for_draft(award, raw: dict) -> dict:
    """What a draft keeps: normalised where the value is already valid, as typed where it is not."""
    data = {}
    for field in form_fields(award):
        if field.key not in raw:
            continue
        value = raw[field.key]
        try:
            data[field.key] = check_value(field, value, year=award.campaign.year)
        except ValidationError:
            data[field.key] = value.strip() if isinstance(value, str) else value
    return data


def display_value(field: Field, value) -> str:
    if is_empty(value):
        return ""
    if field.type == "gender":
        return GENDERS.get(str(value), str(value))
    if field.type == "political_status":
        return POLITICAL_STATUSES.get(str(value), (None, str(value)))[1]
    if field.type == "month":
        match = MONTH.match(str(value))
        return f"{match.group(1)}年{int(match.group(2))}月" if match else str(value)
    if field.type == "honours":
        return "\n".join(f"{row.get('year')}年 {row.get('honour')}（{row.get('body')}）" for row in value)
    return str(value)


def masked_value(field: Field, value) -> str:
    """What people without nomination.view_private see (and what publication exports print)."""
    if is_empty(value):
        return ""
    if field.type == "phone":
        digits = str(value)
        return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"
    if field.type == "month":
        return "****年**月"
    return display_value(field, value)


def title_from(award, data: dict) -> str:
    """The list title: the person's, collective's, case's or project's name, else the first text field."""
    texts = [f.key for f in form_fields(award) if f.type == "text"]
    named = [key for key in TITLE_KEYS if key in texts]
    key = named[0] if named else (texts[0] if texts else None)
    return str(data.get(key) or "").strip()[:200] if key else ""
