"""What a section clerk meets on day one: filing a list fast, by keyboard, on a PC and a phone.

The walk files five problems with one or two measures each, as a clerk would type them, and counts
what the person does besides typing: clicks, choices from a drop-down, key presses (Tab, Enter,
arrows, Esc) and full page loads. It is not timed; the counts are the budget (issue 8).
"""

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.browser.conftest import ui_login
from tests.factories import PersonFactory
from zuofeng.campaigns.models import Campaign
from zuofeng.campaigns.services import campaign_load
from zuofeng.core import clock
from zuofeng.rectification.models import Ledger, Measure, Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "campaigns" / "wujin-2018.yaml"
BUDGET = {"clicks + selects": 25, "keys": 60, "page loads": 2}


@pytest.fixture
def seed_campaign(db):
    return campaign_load(path=SEED, make_default=True).campaign


@pytest.fixture
def staff(org):
    """People of 预算科 and its service centre, who can be 责任人."""
    return {
        "张明": PersonFactory(unit=org.section_a1, name="张明", position="科长", order=1),
        "李华": PersonFactory(unit=org.section_a1, name="李华", position="副科长", order=2),
        "王芳": PersonFactory(unit=org.section_a1, name="王芳", position="科员", order=3),
        "赵磊": PersonFactory(unit=org.sub_a1x, name="赵磊", position="主任", order=1),
    }


