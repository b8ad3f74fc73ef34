"""A page drawn once around a kept piece: base.html's frame — head, navbar, footer, scripts — kept per
process for each way it looks, with a slot where the piece goes and slots for the CSRF token.

Why: with its content kept (the list page's part, decisions §52) and the navbar kept (§54), a page
still walked base.html and its child template on every request — ~1 ms of a ~4 ms list page hit.
The frame follows from what the child template shows besides the piece (`shown`: the title), the
navbar's key (name, role assignments as shown, roles, unread count, URL prefix, all read on every
request), the template and the year in the footer, so the key holds them; it is drawn from `shown`
and a placeholder piece alone, so nothing else of the request can enter it. A request with messages
to show (after a redirect) and every request under DEBUG are drawn in full.
"""

import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from zuofeng.accounts.context_processors import roles
from zuofeng.core.csrf import csrf_token_masked
from zuofeng.core.kept import Kept
from zuofeng.core.pieces import CSRF_SLOT, piece_fill
from zuofeng.core.templatetags.nav import navbar_key

PIECE_SLOT = f"zfpiece{secrets.token_hex(16)}"
_frames = Kept(keep=1024)


def framed(request, template: str, *, shown: dict, part: dict) -> HttpResponse:
    """What `render(request, template, {**shown, "part": part})` answers, for a template that shows
    `part` with `{% piece part %}` and otherwise only `shown` (hashable values)."""
    context = {**shown, "part": part}
    if settings.DEBUG or len(get_messages(request)):
        return render(request, template, context)
    navbar = navbar_key({"user": request.user, "request": request, **roles(request)})
    key = (template, tuple(sorted(shown.items())), navbar, timezone.localdate().year)
    frame = _frames.get(key)
    if frame is None:
        drawing = {**shown, "part": {"body": PIECE_SLOT, "slot": CSRF_SLOT}, "csrf_token": CSRF_SLOT, "messages": ()}
        drawn = render_to_string(template, drawing, request)
        frame = tuple(drawn.split(PIECE_SLOT))
        _frames.put(key, frame)
    token = csrf_token_masked(request)
    piece = piece_fill(html=part["body"], token=token, slot=part["slot"])
    return HttpResponse(piece.join(piece_fill(html=around, token=token) for around in frame))
