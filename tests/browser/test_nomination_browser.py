"""评优申报 in a real browser: the live 字数 counter agrees with the server on the shared case table;
a unit administrator fills form 1, goes over 500 字 and back, uploads the stamped scan and submits."""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import ui_login
from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import BEFORE, MAIN_TEXT, PDF_BYTES
from zuofeng.core import clock
from zuofeng.core.wordcount import word_count
from zuofeng.nominations.models import Nomination, NominationState

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
private_root = support.private_root
star = support.star
wujin = support.wujin


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
CASES = json.loads((Path(__file__).parents[1] / "data" / "wordcount_cases.json").read_text(encoding="utf-8"))


def test_wordcount_browser_counter_matches_server_on_case_table(page):
    page.goto("/accounts/login/")
    page.add_script_tag(url="/static/zuofeng/wordcount.js")
    counted = page.evaluate("cases => cases.map(c => window.ZuofengWordCount.count(c.text))", CASES)
    assert counted == [word_count(c["text"]) for c in CASES]
    assert counted == [c["count"] for c in CASES]


def test_unit_administrator_fills_and_submits_star_form_in_browser(
    page, people, org, star, password, tmp_path, private_root
):
    scan = tmp_path / "盖章申报表.pdf"
    scan.write_bytes(PDF_BYTES)
    with clock.frozen(BEFORE):
        ui_login(page, "leader_a", password)
        page.goto("/nominations/")
        card = page.get_by_test_id("award-service-star")
        assert card.get_by_test_id("standing").inner_text() == "本单位已申报 0/1"
        with page.expect_navigation():
            card.get_by_role("link", name="填写“十佳优秀服务明星”申报表").click()
        assert "本单位已申报 0/1" in page.get_by_test_id("standing").inner_text()
        assert page.get_by_test_id("applicant").inner_text() == "武进区财政局"

        page.get_by_label("姓名").fill("王晓明")
        page.get_by_label("现任职务").fill("行政审批科科长")
        page.get_by_label("性别").select_option(label="男")
        page.get_by_label("出生年月").fill("1985-06")
        page.get_by_label("政治面貌").select_option(label="中共党员")
        page.get_by_label("联系电话").fill("0519-86310060")
        page.get_by_label("年份").fill("2017")
        page.get_by_label("荣誉名称").fill("优秀共产党员")
        page.get_by_label("授予单位").fill("中共常州市武进区委")
        page.get_by_role("button", name="增加一行").click()
        assert page.get_by_label("年份").count() == 2
        page.get_by_role("button", name="删除").last.click()
        assert page.get_by_label("年份").count() == 1

        deeds = page.get_by_label("主要事迹")
        counter = page.get_by_test_id("counter-main_text")
        deeds.fill("服务" * 255)
        assert counter.inner_text() == "已写 510 / 500 字，超出 10 字"
        assert "text-danger" in counter.get_attribute("class")
        deeds.fill(MAIN_TEXT)
        assert counter.inner_text() == "已写 38 / 500 字"
        assert "text-danger" not in counter.get_attribute("class")

        page.get_by_label("姓名").focus()  # leaving the text field autosaves
        page.get_by_test_id("autosave-status").wait_for()
        assert page.get_by_test_id("autosave-status").inner_text() == "已自动保存 10:00:00"

        page.get_by_role("button", name="保存并报送").click()
        page.wait_for_url("**/submit/")
        page.get_by_label("盖章扫描件").set_input_files(str(scan))
        with page.expect_navigation():
            page.get_by_role("button", name="报送", exact=True).click()
        assert page.get_by_test_id("state").inner_text() == "已报送"
        assert "“王晓明”已报送。" in page.locator("main").inner_text()

    nomination = Nomination.objects.get()
    assert (nomination.state, nomination.slot, nomination.stamped_scan_name) == (
        NominationState.SUBMITTED,
        1,
        "盖章申报表.pdf",
    )
    assert nomination.data["phone"] == "0519-86310060"
    assert nomination.data["honours"] == [{"year": 2017, "honour": "优秀共产党员", "body": "中共常州市武进区委"}]


def test_submitted_form_downloads_as_word_shows_on_board_and_is_scored_in_browser(
    page, people, org, star, password, tmp_path, private_root
):
    import io

    from docx import Document

    from zuofeng.nominations.models import JudgeAssignment, Score
    from zuofeng.nominations.workflow import nomination_transition

    data = {
        "name": "王晓明",
        "position": "行政审批科科长",
        "gender": "1",
        "birth_month": "1985-06",
        "political_status": "01",
        "phone": "13912345678",
        "main_text": MAIN_TEXT,
    }
    nomination = Nomination.objects.create(
        award=star, campaign=star.campaign, unit=org.dept_a, title="王晓明", data=data, created_by=people.reviewer
    )
    with clock.frozen(BEFORE):
        nomination_transition(actor=people.reviewer, nomination=nomination, to=NominationState.SUBMITTED)

        # The unit administrator downloads the Word file to print and stamp.
        ui_login(page, "leader_a", password)
        page.goto(f"/nominations/{nomination.pk}/")
        with page.expect_download() as download:
            page.get_by_test_id("download-docx").click()
        document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
        cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
        assert {"王晓明", "行政审批科科长"} <= cells
        page.get_by_test_id("current-user").click()
        with page.expect_navigation():  # else the next goto may cancel the logout on its way
            page.get_by_role("button", name="退出登录").click()

        # The office sees it on its board.
        ui_login(page, "office", password)
        page.goto("/nominations/board/")
        assert "已报送 1" in page.get_by_test_id("board-service-star").get_by_test_id("counts").inner_text()
        page.get_by_test_id("current-user").click()
        with page.expect_navigation():
            page.get_by_role("button", name="退出登录").click()

    # Judging opens after the deadline with a judge from outside the unit.
    JudgeAssignment.objects.create(award=star, judge=people.judge, assigned_by=people.office)
    with clock.frozen(support.AFTER):
        nomination_transition(actor=people.office, nomination=nomination, to=NominationState.JUDGING)
        ui_login(page, "judge", password)
        page.goto("/nominations/judging/")
        with page.expect_navigation():
            page.get_by_role("link", name="评分").first.click()
        shown = page.locator("main").inner_text()
        assert "13912345678" not in shown  # judges never see phone numbers, only the masked form
        assert "139****5678" in shown
        for index, criterion in enumerate(star.criteria):
            page.get_by_label(f"{criterion['name']}（权重 {criterion['weight']}%）").fill(str(80 + index))
        with page.expect_navigation():
            page.get_by_role("button", name="保存评分").click()
        assert "已保存对“王晓明”的评分。" in page.locator("main").inner_text()
    assert sorted(Score.objects.filter(judge=people.judge).values_list("score", flat=True)) == [
        80 + index for index in range(len(star.criteria))
    ]
