"""Every form of every role lays out on an office PC (1366×800) and on a phone (390×844).

The pages are those tests/pages.py reaches from the URL conf and the demo district as each demo
role (htmx edit forms are opened by clicking the button that loads them). On each, in a real
Chromium, the page must not scroll sideways, and inside each visible form no two of its labels,
inputs, selects, textareas and buttons may overlap, no control may be narrower than four
characters, and no label or button may have its text broken into a column narrower than four
characters; on the whole page, no table column may be squeezed to a character or two wide.

The ledger pages and their row forms are checked in a case of their own per width.

Set LAYOUT_SCREENSHOTS=/some/dir to keep a screenshot of every page checked.
"""

import os
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

from tests import pages
from tests.browser.conftest import ui_login
from zuofeng.organisation.demo_data import DEMO_PASSWORD

demo = pages.demo
# Not pytest-django's live_server: it makes every case transactional, and the flush after each
# would throw away the demo that `demo` commits once for the whole module.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
WIDTHS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("LAYOUT_SCREENSHOTS", "")
CHECKED: Counter = Counter()  # forms checked per width, for the closing line

# Runs in the page; returns what is wrong, in words, for the forms matched by `selector`.
CHECK = """
({selector}) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= doc.clientWidth + 1)
      .slice(0, 3).map(describe);
    problems.push(`页面横向溢出：${doc.scrollWidth}px > ${doc.clientWidth}px（${wide.join('；')}）`);
  }
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && el.closest('[hidden], .d-none') === null;
  };
  function describe(el) {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 12);
    const css = el.className ? ' .' + String(el.className).split(' ')[0] : '';
    return `<${el.tagName.toLowerCase()}${el.name ? ' name=' + el.name : ''}${css}>${text}`;
  }
  // How many lines an element's text is broken into.
  function lines(el) {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  }
  const squeezed = [...document.querySelectorAll('main td, main th')].filter((cell) => {
    const font = parseFloat(getComputedStyle(cell).fontSize);
    return visible(cell) && cell.getBoundingClientRect().width < 3 * font && lines(cell) > 2;
  });
  if (squeezed.length) {
    const some = squeezed.slice(0, 3).map((c) => `${describe(c)}（${Math.round(c.getBoundingClientRect().width)}px）`);
    problems.push(`表格列被挤成竖排 ${squeezed.length} 处：${some.join('；')}`);
  }
  const forms = [...document.querySelectorAll(selector)].filter((f) => !f.closest('nav') && visible(f));
  for (const form of forms) {
    const parts = [...form.querySelectorAll('label, input:not([type=hidden]), select, textarea, button')]
      .filter(visible);
    const rects = parts.map((el) => el.getBoundingClientRect());
    for (let i = 0; i < parts.length; i++) {
      const el = parts[i], r = rects[i];
      const font = parseFloat(getComputedStyle(el).fontSize);
      const box = el.type === 'checkbox' || el.type === 'radio';
      if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && !box && r.width < 4 * font) {
        problems.push(`控件过窄（${Math.round(r.width)}px < 4 字）：${describe(el)}`);
      }
      if (['LABEL', 'BUTTON'].includes(el.tagName) && r.width < 4 * font && lines(el) > 1) {
        problems.push(`文字被挤成窄列（${Math.round(r.width)}px 宽，${lines(el)} 行）：${describe(el)}`);
      }
      for (let j = i + 1; j < parts.length; j++) {
        const other = parts[j], o = rects[j];
        if (el.contains(other) || other.contains(el)) continue;
        const dx = Math.min(r.right, o.right) - Math.max(r.left, o.left);
        const dy = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
        if (dx > 2 && dy > 2) problems.push(`元素重叠：${describe(el)} 与 ${describe(other)}`);
      }
    }
  }
  return {forms: forms.length, problems};
}
"""


@pytest.fixture(scope="module")
def crawls(demo):
    """Every role's pages, crawled before any case opens its transaction: the crawl's writes
    (sessions, last login, audit entries) are committed then, so on PostgreSQL they cannot hold
    locks the live server's own connection waits for when the browser logs in."""
    return {role: pages.crawl(role) for role in pages.ROLES}


