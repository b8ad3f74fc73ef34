"""A section clerk fills the list in a real browser: add, dependent selects, errors at the field, edit in place."""

import pytest

from tests.browser.conftest import ui_login
from zuofeng.rectification.models import Measure, Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settled(tab, selector: str) -> None:
    """htmx wires up swapped-in content as it settles; a robot must not type before that, a person never does."""
    tab.wait_for_selector(f"{selector}:not(.htmx-added):not(.htmx-settling) form")


def test_clerk_edits_list_in_place_in_browser(page, people, ledger, campaign, password):
    ui_login(page, "clerk_a1", password)
    page.goto(f"/rectification/ledgers/{ledger.pk}/")
    page.get_by_role("button", name="添加问题").click()
    settled(page, "#new-problem-slot")
    form = page.locator("#new-problem-slot form")
    form.get_by_label("类别").select_option(label="责任中梗阻")
    page.wait_for_selector("#id_pnew-symptom option:nth-child(2)", state="attached")
    assert form.get_by_label("具体表现").locator("option").all_inner_texts() == ["（不选）", "推诿扯皮"]
    form.get_by_label("具体表现").select_option(label="推诿扯皮")
    form.get_by_label("问题来源").select_option(label="领导点")
    form.get_by_label("哪位领导").fill("王局长")
    form.get_by_label("问题描述").fill("审批窗口推诿扯皮")
    form.get_by_role("button", name="保存").click()
    page.wait_for_selector("tr.zf-problem")
    assert "审批窗口推诿扯皮" in page.locator("#ledger-table").inner_text()
    problem = Problem.objects.get()
    assert problem.source_detail == "王局长"

    settled(page, f"#measure-slot-{problem.pk}")  # a saved problem opens its first measure's form
    measure_form = page.locator(f"#measure-slot-{problem.pk} form")
    measure_form.get_by_label("整改措施").fill("实行首问负责制")
    measure_form.get_by_label("开始日期").fill("2018-09-16")
    measure_form.get_by_label("完成时限").fill("2018-09-01")
    measure_form.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=完成时限不能早于开始日期")
    assert page.locator(f"#measure-slot-{problem.pk} textarea").first.input_value() == "实行首问负责制"
    page.locator(f"#measure-slot-{problem.pk} form").get_by_label("完成时限").fill("2018-12-31")
    page.locator(f"#measure-slot-{problem.pk} form").get_by_role("button", name="保存").click()
    page.wait_for_selector("tr[data-measure]")
    measure = Measure.objects.get()

    page.locator(f"#measure-row-{measure.pk} td").nth(1).click()
    settled(page, f"#measure-row-{measure.pk}.zf-editing")
    edit = page.locator(f"#measure-row-{measure.pk} form")
    edit.get_by_label("整改措施").fill("实行首问负责制，一次告知")
    edit.get_by_role("button", name="保存").click()
    page.wait_for_selector(f"#measure-row-{measure.pk}:not(.zf-editing)")
    assert "实行首问负责制，一次告知" in page.locator(f"#measure-row-{measure.pk}").inner_text()

    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"#measure-row-{measure.pk}").get_by_title("删除").click()
    page.wait_for_selector(f"#measure-row-{measure.pk}", state="detached")
    assert Measure.objects.count() == 0
