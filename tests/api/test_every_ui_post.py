"""Every action a person takes on a page (each POST the UI accepts) has an API operation.

The UI's POST endpoints are found by walking the URL conf: a view accepts POST when its source,
or the source of a same-module helper it calls, reads `request.POST` / `request.FILES` or names
"POST" (`@require_POST`, `request.method == "POST"`). Each app declares the API operation for its
routes in `<app>/api_counterparts.py` (`COUNTERPARTS`), or says why there is none (`UI_ONLY`). A new
app adds that module with its own entries; this test then holds it to them.
"""

import importlib
import inspect
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from zuofeng.api.api import api

# Routes of the API's own URL conf are the API itself; the token pages under /api/tokens/ are pages.
API_PREFIX = "api/"
TOKEN_PAGES = "api/tokens/"
POST_MARKS = ("request.POST", "request.FILES", '"POST"', "@require_POST")
# Pages (GET) whose module helper also serves a POST elsewhere, so the walk would count them.
NOT_POST = {
    "rectification:dashboard": "_root_id() reads root from GET or POST because the export POST shares it",
    "rectification:milestone": "_tracking_campaign() reads the campaign from GET or POST because 催办 shares it",
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern.callback


def _accepts_post(view) -> bool:
    function = inspect.unwrap(view)
    module = inspect.getmodule(function)
    seen, queue = set(), [function]
    while queue:
        current = queue.pop()
        seen.add(current)
        source = inspect.getsource(current)
        if any(mark in source for mark in POST_MARKS):
            return True
        for name in set(re.findall(r"\b(_?[a-z]\w*)\(", source)):
            helper = getattr(module, name, None)
            if inspect.isfunction(helper) and helper.__module__ == module.__name__ and helper not in seen:
                queue.append(helper)
    return False


def ui_post_routes() -> dict[str, str]:
    routes = {}
    for route, name, view in _walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX) and not route.startswith(TOKEN_PAGES):
            continue
        if name not in NOT_POST and _accepts_post(view):
            routes[name] = route
    return routes


def declared() -> tuple[dict[str, str], dict[str, str]]:
    counterparts, ui_only = {}, {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.api_counterparts")
        except ModuleNotFoundError:
            continue
        counterparts.update(module.COUNTERPARTS)
        ui_only.update(module.UI_ONLY)
    return counterparts, ui_only


def api_operations() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, operations in paths.items() for method in operations}


def test_the_walk_finds_the_ui_posts():
    # Guards the finder itself: forms handled in a helper, @require_POST and method checks are all seen.
    routes = ui_post_routes()
    assert {"organisation:unit_create", "rectification:ledger_open", "nominations:submit"} <= set(routes)
    assert "rectification:dashboard" not in routes
    assert len(routes) > 60


def test_every_ui_post_has_an_api_operation_or_a_reason():
    counterparts, ui_only = declared()
    missing = sorted(set(ui_post_routes()) - set(counterparts) - set(ui_only))
    assert missing == [], f"UI POST routes with no API operation declared in <app>/api_counterparts.py: {missing}"


def test_declared_operations_exist():
    counterparts, _ = declared()
    operations = api_operations()
    assert sorted(op for op in counterparts.values() if op not in operations) == []


def test_declarations_name_real_routes_and_only_once():
    counterparts, ui_only = declared()
    names = {name for _route, name, _view in _walk(get_resolver().url_patterns)}
    assert sorted((set(counterparts) | set(ui_only)) - names) == []
    assert sorted(set(counterparts) & set(ui_only)) == []


@pytest.mark.parametrize("name", sorted(declared()[1]))
def test_every_exception_says_why(name):
    assert len(declared()[1][name]) > 20
