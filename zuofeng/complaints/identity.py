"""The reporter's identity at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a key from the environment
(`COMPLAINTS_IDENTITY_KEY`, refused missing in production like AUDIT_HMAC_KEY), so a copy of the
database alone does not name anyone. The phone's digest is a keyed HMAC, for the rate limit."""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.COMPLAINTS_IDENTITY_KEY.encode())


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return "（无法解密：密钥已更换）"


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def phone_digest(phone: str) -> str:
    phone = normalise_phone(phone)
    if not phone:
        return ""
    return hmac.new(settings.COMPLAINTS_IDENTITY_KEY.encode(), phone.encode(), hashlib.sha256).hexdigest()
