"""突破攻坚 and 创新创优 in a real browser, as issue 12's acceptance test describes it.

A section clerk registers a 高效服务 project with a lower-is-better target (企业开办时间 3 → 1 个工作日)
and a milestone; the reviewing unit's leader approves it; the clerk reports the milestone with a new
value (2); the chart reads baseline → now → target; when the milestone is overdue (its date moved to
yesterday, then the daily job) the light turns red. An initiative is marked 推广 by the office and
adopted by a second unit. An 优秀项目奖 nomination is started from the project with its figures in.

The live server runs in another thread, where a frozen clock does not reach: dates are relative to today.
"""

import datetime as dt

import pytest

from tests.browser.conftest import ui_login
from tests.nominations import nominate_support as support
from zuofeng.core import clock
from zuofeng.projects.models import Adoption, Initiative, Milestone, Project, ProjectState
from zuofeng.projects.tasks.reminders import projects_daily

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
wujin = support.wujin
private_root = support.private_root


@pytest.fixture
def tab_for(browser, live_server, password):
    contexts = []

    def open_tab(username: str, width: int = 1366):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        tab = context.new_page()
        ui_login(tab, username, password)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def test_project_review_report_chart_light_initiative_and_nomination(tab_for, wujin, org, people, private_root):
    today = clock.today()
    clerk = tab_for("clerk_a1")
    clerk.goto("/projects/")
    clerk.get_by_test_id("project-new").click()
    clerk.get_by_label("攻坚重点").select_option(label="高效服务")
    clerk.get_by_label("项目名称").fill("企业开办“一日办结”")
    clerk.get_by_label("项目目标").fill("企业开办全流程压缩到 1 个工作日")
    clerk.get_by_label("开始日期").fill((today - dt.timedelta(days=20)).isoformat())
    clerk.get_by_label("完成时限").fill((today + dt.timedelta(days=200)).isoformat())
    with clerk.expect_navigation():
        clerk.get_by_test_id("project-save").click()
    project = Project.objects.get()

    clerk.get_by_label("指标名称").fill("企业开办时间")
    clerk.get_by_label("计量单位").fill("个工作日")
    clerk.get_by_label("基数").fill("3")
    clerk.get_by_label("目标值").fill("1")
    clerk.get_by_label("方向").select_option(label="越低越好")
    with clerk.expect_navigation():
        clerk.get_by_test_id("target-add").click()
    assert "企业开办时间：3 → 1 个工作日" in clerk.get_by_test_id(f"target-{project.targets.get().pk}").inner_text()
    clerk.get_by_label("节点任务").fill("一窗受理上线")
    clerk.get_by_label("节点时限").fill((today + dt.timedelta(days=10)).isoformat())
    with clerk.expect_navigation():
        clerk.get_by_test_id("milestone-add").click()
    with clerk.expect_navigation():
        clerk.get_by_test_id("project-submit").click()
    assert clerk.get_by_test_id("project-state").inner_text() == "待审核"

    reviewer = tab_for("leader_a")
    reviewer.goto(f"/projects/{project.pk}/")
    with reviewer.expect_navigation():
        reviewer.get_by_test_id("project-approve").click()
    assert reviewer.get_by_test_id("project-state").inner_text() == "已通过"

    clerk.goto(f"/projects/{project.pk}/")
    clerk.get_by_label("节点完成进度（%）").fill("60")
    clerk.get_by_label("企业开办时间当前值（个工作日）").fill("2")
    clerk.get_by_label("进展情况").fill("综合窗口已开通，企业开办压缩到 2 个工作日")
    with clerk.expect_navigation():
        clerk.get_by_test_id("report-submit").click()
    target = project.targets.get()
    chart = clerk.get_by_test_id(f"target-chart-{target.pk}")
    clerk.wait_for_selector(f"[data-testid='target-chart-{target.pk}'][data-rendered='1'] canvas")
    assert chart.get_attribute("data-values") == "3,2,1"
    assert chart.get_attribute("aria-label") == "企业开办时间：基数 3 个工作日 → 当前 2 个工作日 → 目标 1 个工作日"
    assert clerk.get_by_test_id("project-light").inner_text() == "绿灯"

    # Time passes: the milestone's date is yesterday and it is still at 60 %; the daily job runs.
    Milestone.objects.filter(project=project).update(due_on=today - dt.timedelta(days=1))
    projects_daily(today=today)
    clerk.reload()
    assert clerk.get_by_test_id("project-light").inner_text() == "红灯"
    assert clerk.get_by_test_id("milestone-light").inner_text() == "红灯"

    # 优秀项目奖 from the project: the form opens with the project's figures in.
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="申报优秀项目奖").click()
    assert clerk.get_by_label("项目名称").input_value() == "企业开办“一日办结”"
    assert clerk.get_by_label("攻坚重点").input_value() == "高效服务"
    assert "企业开办时间 3→2→1 个工作日" in clerk.locator("textarea[name='main_text']").input_value()

    # An initiative of the clerk's unit: the office marks it 推广, another unit records adopting it.
    initiative = Initiative.objects.create(
        campaign=wujin, unit=org.section_a1, title="企业开办“一表申请”", problem="要跑四个窗口",
        description="一表申请、一窗发放", steps_before=6, steps_after=1, materials_before=14, materials_after=5,
        days_before=5, days_after=1, started_on=today - dt.timedelta(days=30),
    )  # fmt: skip
    office = tab_for("office")
    office.goto(f"/projects/initiatives/{initiative.pk}/")
    with office.expect_navigation():
        office.get_by_test_id("initiative-promote").click()
    assert office.get_by_test_id("promoted").inner_text() == "推广"

    other = tab_for("leader_b", width=390)
    other.goto("/projects/initiatives/")
    other.get_by_role("link", name="企业开办“一表申请”").click()
    other.get_by_label("借鉴情况").fill("在本局窗口推行")
    with other.expect_navigation():
        other.get_by_test_id("initiative-adopt").click()
    assert "武进区商务局" in other.get_by_test_id("adoptions").inner_text()
    assert list(Adoption.objects.values_list("unit__name", flat=True)) == ["武进区商务局"]
    assert Project.objects.get().state == ProjectState.APPROVED


