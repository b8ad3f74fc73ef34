"""The navbar, its menu, URLs and static files' URLs, each drawn or looked up once per process.

The menu depends on nothing but the roles held (the `nav` flags of accounts.context_processors) and
the site's URL prefix: ~35 `{% url %}` reversals, a tenth of a list page's CPU when drawn on every
request. The URLs are fixed while the process runs, so the HTML is kept per (roles, prefix); a
person's roles are read on every request (accounts/backends.py), so a role granted or revoked
changes the menu on the next page. Not kept under DEBUG, where templates are edited while serving.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from zuofeng.core.kept import Kept
from zuofeng.core.pieces import CSRF_SLOT, piece_fill

register = template.Library()

_drawn: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def nav_menu(context) -> SafeString:
    nav = context.get("nav") or {}
    key = (frozenset(name for name, held in nav.items() if held), get_script_prefix())
    html = _drawn.get(key)
    if html is None:
        html = mark_safe(render_to_string("includes/nav_items.html", {"nav": nav}))
        if not settings.DEBUG:
            _drawn[key] = html
    return html


# {% fixed_url %}: a URL's shape, reversed once per process, URL conf and prefix, with integer
# arguments put in by replacing a sentinel (every page's base.html reversed six URLs: ~0.4 ms a page).
_SENTINEL = 7_290_000_011
_shapes: dict[tuple, str] = {}


@register.simple_tag
def fixed_url(name: str, *args: int) -> str:
    """As {% url name args %} for integer arguments (ids), without reversing on each request."""
    if any(type(arg) is not int for arg in args):
        return reverse(name, args=args)
    key = (name, len(args), get_script_prefix(), get_urlconf())
    shape = _shapes.get(key)
    if shape is None:
        try:
            shape = _shapes[key] = reverse(name, args=[_SENTINEL + i for i in range(len(args))])
        except NoReverseMatch:  # a pattern that takes no number this long: reverse each time
            return reverse(name, args=args)
    for i, arg in enumerate(args):
        shape = shape.replace(str(_SENTINEL + i), str(arg), 1)
    return shape


# {% fixed_static %}: a static file's URL, looked up once per process. The manifest (hashed names) is
# fixed while the process runs; base.html's eleven {% static %} lookups cost ~0.25 ms a page.
_static: dict[str, str] = {}


@register.simple_tag
def fixed_static(path: str) -> str:
    """As {% static path %}, kept per process (not under DEBUG, where files change while serving)."""
    url = _static.get(path)
    if url is None:
        url = static(path)
        if not settings.DEBUG:
            _static[path] = url
    return url


# {% navbar %}: the whole navbar, drawn once per process for each way it can look. It shows the
# person's name, their role assignments, the menu for their roles and the unread reminders count, all
# read on every request (accounts/backends.py), so the key holds them and a change shows on the next
# page; the logout form's CSRF token is put in per request (core/pieces.py). ~700 calls a page.
_navbars = Kept(keep=1024)


def navbar_key(context) -> tuple | None:
    """Everything the navbar shows, read from a template context (None: nobody signed in)."""
    from zuofeng.reminders.templatetags.reminder_tags import unread_reminders

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None
    held = frozenset(name for name, on in (context.get("nav") or {}).items() if on)
    names = tuple(str(a) for a in context.get("my_assignments") or ())
    return (user.display_name, names, held, unread_reminders(context, user), get_script_prefix())


@register.simple_tag(takes_context=True)
def navbar(context) -> SafeString:
    key = navbar_key(context)
    if key is None:
        return mark_safe("")
    html = _navbars.get(key)
    if html is None:
        # Drawn from the key's values alone, so nothing outside the key can enter the piece.
        name, names, held, unread, _prefix = key
        shown = {"display_name": name, "my_assignments": names, "nav": dict.fromkeys(held, True), "unread_n": unread}
        html = render_to_string("includes/navbar.html", {**shown, "csrf_token": CSRF_SLOT})
        if not settings.DEBUG:
            _navbars.put(key, html)
    return piece_fill(html=html, token=context.get("csrf_token") or "")


@register.simple_tag(takes_context=True)
def piece(context, part: dict) -> SafeString:
    """`{% piece part %}`: a kept piece's HTML (`part["body"]`, drawn with `part["slot"]` for the CSRF
    token, core/pieces.py) with this request's token put in."""
    return piece_fill(html=part["body"], token=context.get("csrf_token") or "", slot=part["slot"])
