"""The navbar's menu, drawn once per process for each set of roles.

The menu depends on nothing but the roles held (the `nav` flags of accounts.context_processors) and
the site's URL prefix: ~35 `{% url %}` reversals, a tenth of a list page's CPU when drawn on every
request. The URLs are fixed while the process runs, so the HTML is kept per (roles, prefix); a
person's roles are read on every request (accounts/backends.py), so a role granted or revoked
changes the menu on the next page. Not kept under DEBUG, where templates are edited while serving.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

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