def test_a_target_change_is_requested_approved_and_the_chart_shows_the_new_target(tab_for, wujin, org, people):
    """Issue 12, second round: an approved plan's target is changed by request. The clerk (on a phone)
    asks to lower 企业开办时间's target from 1 to 0.5 and to add a milestone; the reviewing unit's leader
    reads the change line by line and agrees; the chart then reads 3 → 2 → 0.5."""
    today = clock.today()
    project = Project.objects.create(
        campaign=wujin, unit=org.section_a1, key_area=wujin.key_areas.get(key="service"),
        title="企业开办“一日办结”", goal="企业开办全流程压缩到 1 个工作日", starts_on=today - dt.timedelta(days=30),
        deadline=today + dt.timedelta(days=200), state=ProjectState.APPROVED,
    )  # fmt: skip
    target = project.targets.create(
        order=1, name="企业开办时间", measure_unit="个工作日", baseline=3, target=1, direction="lower", current=2
    )
    project.milestones.create(order=1, title="一窗受理上线", due_on=today + dt.timedelta(days=60))

    clerk = tab_for("clerk_a1", width=390)
    clerk.goto(f"/projects/{project.pk}/")
    with clerk.expect_navigation():
        clerk.get_by_test_id("change-open").click()
    clerk.locator("input[name='targets-0-target']").fill("0.5")
    clerk.locator("input[name='milestones-1-title']").fill("全面实现半日办结")
    clerk.locator("input[name='milestones-1-due_on']").fill((today + dt.timedelta(days=190)).isoformat())
    with clerk.expect_navigation():
        clerk.get_by_test_id("change-submit").click()
    assert clerk.locator(".invalid-feedback").all_inner_texts() == ["请填写变更理由"]  # kept what was typed
    assert clerk.locator("input[name='targets-0-target']").input_value() == "0.5"
    clerk.get_by_label("变更理由").fill("市里要求压缩到半个工作日")
    with clerk.expect_navigation():
        clerk.get_by_test_id("change-submit").click()
    assert clerk.url.endswith(f"/projects/{project.pk}/")
    assert target.__class__.objects.get(pk=target.pk).target == 1  # not before the reviewer agrees

    reviewer = tab_for("leader_a")
    reviewer.goto(f"/projects/{project.pk}/")
    lines = reviewer.get_by_test_id("pending-change-lines").inner_text()
    assert "修改目标指标“企业开办时间”：目标值 1 → 0.5" in lines
    assert "新增季度节点：" in lines and "全面实现半日办结" in lines
    with reviewer.expect_navigation():
        reviewer.get_by_test_id("project-approve").click()

    clerk.reload()
    chart = f"[data-testid='target-chart-{target.pk}'][data-rendered='1'] canvas"
    clerk.wait_for_selector(chart)
    assert clerk.get_by_test_id(f"target-chart-{target.pk}").get_attribute("data-values") == "3,2,0.5"
    assert "企业开办时间：3 → 0.5 个工作日" in clerk.get_by_test_id(f"target-{target.pk}").inner_text()
    box = clerk.locator(chart).bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= 390  # sized to the phone, not off screen
    assert project.milestones.count() == 2
