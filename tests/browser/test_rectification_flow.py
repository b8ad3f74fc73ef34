"""The whole 找差整改 round in a real browser, as the issue's acceptance test describes it.

A section clerk enters two problems with measures, the unit submits, the reviewer (leader of
the parent unit) returns one item with a comment, the clerk fixes it and resubmits, the reviewer
approves, the clerk reports progress and asks for close-out with evidence, the reviewer
verifies (销号), and the measure's light goes from yellow to closed on the measure page, the
ledger page and the dashboard.

The live server runs in another thread, where a frozen clock does not reach, so every date is
relative to today: the measure runs from today to today + 5 days, which is yellow (due within
7 days) from the moment it is approved.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ui_login
from tests.rectification import conftest as rectification_fixtures
from zuofeng.core import clock
from zuofeng.rectification.demo import demo_pdf
from zuofeng.rectification.models import ItemReview, Ledger, LedgerState, Light, Measure, MeasureState, Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

campaign, ledger = rectification_fixtures.campaign, rectification_fixtures.ledger


def settled(tab, selector: str) -> None:
    """htmx wires up swapped-in content as it settles; type only after that."""
    tab.wait_for_selector(f"{selector}:not(.htmx-added):not(.htmx-settling) form")


@pytest.fixture
def tab_for(browser, live_server, password):
    """A logged-in browser tab per person, each with its own cookies."""
    contexts = []

    def open_tab(username: str):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        tab = context.new_page()
        ui_login(tab, username, password)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def add_problem(tab, *, category: str, source: str, description: str) -> Problem:
    tab.get_by_role("button", name="添加问题").click()
    settled(tab, "#new-problem-slot")
    form = tab.locator("#new-problem-slot form")
    form.get_by_label("类别").select_option(label=category)
    form.get_by_label("问题来源").select_option(label=source)
    form.get_by_label("问题描述").fill(description)
    form.get_by_role("button", name="保存").click()
    tab.wait_for_selector(f"tr.zf-problem:has-text('{description}')")
    return Problem.objects.get(description=description)


def add_measure(tab, problem: Problem, *, text: str, starts_on: dt.date, deadline: dt.date) -> Measure:
    settled(tab, f"#measure-slot-{problem.pk}")  # a saved problem opens its first measure's form
    form = tab.locator(f"#measure-slot-{problem.pk} form")
    form.get_by_label("整改措施").fill(text)
    form.get_by_label("整改标准").fill("群众办事一次办结")
    form.get_by_label("开始日期").fill(starts_on.isoformat())
    form.get_by_label("完成时限").fill(deadline.isoformat())
    form.get_by_role("button", name="保存").click()
    tab.wait_for_selector(f"tr[data-measure]:has-text('{text}')")
    return Measure.objects.get(text=text)


def submit_for_review(tab) -> None:
    """提交审核 reloads the page. Its 办理记录 says 整改清单已提交 from the first submission on, so a
    wait for those words returns at once the second time: wait for the new page and its message."""
    with tab.expect_navigation():
        tab.get_by_role("button", name="提交审核").click()
    expect(tab.get_by_text("整改清单已提交，等待审核单位审核。")).to_be_visible()


def light_on(tab, measure: Measure) -> str:
    return tab.locator(f"#measure-row-{measure.pk} [data-light]").first.get_attribute("data-light")


def test_clerk_and_reviewer_take_an_item_from_entry_to_closed(tab_for, people, ledger, campaign, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    today = clock.today()
    clerk = tab_for("clerk_a1")
    ledger_url = f"/rectification/ledgers/{ledger.pk}/"

    # 1. The clerk enters two problems, each with a measure, and submits the list.
    clerk.goto(ledger_url)
    first = add_problem(clerk, category="责任中梗阻", source="自己找", description="窗口办件推诿扯皮，群众多次跑腿")
    measure = add_measure(clerk, first, text="实行首问负责制", starts_on=today, deadline=today + dt.timedelta(days=5))
    second = add_problem(clerk, category="思维中梗阻", source="群众提", description="服务冷热不均，群众反映办事难")
    add_measure(clerk, second, text="开展培训", starts_on=today, deadline=today + dt.timedelta(days=40))
    submit_for_review(clerk)
    assert Ledger.objects.get(pk=ledger.pk).state == LedgerState.SUBMITTED

    # 2. The reviewer approves the first item and returns the second with a comment, item by item.
    reviewer = tab_for("leader_a")
    reviewer.goto("/rectification/review/")
    reviewer.locator("tr", has_text="预算科").get_by_role("link", name="逐项审核").click()
    reviewer.wait_for_selector('[data-testid="review-form"]')
    reviewer.locator(f"#problem-{first.pk}").get_by_label("通过").check()
    reviewer.locator(f"#problem-{second.pk}").get_by_label("退回修改").check()
    reviewer.locator(f"#problem-{second.pk}").get_by_label("第2项审核意见").fill("培训措施不够具体，请写明次数")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="提交审核结果").click()
    assert Ledger.objects.get(pk=ledger.pk).state == LedgerState.RETURNED
    assert Problem.objects.get(pk=second.pk).review == ItemReview.RETURNED

    # 3. The clerk sees the comment, fixes the returned measure in place and resubmits.
    clerk.goto(ledger_url)
    assert "培训措施不够具体，请写明次数" in clerk.locator("main").inner_text()
    fixed = Measure.objects.get(problem=second)
    clerk.locator(f"#measure-row-{fixed.pk} td").nth(1).click()
    settled(clerk, f"#measure-row-{fixed.pk}.zf-editing")
    edit = clerk.locator(f"#measure-row-{fixed.pk} form")
    edit.get_by_label("整改措施").fill("每月开展一次窗口服务培训")
    edit.get_by_role("button", name="保存").click()
    clerk.wait_for_selector(f"#measure-row-{fixed.pk}:not(.zf-editing):has-text('每月开展一次窗口服务培训')")
    submit_for_review(clerk)

    # 4. The reviewer now sees only the returned item, and approves it.
    reviewer.goto(f"/rectification/review/ledgers/{ledger.pk}/")
    assert reviewer.locator(f"#problem-{first.pk}").count() == 0
    reviewer.locator(f"#problem-{second.pk}").get_by_label("通过").check()
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="提交审核结果").click()
    assert Ledger.objects.get(pk=ledger.pk).state == LedgerState.APPROVED
    measure.refresh_from_db()
    assert (measure.state, measure.light) == (MeasureState.IN_PROGRESS, Light.YELLOW)

    # The light is yellow on the ledger page and on the reviewer's dashboard.
    clerk.goto(ledger_url)
    assert light_on(clerk, measure) == Light.YELLOW
    reviewer.goto("/rectification/dashboard/")
    assert reviewer.get_by_test_id("count-light-yellow").inner_text() == "1"

    # 5. The clerk reports progress, then asks for close-out with an evidence file.
    clerk.goto(f"/rectification/measures/{measure.pk}/")
    clerk.get_by_label("报告日期").fill(today.isoformat())
    clerk.get_by_label("完成进度（%）").fill("60")
    clerk.get_by_label("进展情况").fill("已制定首问负责制度，正在试行")
    with clerk.expect_navigation():
        clerk.get_by_test_id("report-progress").click()
    assert Measure.objects.get(pk=measure.pk).percent == 60
    evidence = tmp_path / "佐证材料.pdf"
    evidence.write_bytes(demo_pdf("演示佐证材料"))
    closeout = clerk.locator("form", has=clerk.get_by_test_id("request-close"))
    closeout.get_by_label("整改完成情况").fill("首问负责制度已印发执行")
    closeout.locator("input[type=file]").set_input_files(str(evidence))
    with clerk.expect_navigation():
        clerk.get_by_test_id("request-close").click()
    assert Measure.objects.get(pk=measure.pk).state == MeasureState.CLOSE_REQUESTED

    # 6. The reviewer verifies it (销号); the light turns to closed everywhere.
    reviewer.goto(f"/rectification/measures/{measure.pk}/")
    reviewer.get_by_label("核实意见").fill("经核实，整改到位")
    with reviewer.expect_navigation():
        reviewer.get_by_test_id("approve-close").click()
    measure.refresh_from_db()
    assert (measure.state, measure.light, measure.closed_on) == (MeasureState.CLOSED, Light.CLOSED, today)
    assert reviewer.locator("[data-light]").first.get_attribute("data-light") == Light.CLOSED
    clerk.goto(ledger_url)
    assert light_on(clerk, measure) == Light.CLOSED
    reviewer.goto("/rectification/dashboard/")
    assert reviewer.get_by_test_id("count-light-closed").inner_text() == "1"
    yellow = reviewer.get_by_test_id("count-light-yellow")
    assert yellow.count() == 0 or yellow.inner_text() == "0"
    with reviewer.expect_navigation():
        reviewer.get_by_test_id("count-light-closed").click()
    assert "实行首问负责制" in reviewer.locator("main").inner_text()
