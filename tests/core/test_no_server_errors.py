"""No bad number in a URL is a server error: every route of the URL conf, with ids past bigint
in the path and out-of-range page numbers and ids in the query string, as the office and a clerk.

The routes and the query parameter names are generated (from the resolver and from the views'
source), so a new page is covered without touching this file.
"""

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

import zuofeng

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "9" * 20
# Far past bigint, and 2**63 exactly (the first value PostgreSQL's bigint refuses).
PATH_IDS = [TWENTY_DIGITS, str(2**63)]
QUERY_VALUES = [TWENTY_DIGITS, "-1", "abc"]
# Path parameters that are not ids: a valid-looking word keeps the request on the route.
WORDS = {"slug": "wujin-2018", "key": "star", "direction": "up", "fmt": "pdf", "kind": "xlsx"}
INT_CONVERTERS = ("IntConverter", "BoundedIntConverter")


def _routes(patterns=None, prefix=""):
    """(route, {param: converter class name}) for every endpoint in the URL conf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        converters = dict(getattr(pattern.pattern, "converters", {}))
        if isinstance(pattern, URLResolver):
            for route, inner in _routes(pattern.url_patterns, prefix + str(pattern.pattern)):
                yield route, {**{k: type(v).__name__ for k, v in converters.items()}, **inner}
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), {k: type(v).__name__ for k, v in converters.items()}


def _is_id(name: str, converter: str) -> bool:
    return converter in INT_CONVERTERS or name == "pk" or name.endswith("_id")


def _fill(route: str, converters: dict, id_value: str) -> str:
    def value(match):
        name = match.group("name")
        return id_value if _is_id(name, converters[name]) else WORDS.get(name, "x")

    return "/" + re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", value, route)


ROUTES = sorted(set((route, tuple(sorted(conv.items()))) for route, conv in _routes()))
ID_ROUTES = [(route, dict(conv)) for route, conv in ROUTES if any(_is_id(n, c) for n, c in conv)]
PLAIN_ROUTES = [route for route, conv in ROUTES if not conv]


def _query_names() -> list[str]:
    """Every request.GET key the views read, plus the fields of forms bound to request.GET."""
    names = {"page", "page_size"}
    source = "\n".join(path.read_text() for path in Path(zuofeng.__file__).parent.rglob("*.py"))
    names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?\(\s*[\"'](\w+)", source))
    names |= set(re.findall(r"request\.GET\[[\"'](\w+)", source))
    form_names = set(re.findall(r"(\w+Form|\w+Filter)\(request\.GET", source))
    from django import forms

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for form in subclasses(forms.Form):
        if form.__name__ in form_names:
            names |= set(form.base_fields)
    return sorted(names)


QUERY_NAMES = _query_names()


def _request(client, method: str, url: str, **kwargs):
    """One request in its own savepoint: on PostgreSQL a failed query would abort the test's
    transaction and turn every later request into a 500 as well."""
    savepoint = transaction.savepoint()
    response = getattr(client, method)(url, **kwargs)
    transaction.savepoint_rollback(savepoint)
    return response


@pytest.fixture(params=["office", "own_clerk"])
def caller(request, people, problem_with_measure_home, client_for):
    client = client_for(getattr(people, request.param))
    client.raise_request_exception = False  # collect every failing URL, not just the first
    return client


def test_generated_routes_and_names_cover_the_app():
    # Guards the generators themselves: if they found nothing, the tests below would prove nothing.
    assert len(ID_ROUTES) > 40
    assert len(PLAIN_ROUTES) > 30
    assert {"page", "parent", "unit", "root"} <= set(QUERY_NAMES)


@pytest.mark.parametrize("id_value", PATH_IDS)
def test_huge_ids_in_paths_are_404_not_500(caller, id_value):
    failures = []
    for route, converters in ID_ROUTES:
        url = _fill(route, converters, id_value)
        for method in ("get", "post"):
            # The API reads a JSON body; an empty one would be refused before the id is looked at.
            body = {"data": {}, "content_type": "application/json"} if method == "post" and "api/" in url else {}
            response = _request(caller, method, url, **body)
            if response.status_code >= 500 or response.status_code not in (403, 404, 405, 422):
                failures.append((method, url, response.status_code))
            elif response.status_code == 404 and not any(w in response.content.decode() for w in ("不存在", "未找到")):
                failures.append((method, url, "404 without a Chinese message"))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("value", QUERY_VALUES)
def test_bad_page_numbers_and_ids_in_query_strings_are_never_500(caller, value):
    query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
    failures = []
    for route in PLAIN_ROUTES:
        response = _request(caller, "get", f"/{route}?{query}")
        if route == "readyz" and response.status_code == 503:
            continue  # "not ready" is the probe's answer (no worker in tests), not a crash
        if response.status_code >= 500:
            failures.append((route, response.status_code))
    assert not failures, "\n".join(map(str, failures))