@pytest.fixture(scope="module")
def server(demo):
    live = LiveServer("localhost")
    yield live
    live.stop()


@pytest.fixture
def tab_for(browser, server):
    """A logged-in tab (one context) for the role at the width; every page of the case reuses it."""
    contexts = []

    def open_tab(role: str, width: str):
        context = browser.new_context(base_url=server.url, locale="zh-CN", viewport=WIDTHS[width])
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        if role != pages.ANONYMOUS:
            ui_login(tab, role, DEMO_PASSWORD)
            assert "/accounts/login/" not in tab.url, f"{role} could not log in"
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    line = "布局检查的表单数：" + "，".join(f"{w} {WIDTHS[w]['width']}px {CHECKED[w]} 个" for w in WIDTHS)
    with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        print(f"\n{line}")


def layout_problems(tab, page: pages.FormPage, width: str) -> list[str]:
    tab.goto(page.url)
    tab.wait_for_load_state()
    # A redirect (to 修改密码, to the login page) would check some other page's form instead.
    assert urlsplit(tab.url).path == urlsplit(page.url).path, f"{page.url} opened {tab.url}"
    selector = "form"
    if page.fragment:
        selector = f'form[action="{page.fragment}"], form[hx-post="{page.fragment}"]'
        # The ledger page may already show the form open (the next entry row after a save);
        # otherwise the button that loads it is clicked, as a user would.
        if not tab.locator(selector).filter(visible=True).count():
            tab.locator(f'[hx-get="{page.fragment}"] >> visible=true').first.click()
            tab.wait_for_selector(selector)
        tab.wait_for_load_state("networkidle")
    result = tab.evaluate(CHECK, {"selector": selector})
    CHECKED[width] += result["forms"]
    CHECKED[(page.role, width, page.is_ledger)] += bool(page.forms) and result["forms"] > 0
    if SHOTS:
        name = f"{page.role}-{width}-{page.route.replace(':', '_')}-{CHECKED[width]}.png"
        tab.screenshot(path=str(Path(SHOTS) / name), full_page=True)
    return [f"{page.url}{' → ' + page.fragment if page.fragment else ''}：{p}" for p in result["problems"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", pages.ROLES)
def test_forms_lay_out(crawls, tab_for, role, width):
    crawl = crawls[role]
    chosen = [p for p in crawl.pages if not p.is_ledger]
    # On a phone, the pages without a form (home, lists, dashboards) must not scroll sideways either.
    plain = [p for p in crawl.plain if not p.is_ledger] if width == "phone" else []
    assert_lays_out(tab_for, role, width, chosen, plain)


@pytest.mark.parametrize("width", WIDTHS)
def test_ledger_forms_lay_out(crawls, tab_for, width):
    """Every role's ledger pages and htmx row forms (problem, measure, their edits), and on a phone
    the ledger pages without a form (the list), which must not scroll sideways or squeeze columns."""
    problems, unseen = [], []
    for role in pages.ROLES:
        chosen = [p for p in crawls[role].pages if p.is_ledger]
        plain = [p for p in crawls[role].plain if p.is_ledger] if width == "phone" else []
        if chosen or plain:
            tab = tab_for(role, width)
            problems += [
                f"{role} {problem}" for page in chosen + plain for problem in layout_problems(tab, page, width)
            ]
        if CHECKED[(role, width, True)] != len(chosen):
            unseen.append(role)
    assert not problems, "\n".join(problems)
    assert not unseen, f"a ledger page showed no visible form: {unseen}"


def assert_lays_out(tab_for, role: str, width: str, chosen: list, plain: list) -> None:
    tab = tab_for(role, width)
    problems = [problem for page in chosen + plain for problem in layout_problems(tab, page, width)]
    assert not problems, "\n".join(problems)
    assert CHECKED[(role, width, False)] == len(chosen), "a page showed no visible form"
