"""Writing the audit trail. Every service that changes state calls audit_record()."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from zuofeng.audit.hashing import entry_hash
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
    # Stored and hashed in UTC so the hash reads back the same from either database.
    at: dt.datetime = clock.now().astimezone(dt.UTC)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            id=head.last_id + 1,
            at=at,
            ip=ip or _current_ip(),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr,
            result=result,
            before=_jsonable(before),
            after=_jsonable(after),
            detail=detail[:500],
            prev_hash=head.last_hash,
            **fields,
        )
        entry.hash = entry_hash(entry.__dict__)
        entry.save(force_insert=True)
        AuditHead.objects.filter(pk=1).update(last_id=entry.id, last_hash=entry.hash, count=head.count + 1)
    return entry


def _jsonable(data: dict | None) -> dict | None:
    if data is None:
        return None
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


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
