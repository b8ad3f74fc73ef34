"""The API documentation page works in a real browser from local files, under a strict
Content-Security-Policy (no inline script), and is reached from the user menu."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ui_login
from zuofeng.api.api import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


def _with_csp(route):
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})


def test_docs_page_renders_every_operation_under_a_strict_csp(page, live_server, people, password):
    violations, outside = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.route("**/api/docs", _with_csp)

    ui_login(page, "office", password)
    page.get_by_test_id("current-user").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name="接口文档").click()
    page.locator(".opblock").first.wait_for(timeout=30_000)  # 110 operations, on a busy machine

    assert page.url == f"{live_server.url}/api/docs"
    assert page.locator(".info .title").inner_text().startswith("作风效能专项活动管理平台 API")
    # one block per operation of the document (110 when issue 15's API and the new domains landed)
    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)  # the first block is drawn before the last
    assert violations == []
    assert outside == []
