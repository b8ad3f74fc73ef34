"""The OpenAPI document promises what the API answers: every operation documents 401, 403, 404
and 422 in the one error schema, every schema name stands for one class, and every path id and
integer query parameter past bigint is a 422 in Chinese — checked from the document itself."""

import collections
import enum
import json
import typing

import pydantic
import pytest

from zuofeng.api.api import api
from zuofeng.api.pagination import MAX_PAGE

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(json.dumps(api.get_openapi_schema(), default=str))
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]
BAD_INTEGERS = ["99999999999999999999", str(2**63), "-1", "0", "abc"]


def _ref(operation, status: str) -> str:
    return operation["responses"][status]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


# Operations anyone may call without signing in (no 401 or 403 to document): the public case
# status by 查询码 (complaints), which answers 404 for an unknown code and nothing else.
PUBLIC = {"GET /api/public/complaints/{code}"}


def test_every_operation_documents_the_common_errors():
    documented = {
        f"{method} {path}": {status: _ref(op, status) for status in ("401", "403", "404", "422")}
        for method, path, op in OPERATIONS
        if f"{method} {path}" not in PUBLIC
    }
    expected = {"401": "ErrorOut", "403": "ErrorOut", "404": "ErrorOut", "422": "ValidationErrorOut"}
    assert {key: value for key, value in documented.items() if value != expected} == {}


def test_public_operations_need_no_sign_in_and_document_their_404():
    public = {f"{method} {path}": op for method, path, op in OPERATIONS if "security" not in op}
    assert set(public) == PUBLIC
    assert all("404" in op["responses"] for op in public.values())


def test_error_schemas_describe_the_bodies():
    components = SCHEMA["components"]["schemas"]
    assert components["ErrorOut"]["required"] == ["detail"]
    assert components["ValidationErrorOut"]["required"] == ["detail", "errors"]
    assert components["ValidationErrorOut"]["properties"]["errors"]["type"] == "array"


def _models(annotation, seen):
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel | enum.Enum):
        if annotation in seen:
            return
        seen.add(annotation)
        if issubclass(annotation, pydantic.BaseModel):
            for field in annotation.model_fields.values():
                _models(field.annotation, seen)
    for argument in typing.get_args(annotation):
        _models(argument, seen)


def test_schema_names_are_unique():
    # Ninja names a component after its class; two classes of one name would silently share one
    # entry, and responses of one of them would not match the document.
    seen = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _models(model, seen)
    published = set(SCHEMA["components"]["schemas"])
    names = collections.Counter(model.__name__ for model in seen if model.__name__ in published)
    assert [name for name, count in names.items() if count > 1] == []
    assert {"AwardOut", "AwardStandingOut", "PageIn"} <= published


def _integer_parameters():
    for method, path, op in OPERATIONS:
        for parameter in op.get("parameters", []):
            schema = parameter["schema"]
            types = {schema.get("type")} | {branch.get("type") for branch in schema.get("anyOf", [])}
            if "integer" in types:
                yield method, path, parameter["in"], parameter["name"]


INTEGER_PARAMETERS = list(_integer_parameters())


def test_integer_parameters_found_in_the_document():
    places = collections.Counter(place for _, _, place, _ in INTEGER_PARAMETERS)
    assert places["path"] >= 20
    assert places["query"] >= 10


@pytest.mark.parametrize("value", BAD_INTEGERS)
def test_every_bad_integer_parameter_is_a_422_in_chinese(people, bearer_client, value):
    client = bearer_client(people.office)
    failures = []
    for method, path, place, name in INTEGER_PARAMETERS:
        url = path.replace("{" + name + "}", value) if place == "path" else f"{path}?{name}={value}"
        body = {"data": {}, "content_type": "application/json"} if method != "GET" else {}
        response = getattr(client, method.lower())(url, **body)
        if response.status_code != 422 or response.json()["detail"] != "请求参数不正确。":
            failures.append((method, url, response.status_code))
    assert failures == []


def test_page_beyond_the_bound_is_422_and_within_it_an_empty_page(people, client_for):
    client = client_for(people.office)
    assert client.get(f"/api/units?page={MAX_PAGE}").json()["items"] == []
    response = client.get(f"/api/units?page={MAX_PAGE + 1}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "page"]
