"""The issue's acceptance scenario in a real browser: the office plans a round of two units, an inspector on a
phone-sized screen records a finding with a photo (the draft survives a reload), the office confirms it, the
unit sees the new problem with 督查发现 and its deadline; a 回头看 reopens a closed measure; a case is seen by
the office and the unit's leader and refused to a clerk, a judge and an inspector (page and API); a department
sees its line unit's light and cannot review it."""

import datetime as dt

import pytest

from tests.browser.conftest import ui_login
from tests.factories import Role, make_unit, make_user
from tests.rectification import conftest as rectification_fixtures
from tests.supervision import conftest as supervision_fixtures
from zuofeng.core import clock
from zuofeng.organisation.models import UnitKind
from zuofeng.rectification.models import Ledger, Measure, MeasureState
from zuofeng.supervision.models import Finding, RecheckScope
from zuofeng.supervision.services.cases import case_open
from zuofeng.supervision.services.lines import line_link_add
from zuofeng.supervision.services.rechecks import recheck_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

campaign, ledger, problem_with_measure = (
    rectification_fixtures.campaign,
    rectification_fixtures.ledger,
    rectification_fixtures.problem_with_measure,
)
supervised, inspectors = supervision_fixtures.supervised, supervision_fixtures.inspectors


@pytest.fixture
def tab_for(browser, live_server, password):
    contexts = []

    def open_tab(username: str, width: int = 1366, height: int = 900):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        ui_login(tab, username, password)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def test_acceptance(tab_for, supervised, org, people, inspectors, problem_with_measure, tmp_path):
    # ── the office plans a round of two units ──
    office = tab_for("office")
    office.goto("/supervision/rounds/new/")
    office.get_by_label("督查名称").fill("第一轮专项督查")
    office.get_by_label("督查重点").select_option(label="找差整改")
    office.get_by_label("开始日期").fill(clock.today().isoformat())
    office.get_by_label("结束日期").fill((clock.today() + dt.timedelta(days=3)).isoformat())
    office.get_by_label("insp_team姓名").check()
    office.get_by_label("被督查单位").select_option(value=[str(org.section_a1.pk), str(org.section_b1.pk)])
    office.get_by_test_id("round-save").click()
    office.wait_for_selector("[data-testid=round-overview]")
    round_url = office.url

    # ── an inspector on a phone records a finding with a photo; the draft survives a reload ──
    phone = tab_for("insp_team", 390, 844)
    phone.goto(round_url)
    phone.get_by_test_id(f"record-{org.section_a1.pk}").click()
    phone.get_by_label("发现的问题").fill("窗口对材料不全的群众未一次性告知")
    phone.get_by_label("中梗阻类别").select_option(label="责任中梗阻")
    phone.locator("input[name=check_listed][value=no]").check()
    phone.reload()
    assert phone.get_by_label("发现的问题").input_value() == "窗口对材料不全的群众未一次性告知"
    assert phone.locator("input[name=check_listed][value=no]").is_checked()
    assert phone.get_by_label("照片").get_attribute("capture") == "environment"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(supervision_fixtures.gps_jpeg())
    phone.get_by_label("照片").set_input_files(str(photo))
    phone.get_by_test_id("finding-save").click()
    phone.wait_for_selector("[data-testid=finding-photo]")
    assert phone.evaluate("localStorage.length") == 0
    finding = Finding.objects.get()

    # ── the office confirms it; the unit sees the problem with 督查发现 and its deadline ──
    office.goto(f"/supervision/findings/{finding.pk}/")
    office.get_by_label("整改期限").fill("2030-12-31")
    office.get_by_test_id("finding-confirm").click()
    office.wait_for_selector("[data-testid=finding-problem]")
    clerk = tab_for("clerk_a1")
    clerk.goto(f"/rectification/ledgers/{Ledger.objects.get(unit=org.section_a1).pk}/")
    badge = clerk.get_by_test_id("problem-origin")
    assert badge.inner_text() == "督查发现 · 整改期限 2030年12月31日"

    # ── 回头看 reopens a closed measure, counted as 纸面销号 ──
    _, measure = problem_with_measure
    Measure.objects.filter(pk=measure.pk).update(state=MeasureState.CLOSED)
    sample = recheck_create(
        actor=people.office,
        campaign=supervised,
        name="回头看",
        scope=RecheckScope.DISTRICT,
        size=1,
        seed=3,
        team=[inspectors.on_team],
    )
    office.goto(f"/supervision/rechecks/{sample.pk}/")
    office.locator("input[value=not_fixed]").check()
    office.get_by_label("核查情况").fill("仍未一次性告知")
    office.get_by_test_id("verify-save").click()
    office.wait_for_selector("[data-testid=verdict]:has-text('纸面销号')")
    measure.refresh_from_db()
    assert measure.state == MeasureState.IN_PROGRESS

    # ── a case: office and the unit's leader see it; clerk, judge, inspector are refused (page and API) ──
    case = case_open(
        actor=people.office,
        campaign=supervised,
        unit=org.section_a1,
        origin="finding",
        finding=finding,
        facts="推诿扯皮",
        degree="general",
    )
    leader = tab_for("leader_a")
    for tab in (office, leader):
        tab.goto(f"/supervision/cases/{case.pk}/")
        assert tab.get_by_test_id("case-subject").inner_text() == "预算科"
        assert tab.request.get(f"/api/supervision/cases/{case.pk}").status == 200
    for tab in (clerk, tab_for("judge"), phone):
        assert tab.goto(f"/supervision/cases/{case.pk}/").status in (403, 404)
        assert tab.request.get(f"/api/supervision/cases/{case.pk}").status in (403, 404)

    # ── a department sees its line unit's light but cannot review it ──
    town = make_unit(name="湖塘镇", kind=UnitKind.TOWN, order=5, code="T01")
    station = make_unit(name="湖塘镇商务办", kind=UnitKind.SUBORDINATE, parent=town, order=1, code="T01B")
    line_ledger = Ledger.objects.create(campaign=supervised, unit=station)
    make_user("leader_b2", role=Role.UNIT_LEADER, unit=org.dept_b)
    line_link_add(actor=people.office, department=org.dept_b, unit=station, line="商务")
    department = tab_for("leader_b2")
    department.goto("/supervision/lines/")
    row = department.get_by_test_id("line-row")
    assert "湖塘镇商务办" in row.inner_text()
    assert row.locator("[data-light]").get_attribute("data-light") == "none"
    assert department.goto(f"/rectification/review/ledgers/{line_ledger.pk}/").status in (403, 404)
