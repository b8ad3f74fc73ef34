"""Issue 14's acceptance walk: the office computes the year's scores, opens a unit's breakdown, clicks
the deduction and lands on the overdue measures, opens the 督查发现 deduction (from the supervision app)
and sees its three findings, adjusts one item with a reason; the unit sees the
adjusted score and files an objection; the office opens the cluster view and finds the seeded
“审批环节多” cluster with its units."""

import pytest
from playwright.sync_api import expect

from tests.assessment.conftest import _ledger, campaign, district  # noqa: F401 (fixtures)
from tests.assessment.test_source_items import sourced  # noqa: F401 (fixture)
from tests.browser.conftest import ui_login
from zuofeng.assessment.demo import WORDINGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approvals_everywhere(sourced):  # noqa: F811 (the fixture imported above)
    """The same complaint in four units' own words (the demo seeds 43): 预算科 and 区商务局 have it from
    the district fixture, 外贸科 and 湖塘镇 here."""
    for unit, text in ((sourced.org.section_b1, WORDINGS[1]), (sourced.town, WORDINGS[2])):
        _ledger(sourced.campaign, unit, None, description=text)
    return sourced


def test_office_and_unit_walk_through_the_assessment(page, browser, live_server, approvals_everywhere, password):
    d = approvals_everywhere
    ui_login(page, "office", password)
    page.goto("/assessment/")
    page.get_by_label("考核截止日期").fill("2018-12-31")
    page.get_by_role("button", name="计算").click()
    page.get_by_test_id("run-open").click()
    page.get_by_role("link", name="武进区财政局").click()
    expect(page.get_by_test_id("score-total")).to_contain_text("33.24")  # test_source_items: every source

    # Each click below navigates; expect() waits for the new page where count() would read the old one.
    page.get_by_test_id("item-findings").get_by_test_id("points-link").click()
    expect(page.get_by_role("heading").filter(has_text="-7.00")).to_have_count(1)
    findings = page.get_by_test_id("record-row")
    expect(findings).to_have_count(3)
    assert "较重" in findings.nth(1).inner_text()
    with page.expect_navigation():  # page.url is read once: after the new page, not before it
        findings.nth(0).get_by_role("link").click()
    assert page.url.endswith(f"/supervision/findings/{d.findings_a[0].pk}/")
    page.go_back()
    page.go_back()

    page.get_by_test_id("item-overdue").get_by_test_id("points-link").click()
    rows = page.get_by_test_id("record-row")
    expect(rows).to_have_count(3)
    assert "精简审批材料" in rows.nth(1).inner_text() and "推行一窗受理" in rows.nth(2).inner_text()
    with page.expect_navigation():
        rows.nth(1).get_by_role("link").click()
    assert page.url.endswith(f"/rectification/measures/{d.open_1.pk}/")
    page.go_back()
    page.get_by_role("link", name="武进区财政局").click()

    page.get_by_test_id("item-overdue").get_by_role("link", name="调整").click()
    page.get_by_label("调整后得分").fill("-1")
    page.get_by_label("调整理由").fill("两项措施已经审核同意延期")
    page.get_by_role("button", name="保存调整").click()
    expect(page.get_by_test_id("score-total")).to_contain_text("35.24")
    assert "两项措施已经审核同意延期" in page.get_by_test_id("adjustment").inner_text()

    unit_page = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    ui_login(unit_page, "leader_a", password)
    unit_page.goto("/assessment/")
    unit_page.get_by_test_id("own-scores").get_by_role("link", name="武进区财政局").click()
    expect(unit_page.get_by_test_id("score-total")).to_contain_text("35.24")
    assert "两项措施已经审核同意延期" in unit_page.get_by_test_id("adjustment").inner_text()
    unit_page.get_by_label("针对的考核项").select_option(label="到期整改措施完成率")
    unit_page.get_by_label("异议内容").fill("有一项措施12月30日已销号，系统录入延迟")
    unit_page.get_by_role("button", name="提出异议").click()
    expect(unit_page.get_by_test_id("objection")).to_contain_text("待答复")

    page.goto("/assessment/clusters/")
    page.get_by_role("button", name="开始分析").click()
    page.get_by_role("link", name="查看系统性问题").click()
    page.get_by_test_id("cluster-row").filter(has_text="审批环节").get_by_role("link").click()
    title = page.get_by_test_id("cluster-title").inner_text()
    assert title.startswith("4 个单位反映：") and "审批环节" in title, title
    units = page.get_by_test_id("cluster-units").inner_text()
    assert "区财政局·预算科" in units and "区商务局·外贸科" in units and "湖塘镇" in units
