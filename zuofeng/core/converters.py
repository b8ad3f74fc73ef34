"""Ids in URL paths: `<int:pk>` bounded to PostgreSQL's bigint.

Django's `int` converter accepts any run of digits; a 20-digit id then reaches the database,
where it is an OverflowError (SQLite) or a DataError (PostgreSQL) on some lookups — a 500.
Django 5.1 deprecated re-registering the built-in `int` converter, so instead of overriding it
zuofeng/urls.py swaps it, once at import, in every route of the URL conf (bound_int_paths).
"""

from django.urls import URLResolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from zuofeng.core.ids import MAX_ID


class BoundedIntConverter(IntConverter):
    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # Django reads ValueError as "no match": a 404
        return number


BOUNDED_INT = BoundedIntConverter()


def bound_int_paths(patterns) -> None:
    """Give every `<int:…>` in these routes (and the routes they include) the bounded converter."""
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            # A new dict: _route_to_regex caches and shares one dict between identical routes.
            pattern.converters = {
                name: BOUNDED_INT if type(converter) is IntConverter else converter
                for name, converter in pattern.converters.items()
            }
        if isinstance(entry, URLResolver):
            bound_int_paths(entry.url_patterns)
