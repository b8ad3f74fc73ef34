"""The live 字数 counter in the nomination form: the server's "超出 N 字" refusal goes away once the
text is back within 500 字; the scan step links the form to print (PDF and Word)."""

import pytest

from tests.browser.conftest import ui_login
from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import BEFORE, MAIN_TEXT, STAR_DATA
from zuofeng.core import clock
from zuofeng.nominations.services.lifecycle import nomination_create_draft

private_root = support.private_root
star = support.star
wujin = support.wujin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_server_over_limit_message_clears_when_text_is_back_within_limit(page, people, org, star, password):
    with clock.frozen(BEFORE):
        draft = nomination_create_draft(actor=people.reviewer, award=star, unit=org.dept_a, data=STAR_DATA)
        ui_login(page, "leader_a", password)
        page.goto(f"/nominations/{draft.pk}/edit/")
        deeds = page.get_by_label("主要事迹")
        deeds.fill("服务" * 307 + "好")  # 615 字
        with page.expect_navigation():
            page.get_by_role("button", name="保存并报送").click()
        field_box = page.get_by_test_id("counter-main_text").locator("..")
        error = field_box.locator(".invalid-feedback")
        assert error.inner_text() == "“主要事迹”已写 615 字，超出 115 字（限 500 字）。"
        assert page.get_by_test_id("counter-main_text").inner_text() == "已写 615 / 500 字，超出 115 字"
        assert "is-invalid" in deeds.get_attribute("class")

        deeds.fill("服务" * 255)  # 510: still over, the server's message stays
        assert error.count() == 1
        deeds.fill(MAIN_TEXT)
        assert page.get_by_test_id("counter-main_text").inner_text() == "已写 38 / 500 字"
        assert (error.count(), "is-invalid" in deeds.get_attribute("class")) == (0, False)
        assert "超出" not in field_box.inner_text()


def test_scan_step_links_the_form_to_print(page, people, org, star, password, private_root):
    with clock.frozen(BEFORE):
        draft = nomination_create_draft(actor=people.reviewer, award=star, unit=org.dept_a, data=STAR_DATA)
        ui_login(page, "leader_a", password)
        page.goto(f"/nominations/{draft.pk}/submit/")
        assert page.get_by_test_id("print-form").inner_text() == "打印申报表：PDF 版（直接打印） · Word 版"
        with page.expect_download() as download:
            page.get_by_test_id("print-docx").click()
        assert download.value.suggested_filename.endswith(".docx")
        response = page.request.get(page.get_by_test_id("print-pdf").get_attribute("href"))
        assert (response.status, response.body()[:5]) == (200, b"%PDF-")