class Walk:
    """The clerk's hands: every action goes through here and is counted."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.selects = self.keys = self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def select(self, locator, label: str):
        self.selects += 1
        locator.select_option(label=label)
        locator.focus()  # choosing with the mouse leaves the focus on the drop-down

    def press(self, key: str, times: int = 1):
        for _ in range(times):
            self.keys += 1
            self.page.keyboard.press(key)

    def type(self, text: str):
        self.page.keyboard.type(text)  # typed text is not counted

    def focused(self) -> str:
        return self.page.evaluate("document.activeElement && (document.activeElement.name || '')")


def open_form(page, selector: str) -> None:
    """Wait until htmx has settled the newly opened form and the page script focused it."""
    page.wait_for_selector(f"{selector} form.zf-entry[data-focused]")


def m(text: str, standard: str, person: str, days: int, leader: str = "") -> dict:
    """A measure as the clerk types it: 责任人 by pinyin initials, 完成时限 in days from today."""
    return {"text": text, "standard": standard, "person": person, "days": days, "leader": leader}


PROBLEMS = [
    {
        "category": "责任中梗阻",
        "symptom": "推诿扯皮",
        "description": "预算调整事项在科室间来回流转，基层单位反映办一件事要跑多个科室",
        "benchmark": "企业、基层、群众期盼诉求",
        "measures": [
            m("实行预算调整事项首问负责制，一个窗口受理", "基层单位只找一个科室", "zm", 60, leader="陈副局长"),
            m("编制预算调整办事指南并在网站公开", "指南公开，办理要件一次告知", "lh", 30),
        ],
    },
    {
        "category": "执行中梗阻",
        "symptom": "执行不力",
        "description": "部门预算执行进度通报后跟踪不够，个别项目资金长期沉淀",
        "benchmark": "区委区政府“五个三年行动计划突破年”目标要求",
        "measures": [
            m("每月通报预算执行进度，对进度滞后项目逐一约谈", "年底预算执行率达到95%以上", "wf", 90),
        ],
    },
    {
        "category": "思维中梗阻",
        "symptom": "疲软症",
        "description": "对零基预算改革学习研究不深，习惯沿用基数加增长的老办法",
        "benchmark": "省、市委和区委“解放思想大讨论”活动要求",
        "measures": [
            m("组织零基预算专题学习，每季度一次", "全科人员参加学习并形成心得", "zm", 120),
            m("选择两个部门开展零基预算试点", "试点部门年底前完成零基预算编制", "lh", 100),
        ],
    },
    {
        "category": "禁令中梗阻",
        "symptom": "说话办事不讲规矩",
        "description": "个别同志接待基层单位来电时态度生硬，解释政策不耐心",
        "benchmark": "企业、基层、群众期盼诉求",
        "measures": [
            m("制定科室接待来电来访规范，开展文明用语培训", "全年无服务态度投诉", "wf", 45),
        ],
    },
    {
        "category": "责任中梗阻",
        "symptom": "分工不明确",
        "description": "专项资金绩效评价职责在科室内部分工不清，存在多头布置、无人牵头",
        "benchmark": "四个“中梗阻”问题现象",
        "measures": [
            m("明确专项资金绩效评价牵头岗位和配合岗位", "岗位职责清单印发执行", "zm", 30),
            m("建立绩效评价结果季度会商机制", "每季度召开一次会商会并形成纪要", "lh", 90),
        ],
    },
]  # fmt: skip


def type_date(walk: Walk, day: dt.date) -> None:
    """Typed as on paper; the box also takes 2018/9/30, 20180930 and 2018年9月30日."""
    walk.type(f"{day:%Y-%m-%d}")


def file_problem(walk: Walk, spec: dict, *, first: bool) -> Problem:
    page = walk.page
    open_form(page, "#new-problem-slot")
    form = page.locator("#new-problem-slot form")
    assert walk.focused() == "pnew-category"
    walk.select(form.get_by_label("类别"), spec["category"])
    page.wait_for_selector(f"#id_pnew-symptom option:text-is('{spec['symptom']}')", state="attached")
    walk.select(form.get_by_label("具体表现"), spec["symptom"])
    walk.press("Tab")
    assert walk.focused() == "pnew-description"
    walk.type(spec["description"])
    if first:  # later problems start from this one's 问题来源 and 查摆日期
        walk.select(form.get_by_label("问题来源"), "自己找")
    walk.click(form.get_by_label(spec["benchmark"]))
    walk.press("Enter")
    page.wait_for_selector(f"tr.zf-problem:has-text('{spec['description']}')")
    return Problem.objects.get(description=spec["description"])


def file_measure(walk: Walk, problem: Problem, spec: dict, *, first_of_list: bool) -> None:
    page, today = walk.page, clock.today()
    slot = f"#measure-slot-{problem.pk}"
    open_form(page, slot)
    form = page.locator(f"{slot} form")
    assert walk.focused().endswith("-text")
    walk.type(spec["text"])
    walk.press("Tab")
    walk.type(spec["standard"])
    walk.press("Tab")
    assert walk.focused().endswith("-responsible_name")
    walk.type(spec["person"])
    page.wait_for_selector(f"{slot} [role=option].active")
    walk.press("Enter")  # picks the highlighted person
    walk.press("Tab")
    assert walk.focused().endswith("-deadline")
    type_date(walk, today + dt.timedelta(days=spec["days"]))
    if first_of_list:  # later measures start from the one above: 责任领导, 责任单位, 开始日期
        walk.press("Tab", 2)  # past 长期坚持
        assert walk.focused().endswith("-responsible_leader")
        walk.type(spec["leader"])
    else:
        assert form.get_by_label("责任领导").input_value() == "陈副局长"
    walk.press("Enter")
    page.wait_for_selector(f"tr[data-measure]:has-text('{spec['text']}')")


def test_clerk_files_five_problems_within_the_action_budget(page, people, org, staff, seed_campaign, password):
    ui_login(page, "clerk_a1", password)
    walk = Walk(page)
    walk.click(page.get_by_role("link", name="去填报"))
    walk.click(page.get_by_role("button", name="开始填写预算科整改清单"))
    page.wait_for_selector("#ledger-table")
    walk.click(page.get_by_role("button", name="添加问题"))
    first = True
    for n, spec in enumerate(PROBLEMS):
        problem = file_problem(walk, spec, first=n == 0)
        for measure in spec["measures"]:
            file_measure(walk, problem, measure, first_of_list=first)
            first = False
        # The saved row shows before htmx settles and focuses the blank next measure; an Enter pressed
        # in between goes to the page body and is lost. A person waits for the cursor; so does the walk.
        open_form(page, f"#measure-slot-{problem.pk}")
        walk.press("Enter")  # Enter on the blank next measure: on to the next problem
    open_form(page, "#new-problem-slot")
    walk.press("Escape")
    # Not just any button: the open form's own 保存 is one, and it is there before Esc has done anything.
    page.locator("#new-problem-slot").get_by_role("button", name="添加问题").wait_for()

    counts = {"clicks": walk.clicks, "selects": walk.selects, "keys": walk.keys, "page loads": walk.loads}
    print(f"\n快速填报 5 个问题、8 条措施：{counts}")
    ledger = Ledger.objects.get(unit=org.section_a1)
    problems = list(ledger.problems.order_by("order"))
    assert [p.description for p in problems] == [s["description"] for s in PROBLEMS]
    assert [p.measures.count() for p in problems] == [2, 1, 2, 1, 2]
    assert [list(p.benchmarks.values_list("name", flat=True)) for p in problems] == [[s["benchmark"]] for s in PROBLEMS]
    assert {p.source.name for p in problems} == {"自己找"}
    measures = Measure.objects.filter(problem__ledger=ledger).order_by("problem__order", "order")
    names = ["张明", "李华", "王芳", "张明", "李华", "王芳", "张明", "李华"]
    assert [measure.responsible_person.name for measure in measures] == names
    assert {measure.responsible_leader for measure in measures} == {"陈副局长"}
    assert {measure.starts_on for measure in measures} == {clock.today()}
    assert measures[0].deadline == clock.today() + dt.timedelta(days=60)
    assert walk.clicks + walk.selects <= BUDGET["clicks + selects"]
    assert walk.keys <= BUDGET["keys"]
    assert walk.loads <= BUDGET["page loads"]


def _clerk_on_ledger(page, password, org) -> Ledger:
    ui_login(page, "clerk_a1", password)
    ledger = Ledger.objects.create(campaign=Campaign.objects.get(is_default=True), unit=org.section_a1)
    page.goto(f"/rectification/ledgers/{ledger.pk}/")
    return ledger


def test_person_is_kept_or_cleared_with_a_message_when_the_unit_changes(
    page, people, org, staff, seed_campaign, password, tmp_path
):
    ledger = _clerk_on_ledger(page, password, org)
    page.get_by_role("button", name="添加问题").click()
    open_form(page, "#new-problem-slot")
    form = page.locator("#new-problem-slot form")
    form.get_by_label("类别").select_option(label="责任中梗阻")
    form.get_by_label("问题来源").select_option(label="自己找")
    form.get_by_label("问题描述").fill("会签材料在科室间积压")
    form.get_by_role("button", name="保存").click()
    problem_id = page.wait_for_selector("tr.zf-problem").get_attribute("data-problem")
    slot = f"#measure-slot-{problem_id}"
    open_form(page, slot)
    measure = page.locator(f"{slot} form")
    measure.get_by_label("整改措施").fill("建立会签限时办结制度")
    box = measure.get_by_label("责任人", exact=True)
    box.press_sequentially("zm")
    page.locator(f"{slot} [role=option]", has_text="张明").click()
    hidden = measure.locator('input[name$="-responsible_person"]')
    assert (box.input_value(), hidden.input_value()) == ("张明", str(staff["张明"].pk))

    measure.get_by_label("责任单位").select_option(label="预算科")  # still his unit: kept, nothing said
    assert (box.input_value(), hidden.input_value()) == ("张明", str(staff["张明"].pk))
    assert not measure.get_by_test_id("person-notice").is_visible()

    measure.get_by_label("责任单位").select_option(label="财政服务中心")  # not his unit: cleared, and said
    notice = measure.get_by_test_id("person-notice")
    notice.wait_for()
    assert notice.inner_text() == "原责任人 张明 不属于所选责任单位，请重新选择"
    assert (box.input_value(), hidden.input_value()) == ("", "")
    page.screenshot(path=str(Path(os.environ.get("LEDGER_SHOTS", tmp_path)) / "measure-form-notice.png"))

    measure.get_by_label("责任单位").select_option(label="预算科")
    box.press_sequentially("李")
    page.locator(f"{slot} [role=option]", has_text="李华").wait_for()
    box.press("Enter")
    measure.get_by_label("完成时限").fill("2099-12-31")
    box.press("Enter")
    page.wait_for_selector("tr[data-measure]:has-text('建立会签限时办结制度')")
    saved = Measure.objects.get(problem__ledger=ledger)
    assert (saved.responsible_person.name, saved.responsible_unit.name, saved.responsible_name) == (
        "李华",
        "预算科",
        "",
    )


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _inside(page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.fixture
def filled(people, org, staff, seed_campaign):
    """预算科's list with two problems, two measures on the first; returns the ledger."""
    from zuofeng.rectification.services import ledger as services

    ledger = Ledger.objects.create(campaign=seed_campaign, unit=org.section_a1)
    category = seed_campaign.categories.get(key="responsibility")
    source = seed_campaign.sources.get(kind="self")
    today = clock.today()
    for spec in PROBLEMS[:2]:
        problem = services.problem_create(
            actor=people.own_clerk, ledger=ledger, category=category, source=source,
            description=spec["description"], found_on=today,
        )  # fmt: skip
        for item in spec["measures"]:
            services.measure_create(
                actor=people.own_clerk, problem=problem, text=item["text"], standard=item["standard"],
                responsible_leader="陈副局长", responsible_person=staff["张明"], starts_on=today,
                deadline=today + dt.timedelta(days=item["days"]),
            )  # fmt: skip
    return ledger


