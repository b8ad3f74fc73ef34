import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from ninja.errors import AuthorizationError, HttpError

from zuofeng.accounts.models import ApiToken
from zuofeng.api.api import api
from zuofeng.api.auth import SessionAuth, user_for_token

ENDPOINTS = [
    "/api/me",
    "/api/units",
    "/api/units/1",
    "/api/people",
    "/api/people/1",
    "/api/campaigns",
    "/api/campaigns/wujin-2018",
    "/api/openapi.json",
    "/api/docs",
]
READ_ONLY = [path for path in ENDPOINTS if path not in ("/api/openapi.json", "/api/docs")]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_anonymous_is_401_in_chinese(client, db, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("未登录或令牌无效")
    assert response["WWW-Authenticate"] == 'Bearer realm="zuofeng"'


@pytest.mark.parametrize("path", READ_ONLY)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_path_unsafe_method_is_405(people, client_for, path, method):
    response = getattr(client_for(people.office), method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_me_with_session_lists_roles_with_units(people, org, client_for):
    response = client_for(people.own_clerk).get("/api/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "clerk_a1",
        "name": "clerk_a1姓名",
        "person_id": people.own_clerk.person_id,
        "roles": [
            {
                "role": "section_clerk",
                "role_label": "科室填报员",
                "unit_id": org.section_a1.pk,
                "unit_name": "预算科",
                "include_subtree": False,
            }
        ],
    }


def test_me_for_districtwide_role_has_no_unit(people, client_for):
    roles = client_for(people.office).get("/api/me").json()["roles"]
    assert roles == [
        {"role": "office", "role_label": "作风办", "unit_id": None, "unit_name": None, "include_subtree": False}
    ]


def test_me_with_token_authenticates_as_owner(people, bearer_client):
    response = bearer_client(people.reviewer).get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "leader_a"


def test_token_use_records_last_used_at(people, token_for):
    raw = token_for(people.office)
    assert ApiToken.objects.get().last_used_at is None
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert ApiToken.objects.get().last_used_at is not None


def test_token_is_stored_only_as_its_sha256(people, token_for):
    raw = token_for(people.office)
    token = ApiToken.objects.get()
    assert token.token_hash == ApiToken.hash(raw)
    assert raw not in (token.token_hash, token.prefix, token.name)
    assert token.prefix == raw[:8]


def test_revoked_token_is_401(people, token_for):
    raw = token_for(people.office)
    ApiToken.objects.update(revoked=True)
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.status_code == 401


def test_token_of_inactive_user_is_401(people, token_for):
    raw = token_for(people.office)
    people.office.is_active = False
    people.office.save()
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer zf_not-a-real-token", "Bearer ", "Bearer abc", "Token zf_x", "Basic eDp5"])
def test_bad_authorization_header_is_401(db, header):
    assert Client(headers={"Authorization": header}).get("/api/me").status_code == 401


def test_user_for_token_rejects_empty_and_foreign_strings(db):
    assert user_for_token("") is None
    assert user_for_token("ghp_abcdef") is None


def test_bad_token_falls_back_to_valid_session(people):
    client = Client(headers={"Authorization": "Bearer zf_wrong"})
    client.force_login(people.office)
    assert client.get("/api/me").json()["username"] == "office"


def test_session_of_inactive_user_is_401(people, client_for):
    client = client_for(people.office)
    people.office.is_active = False
    people.office.save()
    assert client.get("/api/me").status_code == 401


def test_openapi_json_is_valid_and_lists_paths(people, client_for):
    response = client_for(people.own_clerk).get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"] == {
        "title": "作风效能专项活动管理平台 API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert {
        path
        for path in schema["paths"]
        # each domain router's own tests list its paths
        if not path.startswith(
            (
                "/api/rectification/",
                "/api/nominations",
                "/api/supervision/",
                "/api/notices",
                "/api/bulletins",
                "/api/info",
                "/api/projects",
                "/api/initiatives",
                "/api/activities",
                "/api/complaints",
                "/api/public/",
                "/api/assessment/",
            )
        )
    } == {
        "/api/me",
        "/api/units",
        "/api/units/{unit_id}",
        "/api/units/{unit_id}/reviewer",
        "/api/units/{unit_id}/move",
        "/api/reminders",
        "/api/reminders/{reminder_id}/read",
        "/api/people",
        "/api/people/{person_id}",
        "/api/campaigns",
        "/api/campaigns/{slug}",
    }
    assert {"/api/rectification/ledgers", "/api/rectification/measures/{measure_id}"} <= set(schema["paths"])
    assert schema["components"]["schemas"]["PersonOut"]["properties"]["phone"]["description"] == (
        "联系电话；无权查看时为 null"
    )
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_openapi_json_with_token(people, bearer_client):
    assert bearer_client(people.office).get("/api/openapi.json").status_code == 200


def test_docs_disabled_while_ninja_is_not_an_installed_app(people, client_for, settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "ninja"]
    response = client_for(people.office).get("/api/docs")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("接口文档页面未启用")


def test_docs_served_from_local_files_when_ninja_installed(people, client_for, settings):
    if "ninja" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ninja"]
    response = client_for(people.office).get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html
    assert "https://" not in html
    assert "cdn" not in html.lower()


def test_unknown_query_parameter_type_is_422_in_chinese(people, client_for):
    response = client_for(people.office).get("/api/units?parent=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数不正确。"
    assert body["errors"][0]["loc"] == ["query", "parent"]


def test_user_without_any_role_gets_403_on_campaigns(db, client_for):
    from tests.factories import make_user

    response = client_for(make_user("nobody")).get("/api/campaigns")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权访问此项内容。"}


def test_session_auth_checks_csrf_on_unsafe_methods(people):
    request = RequestFactory().post("/api/me")
    request.user = people.office
    response = api.on_exception(request, _raised(lambda: SessionAuth()(request)))
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "CSRF 校验失败：请刷新页面后重试；脚本调用请改用接口令牌。"}


def test_session_auth_safe_method_returns_user(people):
    request = RequestFactory().get("/api/me")
    request.user = people.office
    assert SessionAuth()(request) == people.office


@pytest.mark.parametrize(
    ("exc", "status", "detail"),
    [
        (PermissionDenied(), 403, "您的角色无权访问此项内容。"),
        (AuthorizationError(), 403, "您的角色无权访问此项内容。"),
        (HttpError(429, "请求过于频繁"), 429, "请求过于频繁"),
    ],
)
def test_errors_rendered_as_chinese_json(db, exc, status, detail):
    response = api.on_exception(RequestFactory().get("/api/me"), exc)
    assert response.status_code == status
    assert json.loads(response.content) == {"detail": detail}


def _raised(call):
    try:
        call()
    except Exception as exc:
        return exc
    raise AssertionError("expected an exception")
