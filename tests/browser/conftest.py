"""Helpers for browser tests; the `browser` and `page` fixtures live in tests/conftest.py.

A click that loads a page (a link, a form's submit button) may return before the browser has even
started the request, and `wait_for_load_state()` then sees the old page's load, already fired. Wrap such
a click in `with page.expect_navigation():`, or read with `expect(locator)`, which retries: `count()`,
`is_visible()`, `inner_text()` of something both pages have, `page.url` and the database do not wait."""


def ui_login(page, username: str, password: str, *, succeeds: bool = True) -> None:
    """Sign in through the form. On success it waits until the browser has left the login page:
    `wait_for_load_state()` alone can return before the POST's navigation starts, and a slow
    machine then reads the login page where the test expects the next one."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if succeeds:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state()
