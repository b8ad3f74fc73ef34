"""The office and a section clerk log in with a real browser and see what their roles allow."""

import pytest

from tests.browser.conftest import ui_login


def open_menu(page, menu: str, item: str) -> None:
    """Click a top-menu dropdown, then one of its items, as a person would."""
    page.locator("#zf-nav").get_by_role("button", name=menu, exact=True).click()
    # Until the new page has loaded, <main> is the old page's: wait for it, not for a load that already was.
    with page.expect_navigation():
        page.locator(".dropdown-menu.show").get_by_role("link", name=item, exact=True).click()


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_sees_every_unit_in_browser(page, people, password):
    ui_login(page, "office", password)
    assert page.get_by_role("heading", name="我的工作").is_visible()
    assert page.get_by_test_id("office-card").is_visible()
    open_menu(page, "单位", "单位")
    assert "外贸科" not in page.locator("main").inner_text()
    page.get_by_role("button", name="展开武进区商务局的下级单位").click()
    page.get_by_text("外贸科").wait_for()
    body = page.locator("main").inner_text()
    assert "武进区财政局" in body
    assert "外贸科" in body


def test_section_clerk_sees_only_own_section_in_browser(page, people, org, password):
    ui_login(page, "clerk_a1", password)
    assert page.get_by_role("heading", name="我的工作").is_visible()
    assert page.get_by_test_id("my-units-card").inner_text().count("预算科") == 1
    assert page.get_by_test_id("office-card").count() == 0
    open_menu(page, "单位", "单位")
    body = page.locator("main").inner_text()
    assert "预算科" in body
    assert "外贸科" not in body
    assert "国库科" not in body
    response = page.goto(f"/organisation/units/{org.section_b1.pk}/")
    assert response.status == 404


def test_login_failure_message_in_browser(page, people):
    ui_login(page, "clerk_a1", "wrong-password", succeeds=False)
    assert "用户名或密码错误" in page.get_by_test_id("login-error").inner_text()
