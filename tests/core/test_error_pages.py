"""Error pages are Chinese and styled for people, JSON in the API's error schema for scripts."""

import json

import pytest
from django.test import Client, RequestFactory

from zuofeng.api.errors import CSRF_FAILED, METHOD_NOT_ALLOWED, NO_SUCH_PATH, SERVER_ERROR
from zuofeng.core import views

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_unknown_page_is_the_chinese_404_page_inside_the_layout(people, client_for):
    html = _html(client_for(people.own_clerk).get("/no-such-page/"))
    assert "页面不存在" in html
    assert "bootstrap.min.css" in html
    assert "Page not found" not in html


def test_refused_page_is_the_chinese_403_page(people, client_for):
    response = client_for(people.own_clerk).get("/organisation/people/new/")
    assert response.status_code == 403
    assert "无权访问" in _html(response)


def test_csrf_failure_on_a_page_is_the_chinese_expired_page_without_javascript_links(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = _html(response)
    assert "页面已过期，请刷新后重试" in html
    assert "javascript:" not in html  # blocked by the Content-Security-Policy


@pytest.mark.urls("tests.core.crash_urls")
def test_crash_on_a_page_is_the_chinese_500_page(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.own_clerk)
    response = client.get("/crash/")
    assert response.status_code == 500
    html = _html(response)
    assert "系统暂时出错" in html
    assert "bootstrap.min.css" in html
    assert "<script" not in html


def test_500_page_renders_without_the_database(django_db_blocker):
    request = RequestFactory().get("/somewhere/")
    with django_db_blocker.block():
        response = views.server_error(request)
    assert response.status_code == 500
    assert "系统暂时出错" in response.content.decode()


# ── the API answers in JSON ────────────────────────────────────────────────


def _json(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_unknown_api_path_is_a_json_404(people, client_for):
    assert _json(client_for(people.office).get("/api/no-such-thing"), 404) == {"detail": NO_SUCH_PATH}
    # also for anonymous callers: the path does not exist whoever asks
    assert _json(Client().get("/api/rectification/nothing/here"), 404) == {"detail": NO_SUCH_PATH}


def test_wrong_method_on_the_api_is_a_json_405_with_allow(people, client_for):
    response = client_for(people.office).delete("/api/units")
    assert _json(response, 405) == {"detail": METHOD_NOT_ALLOWED}
    assert response["Allow"] == "GET"


def test_crash_inside_the_api_is_a_json_500_and_logged(people, client_for, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("zuofeng.api.accounts.assignments", broken)
    client = client_for(people.office)
    client.raise_request_exception = False
    assert _json(client.get("/api/me"), 500) == {"detail": SERVER_ERROR}
    errors = [(r.name, r.getMessage(), r.exc_info and r.exc_info[0]) for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [("django.request", "Internal Server Error: /api/me", RuntimeError)]


@pytest.mark.urls("tests.core.crash_urls")
def test_crash_on_an_api_path_outside_ninja_is_a_json_500(db):
    client = Client(raise_request_exception=False)
    assert _json(client.get("/api/crash"), 500) == {"detail": SERVER_ERROR}


def test_csrf_failure_on_the_api_is_json(people, client_for):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.own_clerk)
    response = client.post("/api/rectification/problems", {}, content_type="application/json")
    assert _json(response, 403) == {"detail": CSRF_FAILED}
    # Django's own CSRF check (the middleware) answers the same under /api/
    response = views.csrf_failure(RequestFactory().post("/api/me"))
    assert (response.status_code, json.loads(response.content)) == (403, {"detail": CSRF_FAILED})


def test_token_page_under_api_keeps_the_web_error_pages(people, client_for):
    response = client_for(people.office).post("/api/tokens/99999999999999999999/revoke/")
    assert response.status_code == 404
    assert "页面不存在" in _html(response)
