"""Writing the audit trail. Every service that changes state calls audit_record()."""

import datetime as dt
import json
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zuofeng.audit.hashing import entry_hash, normalise_ip
from zuofeng.audit.models import AuditEntry, AuditHead, AuditResult
from zuofeng.core import clock


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": getattr(actor, "username", "") or "", "actor_name": ""}
    from zuofeng.accounts.roles import role_summary

    return {
        "actor_id": actor.pk,
        "actor_username": actor.username,
        "actor_name": actor.display_name,
        "role": role_summary(actor),
    }


def _fit(entry: AuditEntry) -> None:
    """Cut text to the column sizes here, before hashing: PostgreSQL would refuse longer text."""
    for field in entry._meta.concrete_fields:
        value = getattr(entry, field.attname)
        if isinstance(value, str):
            value = value.replace("\x00", "")
            if field.max_length:
                value = value[: field.max_length]
            setattr(entry, field.attname, value)


def audit_record(
    *,
    actor,
    action: str,
    obj: Any = None,
    result: str = AuditResult.SUCCESS,
    before: dict | None = None,
    after: dict | None = None,
    detail: str = "",
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain.

    Runs in the caller's transaction: if the action rolls back, so does its entry, so the
    trail never claims a change that did not happen.
    """
    fields: dict[str, Any] = {"role": ""}
    fields.update(_actor_fields(actor))
    if username and not fields["actor_username"]:
        fields["actor_username"] = username
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = str(obj)[:255]
    else:
        object_repr = ""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            id=head.last_id + 1,
            # Read under the head lock so times never run backwards along the chain; UTC so the
            # hash reads back the same from either database.
            at=clock.now().astimezone(dt.UTC),
            ip=normalise_ip(ip or _current_ip()),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr,
            result=result,
            before=_jsonable(before),
            after=_jsonable(after),
            detail=detail,
            prev_hash=head.last_hash,
            **fields,
        )
        _fit(entry)
        entry.hash = entry_hash(entry.__dict__)
        entry.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_id=entry.id, last_hash=entry.hash, count=head.count + 1)
    return entry


def _jsonable(data: dict | None) -> dict | None:
    """What the JSON column will hand back: plain JSON types, nothing PostgreSQL's jsonb refuses."""
    if data is None:
        return None
    from django.core.serializers.json import DjangoJSONEncoder

    return _json_safe(json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)))


def _json_safe(value):
    if isinstance(value, dict):
        return {_json_safe(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # jsonb prints 1e20 as an integer, so integral floats are stored as integers to hash the same.
        if value.is_integer():
            return int(value)
    return value


def _current_ip() -> str | None:
    from zuofeng.audit.context import current_ip

    return current_ip()


def model_snapshot(obj, fields: list[str]) -> dict[str, Any]:
    """The before/after picture of the named fields, for audit entries."""
    snap: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, f"{name}_id", None) if _is_fk(obj, name) else getattr(obj, name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        snap[name] = value
    return snap


def _is_fk(obj, name: str) -> bool:
    field = obj._meta.get_field(name)
    return field.many_to_one or field.one_to_one


def audit_access(
    *, actor, action: str, detail: str = "", object_type: str = "", object_id: str = "", record_success: bool = True
) -> None:
    """Let only 审计管理员 read the trail, and record every reading and every refusal."""
    from zuofeng.accounts.permissions import may

    where = {"object_type": object_type, "object_id": object_id, "detail": detail}
    if not may(actor, "audit.view"):
        audit_record(actor=actor, action=action, result=AuditResult.DENIED, **where)
        raise PermissionDenied
    if record_success:
        audit_record(actor=actor, action=action, **where)
