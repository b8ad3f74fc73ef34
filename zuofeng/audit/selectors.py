"""Reading the audit trail; only 审计管理员 may (views record each reading via audit_access)."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from zuofeng.accounts.permissions import may
from zuofeng.audit.labels import action_label, field_label, object_type_label
from zuofeng.audit.models import AuditEntry


def _require_auditor(actor) -> None:
    if not may(actor, "audit.view"):
        raise PermissionDenied


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entry_list(*, actor, filters: dict[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """Entries matching the auditor's filters, newest first. Dates are whole local days."""
    _require_auditor(actor)
    f = filters or {}
    qs = AuditEntry.objects.order_by("-id")
    if f.get("date_from"):
        qs = qs.filter(at__gte=_day_start(f["date_from"]))
    if f.get("date_to"):
        qs = qs.filter(at__lt=_day_start(f["date_to"] + dt.timedelta(days=1)))
    if f.get("account"):
        qs = qs.filter(Q(actor_username__icontains=f["account"]) | Q(actor_name__icontains=f["account"]))
    for name in ("action", "result", "object_type", "object_id", "ip"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("up_to_id"):
        qs = qs.filter(id__lte=f["up_to_id"])
    return qs


def audit_entry_get(*, actor, pk: int) -> AuditEntry:
    _require_auditor(actor)
    return AuditEntry.objects.get(pk=pk)


def audit_action_choices() -> list[tuple[str, str]]:
    codes = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(code, action_label(code)) for code in codes]


def audit_object_type_choices() -> list[tuple[str, str]]:
    codes = AuditEntry.objects.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True)
    return [(code, object_type_label(code)) for code in codes.distinct()]


def diff_rows(entry: AuditEntry) -> list[dict[str, Any]]:
    """One row per field named in before or after, marking the ones that changed."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [{"field": "", "label": "", "before": before, "after": after, "changed": before != after}]
    names = list(before) + [name for name in after if name not in before]
    return [
        {
            "field": name,
            "label": field_label(entry.object_type, name),
            "before": before.get(name),
            "after": after.get(name),
            "changed": before.get(name) != after.get(name),
        }
        for name in names
    ]
