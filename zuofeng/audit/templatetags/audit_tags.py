import json

from django import template
from django.utils import timezone

from zuofeng.audit import labels
from zuofeng.core.cn import cn_date

register = template.Library()


@register.filter
def audit_time(value) -> str:
    """2018年8月8日 09:30:15 — seconds matter when reconstructing what happened."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{cn_date(local)} {local:%H:%M:%S}"


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code)


@register.filter
def object_type_label(code: str) -> str:
    return labels.object_type_label(code)


@register.filter
def json_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
