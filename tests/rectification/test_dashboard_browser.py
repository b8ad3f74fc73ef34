"""The dashboard in a real browser: charts drawn by ECharts, client-side sorting, export download."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ui_login
from tests.rectification.test_dashboard_data import TODAY, build
from zuofeng.core import clock
from zuofeng.rectification.services import export as export_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(campaign, org, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    with clock.frozen(TODAY):
        yield build(campaign, org)


def unit_column(page) -> list[str]:
    """Unit names without the “（含下级 n 个单位）” note."""
    cells = page.locator('[data-testid="unit-table"] tbody tr td:first-child').all_inner_texts()
    return [cell.split("（含下级")[0].strip() for cell in cells]


def test_office_dashboard_charts_sorting_and_drill_down(page, data, people, password):
    ui_login(page, "office", password)
    page.goto("/rectification/dashboard/")
    for chart in ("category", "lights", "closures"):
        page.locator(f'[data-chart="{chart}"] canvas').wait_for()
    # one line per top unit with its subtree: 区财政局 4 measures, 区商务局 1
    assert unit_column(page) == ["区财政局", "区商务局"]
    page.locator('[data-testid="unit-table"] th', has_text="措施数").click()
    assert unit_column(page) == ["区商务局", "区财政局"]  # ascending
    page.locator('[data-testid="unit-table"] th', has_text="措施数").click()
    assert unit_column(page) == ["区财政局", "区商务局"]
    page.locator('[data-testid="unit-table"] th', has_text="单位").click()
    assert unit_column(page) == ["区财政局", "区商务局"]
    # a unit's name opens the next level: its own line, then its sections
    with page.expect_navigation():
        page.get_by_role("link", name="区财政局", exact=True).click()
    assert unit_column(page) == ["区财政局（本级）", "预算科", "国库科"]
    with page.expect_navigation():
        page.get_by_test_id("unit-trail").get_by_role("link", name="全部可见单位").click()
    with page.expect_navigation():
        page.get_by_test_id("total-overdue").click()
    assert page.get_by_test_id("item-count").inner_text() == "1"
    assert "实行首问负责制" in page.locator("main").inner_text()


def test_background_export_shows_download_in_browser(page, data, people, password, monkeypatch):
    monkeypatch.setattr(export_services, "DIRECT_LIMIT", 1)
    ui_login(page, "office", password)
    page.goto("/rectification/dashboard/")
    page.get_by_role("button", name="导出整改台账（Excel）").click()
    page.get_by_role("link", name="下载").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载").click()
    assert info.value.suggested_filename.endswith(".xlsx")


def test_progress_page_switches_to_download_when_the_job_ends(page, data, people, password, monkeypatch, settings):
    """Issue 8: the page polled by htmx stops saying 正在后台生成 and offers the file once the job is done."""
    from zuofeng.rectification.models import ExportJob

    monkeypatch.setattr(export_services, "DIRECT_LIMIT", 1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not run at once
    ui_login(page, "office", password)
    page.goto("/rectification/dashboard/")
    page.get_by_role("button", name="导出整改台账（Excel）").click()
    expect(page.get_by_test_id("job-progress")).to_contain_text("数据较多，正在后台生成文件")
    export_services.ledger_export_execute(job_id=ExportJob.objects.get().pk)  # what db_worker would do
    page.get_by_role("link", name="下载").wait_for()
    assert "正在后台生成" not in page.locator("main").inner_text()
    assert page.get_by_test_id("job-status").inner_text().startswith("已完成：已导出 5 / 5 条")
