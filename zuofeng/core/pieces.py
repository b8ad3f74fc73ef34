"""Pieces of a page drawn once and kept per process, with each request's CSRF token put in.

A piece (a person's navbar, a list's heading and table) holds forms, so it holds a CSRF token, and
the token is the viewer's, masked afresh on every request. A piece is therefore drawn with a slot
where the token goes — a random string of this process, never sent to anyone — and each request
fills the slot with its own token. A slot cannot be forged from user text (the text would have to
guess 128 random bits), and a piece kept in a cache shared between processes carries its own slot.
Pieces kept in a process's memory are kept in core/kept.Kept.
"""

import secrets

from django.utils.safestring import SafeString, mark_safe

CSRF_SLOT = f"zfcsrf{secrets.token_hex(16)}"


def piece_fill(*, html: str, token: str, slot: str = CSRF_SLOT) -> SafeString:
    """The piece as this request sends it: its slot replaced by the request's CSRF token."""
    return mark_safe(html.replace(slot, str(token)))  # a drawn template; the token is [A-Za-z0-9]
