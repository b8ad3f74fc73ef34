"""SM3 (GB/T 32905) over a canonical serialisation of an audit entry."""

import json

from gmssl import sm3

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "actor_name",
    "role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "result",
    "before",
    "after",
    "detail",
    "prev_hash",
)


def canonical(values: dict) -> bytes:
    payload = {name: values.get(name) for name in HASHED_FIELDS}
    at = payload["at"]
    if hasattr(at, "isoformat"):
        payload["at"] = at.isoformat(timespec="microseconds")
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(values: dict) -> str:
    return sm3.sm3_hash(list(canonical(values)))
