"""Issue 14's acceptance walk: the office computes the year's scores, opens a unit's breakdown, clicks
the deduction and lands on the overdue measures, adjusts one item with a reason; the unit sees the
adjusted score and files an objection; the office opens the cluster view and finds the seeded
“审批环节多” cluster with its units."""

import pytest

from tests.assessment.conftest import _ledger, campaign, district  # noqa: F401 (fixtures)
from tests.browser.conftest import ui_login
from zuofeng.assessment.demo import WORDINGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approvals_everywhere(district):  # noqa: F811 (the fixture imported above)
    """The same complaint in four units' own words (the demo seeds 43): 预算科 and 区商务局 have it from
    the district fixture, 外贸科 and 湖塘镇 here."""
    for unit, text in ((district.org.section_b1, WORDINGS[1]), (district.town, WORDINGS[2])):
        _ledger(district.campaign, unit, None, description=text)
    return district


def test_office_and_unit_walk_through_the_assessment(page, browser, live_server, approvals_everywhere, password):
    d = approvals_everywhere
    ui_login(page, "office", password)
    page.goto("/assessment/")
    page.get_by_label("考核截止日期").fill("2018-12-31")
    page.get_by_role("button", name="计算").click()
    page.get_by_test_id("run-open").click()
    page.get_by_role("link", name="武进区财政局").click()
    assert "42.83" in page.get_by_test_id("score-total").inner_text()

    page.get_by_test_id("item-overdue").get_by_test_id("points-link").click()
    rows = page.get_by_test_id("record-row")
    assert rows.count() == 3
    assert "精简审批材料" in rows.nth(1).inner_text() and "推行一窗受理" in rows.nth(2).inner_text()
    rows.nth(1).get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/rectification/measures/{d.open_1.pk}/")
    page.go_back()
    page.get_by_role("link", name="武进区财政局").click()

    page.get_by_test_id("item-overdue").get_by_role("link", name="调整").click()
    page.get_by_label("调整后得分").fill("-1")
    page.get_by_label("调整理由").fill("两项措施已经审核同意延期")
    page.get_by_role("button", name="保存调整").click()
    assert "46.17" in page.get_by_test_id("score-total").inner_text()
    assert "两项措施已经审核同意延期" in page.get_by_test_id("adjustment").inner_text()

    unit_page = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    ).new_page()
    ui_login(unit_page, "leader_a", password)
    unit_page.goto("/assessment/")
    unit_page.get_by_test_id("own-scores").get_by_role("link", name="武进区财政局").click()
    assert "46.17" in unit_page.get_by_test_id("score-total").inner_text()
    assert "两项措施已经审核同意延期" in unit_page.get_by_test_id("adjustment").inner_text()
    unit_page.get_by_label("针对的考核项").select_option(label="到期整改措施完成率")
    unit_page.get_by_label("异议内容").fill("有一项措施12月30日已销号，系统录入延迟")
    unit_page.get_by_role("button", name="提出异议").click()
    assert "待答复" in unit_page.get_by_test_id("objection").inner_text()

    page.goto("/assessment/clusters/")
    page.get_by_role("button", name="开始分析").click()
    page.get_by_role("link", name="查看系统性问题").click()
    page.get_by_test_id("cluster-row").filter(has_text="审批环节").get_by_role("link").click()
    title = page.get_by_test_id("cluster-title").inner_text()
    assert title.startswith("4 个单位反映：") and "审批环节" in title, title
    units = page.get_by_test_id("cluster-units").inner_text()
    assert "区财政局·预算科" in units and "区商务局·外贸科" in units and "湖塘镇" in units
