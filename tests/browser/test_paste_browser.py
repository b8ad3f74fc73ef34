"""A clerk copies five problems from an Excel sheet and pastes them into the unit's list.

The text goes through the real clipboard (Ctrl+V into the textarea), is previewed with htmx and
confirmed; the page then shows the list with the five problems.
"""

import pytest

from tests.browser.conftest import ui_login
from tests.rectification import conftest as rectification_fixtures
from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import Measure, Problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

campaign, ledger = rectification_fixtures.campaign, rectification_fixtures.ledger

HEADER = "序号\t类别\t问题来源\t问题描述\t整改措施\t分管领导\t开始日期\t整改时限"
ROWS = [
    f"{n}\t责任中梗阻\t自己找\t第{n}个问题：窗口办件推诿扯皮\t第{n}条措施：实行首问负责制\t张副局长\t2018-09-16\t2018-12-31"
    for n in range(1, 6)
]


def test_paste_five_problems_preview_and_confirm(page, people, ledger, password):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ui_login(page, people.own_clerk.username, password)
    page.goto(f"/rectification/ledgers/{ledger.pk}/")
    page.get_by_test_id("ledger-paste").click()
    textarea = page.get_by_label("粘贴的行")
    page.evaluate("text => navigator.clipboard.writeText(text)", "\r\n".join([HEADER, *ROWS]) + "\r\n")
    textarea.focus()
    page.keyboard.press("Control+V")
    assert "第5个问题" in textarea.input_value()
    page.get_by_test_id("paste-preview-button").click()
    preview = page.get_by_test_id("paste-preview")
    preview.wait_for()
    assert preview.locator("tbody tr").count() == 5
    assert "检查无误：共 5 行，问题 5 条、措施 5 条" in page.get_by_test_id("paste-ok").inner_text()
    assert Problem.objects.count() == 0
    page.get_by_test_id("paste-confirm").click()
    page.wait_for_url(f"**/rectification/ledgers/{ledger.pk}/")
    assert "粘贴导入成功" in page.content()
    assert page.locator("tr.zf-problem").count() == 5
    assert (Problem.objects.count(), Measure.objects.count()) == (5, 5)
    assert AuditEntry.objects.filter(action="ledger.import", detail__startswith="粘贴").count() == 1
