"""The page's CSRF token, masked as Django masks it, with one call to the system's random source.

Django masks the secret afresh for every page (BREACH), drawing the 32-character mask one
`SystemRandom.choice` at a time and indexing characters with `str.index`: ~400 Python calls, a tenth of
a cached list page's (decisions §55). Here the mask is drawn from one `os.urandom` read (bytes taken
modulo 62 only below 248, so every character stays equally likely) and combined through a lookup
table. The token has Django's form exactly (mask + secret shifted by the mask, 64 characters of
CSRF_ALLOWED_CHARS), and CsrfViewMiddleware checks it unchanged.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_CHARS = CSRF_ALLOWED_CHARS
_BASE = len(_CHARS)
_INDEX = {char: position for position, char in enumerate(_CHARS)}
_UNBIASED_BELOW = 256 - 256 % _BASE


def _mask() -> list[int]:
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:  # 64 bytes yield ~62 usable: one read almost always
        mask += [byte % _BASE for byte in os.urandom(2 * CSRF_SECRET_LENGTH) if byte < _UNBIASED_BELOW]
    return mask[:CSRF_SECRET_LENGTH]


def csrf_token_masked(request) -> str:
    """What django.middleware.csrf.get_token returns, and with the same effect on the request: the
    cookie is sent again (its expiry renewed). A request without a secret yet goes to Django's."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or len(secret) != CSRF_SECRET_LENGTH or any(char not in _INDEX for char in secret):
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _mask()
    shifted = [_CHARS[(_INDEX[char] + offset) % _BASE] for char, offset in zip(secret, mask, strict=True)]
    return "".join([_CHARS[offset] for offset in mask] + shifted)


def csrf(request) -> dict:
    """Context processor: `csrf_token` as Django's built-in one gives it (lazily: a page without a form
    sets no cookie), masked by csrf_token_masked. Listed after Django's, so it is this one pages see."""
    return {"csrf_token": SimpleLazyObject(lambda: csrf_token_masked(request))}
