"""Under the real Content-Security-Policy a page load logs no violation: nothing inline is blocked."""

import pytest

from tests.browser.conftest import ui_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script and outside the page's policy, so it sees every violation.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.add_init_script(RECORD_VIOLATIONS)
    return errors


@pytest.mark.parametrize(
    ("username", "urls"),
    [
        ("office", ["/", "/campaigns/", "/organisation/units/", "/rectification/dashboard/", "/api/docs"]),
        ("clerk_a1", ["/", "/rectification/ledgers/", "/api/tokens/"]),
        ("secadmin", ["/accounts/security/", "/api/tokens/all/", "/accounts/admin-changes/"]),
    ],
)
def test_pages_load_without_csp_violations(page, people, problem_with_measure_home, password, username, urls):
    errors = _watch(page)
    ui_login(page, username, password)
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], url
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_htmx_swap_and_data_behaviours_work_under_the_policy(page, people, org, password):
    errors = _watch(page)
    ui_login(page, "office", password)
    page.goto("/organisation/units/")
    expand = page.get_by_role("button", name="展开武进区商务局的下级单位")
    expand.click()
    page.get_by_text("外贸科").wait_for()
    expand.wait_for(state="detached")  # data-remove-after-request, formerly an hx-on handler
    assert page.evaluate("window.__csp") == []
    hidden = "(() => { const d = document.body.appendChild(document.createElement('span'));"
    hidden += " d.className = 'htmx-indicator'; return getComputedStyle(d).opacity; })()"
    assert page.evaluate(hidden) == "0"  # the indicator rules come from htmx-indicators.css
    assert [e for e in errors if "Content Security Policy" in e] == []
