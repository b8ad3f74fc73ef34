"""A nomination's form values as the lines printed in its cells (Word, PDF and the summary sheet).

The form stores codes and structured values; documents print labels in the official style:
性别 by GB/T 2261.1 code, 政治面貌 by GB/T 4762 code, 出生年月 as “1980.05” (the style of
cadre forms), honours one per line as “2017年 获XX（授予单位）”. `masked=True` is for judges and
anything published: phone numbers keep only their first three and last four digits and birth
dates are blanked out.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from zuofeng.organisation.selectors import phone_masked

# Stored codes (see zuofeng/nominations/services/forms.py) and the short names forms print.
GENDER = {"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"}
POLITICAL_STATUS = {
    "01": "中共党员",
    "02": "中共预备党员",
    "03": "共青团员",
    "04": "民革党员",
    "05": "民盟盟员",
    "06": "民建会员",
    "07": "民进会员",
    "08": "农工党党员",
    "09": "致公党党员",
    "10": "九三学社社员",
    "11": "台盟盟员",
    "12": "无党派人士",
    "13": "群众",
}
PRIVATE_TYPES = frozenset({"phone", "month"})
MASKED_BIRTH = "****.**"
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-./年])\s*(\d{1,2})")


@dataclass(frozen=True)
class OpinionBlock:
    text: str
    signed_on: dt.date | None


def is_private(field: dict) -> bool:
    """Phone numbers and birth dates: shown only to the unit, its reviewers and the office."""
    return field.get("type") in PRIVATE_TYPES or str(field.get("key", "")).startswith("birth")


def month_text(value) -> str:
    match = _MONTH.match(str(value))
    return f"{match.group(1)}.{int(match.group(2)):02d}" if match else str(value)


def honour_line(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    year = item.get("year", "")
    honour = str(item.get("honour") or "").removeprefix("获")
    body = item.get("body") or ""
    line = f"{year}年 获{honour}" if year else f"获{honour}"
    return f"{line}（{body}）" if body else line


def field_lines(field: dict, value, *, masked: bool = False) -> list[str]:
    """The text lines of one field's value cell."""
    if value in (None, "", [], {}):
        return []
    if masked and is_private(field):
        return [MASKED_BIRTH] if field.get("type") != "phone" else [phone_masked(str(value))]
    key, kind = field.get("key", ""), field.get("type", "text")
    if isinstance(value, list):
        return [honour_line(item) for item in value]
    if key == "gender" or kind == "gender":
        return [GENDER.get(str(value), str(value))]
    if key == "political_status" or kind == "political_status":
        return [POLITICAL_STATUS.get(str(value).zfill(2), str(value)) if str(value).isdigit() else str(value)]
    if kind == "month":
        return [month_text(value)]
    if kind == "date":
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return [str(value)]
        return [f"{day.year}年{day.month}月{day.day}日"]
    return [line.rstrip() for line in str(value).replace("\r\n", "\n").split("\n")]


def field_text(field: dict, value, *, masked: bool = False) -> str:
    """One cell of the summary sheet: the lines joined."""
    return "\n".join(field_lines(field, value, masked=masked))


def form_fields(form: dict) -> list[dict]:
    return [field for row in form.get("rows", []) for field in row]


def nomination_values(nomination, *, masked: bool = False) -> dict[str, list[str]]:
    fields = form_fields(nomination.award.form)
    data = nomination.data or {}
    return {f["key"]: field_lines(f, data.get(f["key"]), masked=masked) for f in fields if f.get("type") != "opinion"}


def nomination_opinion(nomination) -> OpinionBlock | None:
    try:
        opinion = nomination.opinion
    except ObjectDoesNotExist:
        return None
    return OpinionBlock(text=opinion.text, signed_on=opinion.signed_on)


def cn_full_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