@pytest.mark.parametrize("username", ["clerk_a1", "leader_a", "office"])
def test_ledger_page_on_a_desktop_and_a_phone(browser, live_server, filled, password, username, tmp_path):
    """At 1366 px a table; at 390 px cards, each measure with its deadline, light and actions on screen."""
    shots = Path(os.environ.get("LEDGER_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": height}
        )
        page = context.new_page()
        ui_login(page, username, password)
        page.goto(f"/rectification/ledgers/{filled.pk}/")
        if username == "clerk_a1":
            page.get_by_role("button", name="添加问题").click()
            open_form(page, "#new-problem-slot")
            checks = page.locator("#new-problem-slot fieldset")
            save = page.locator("#new-problem-slot").get_by_role("button", name="保存")
            assert checks.bounding_box()["width"] > 300  # not squeezed into a column of one or two characters
            assert checks.bounding_box()["y"] + checks.bounding_box()["height"] <= save.bounding_box()["y"]
            assert page.get_by_label("企业、基层、群众期盼诉求").is_visible()
        page.screenshot(path=str(shots / f"ledger-{username}-{width}.png"), full_page=True)
        header = page.locator(".zf-ledger thead")
        first_measure = page.locator("tr[data-measure]").first
        _no_sideways_scroll(page)
        _inside(page, first_measure.locator("[data-light]"))
        _inside(page, first_measure.locator("td[data-label='完成时限']"))
        if width < 768:
            assert not header.is_visible()
            assert first_measure.locator("td[data-label='完成时限']").is_visible()
            if username == "clerk_a1":
                _inside(page, first_measure.get_by_title("删除"))
        else:
            assert header.is_visible()
        context.close()
