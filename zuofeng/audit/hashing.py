"""HMAC-SM3 (GB/T 32905) over a canonical serialisation of an audit entry.

Each entry names its hash scheme. Scheme 1 is the plain SM3 of the first releases: anyone who can
write to the database can recompute it, so it is only trusted for entries written before the key
existed (verify.py refuses a scheme-1 entry after a keyed one). Scheme 2, written from now on, is
HMAC-SM3 keyed with settings.AUDIT_HMAC_KEY, which lives outside the database, and covers the
scheme number itself.

The serialisation must come out byte-identical whether the values are fresh in memory or
read back from SQLite or PostgreSQL, so every field is normalised here: times as UTC with
microseconds, JSON with sorted keys, IP addresses in their canonical text form.
"""

import datetime as dt
import hashlib
import ipaddress
import json

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
    "scheme",
)
SCHEME_SM3 = 1  # plain SM3, entries written before the key existed
SCHEME_HMAC_SM3 = 2
CURRENT_SCHEME = SCHEME_HMAC_SM3


def normalise_ip(value) -> str | None:
    """The text both databases give back; None for anything that is not an IP address."""
    if value in (None, ""):
        return None
    try:
        ip = ipaddress.ip_address(str(value).strip().split("%")[0])
    except ValueError:
        return None
    # An IPv4 client seen through a dual-stack socket is still that IPv4 client; Python versions
    # and PostgreSQL disagree on how to print the mapped form, so store the plain one.
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


def _utc_text(at) -> str | None:
    if at is None:
        return None
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: dict) -> bytes:
    payload = {name: values.get(name) for name in HASHED_FIELDS}
    payload["scheme"] = payload["scheme"] or CURRENT_SCHEME
    if payload["scheme"] == SCHEME_SM3:
        del payload["scheme"]  # byte-identical to what the first releases hashed
    payload["at"] = _utc_text(payload["at"])
    payload["ip"] = normalise_ip(payload["ip"])
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def _sm3_openssl(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def _sm3_gmssl(data: bytes) -> str:
    from gmssl import sm3

    return sm3.sm3_hash(list(data))


# OpenSSL's SM3 is several hundred times faster than gmssl's pure-Python one, which matters when
# audit_verify walks millions of entries; both give the same digest (tests/audit/test_hashing.py).
sm3_hex = _sm3_openssl if "sm3" in hashlib.algorithms_available else _sm3_gmssl


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    """HMAC (RFC 2104) over SM3, whose block is 64 bytes; written out so the gmssl fallback works too."""
    block = 64
    if len(key) > block:
        key = bytes.fromhex(sm3_hex(key))
    key = key.ljust(block, b"\x00")
    inner = bytes.fromhex(sm3_hex(bytes(b ^ 0x36 for b in key) + data))
    return sm3_hex(bytes(b ^ 0x5C for b in key) + inner)


def audit_key() -> bytes:
    from django.conf import settings

    return settings.AUDIT_HMAC_KEY.encode()


def entry_hash(values: dict) -> str:
    data = canonical(values)
    if (values.get("scheme") or CURRENT_SCHEME) == SCHEME_SM3:
        return sm3_hex(data)
    return hmac_sm3_hex(audit_key(), data)
