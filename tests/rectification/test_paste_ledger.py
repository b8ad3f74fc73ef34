"""Rows pasted from Excel or a Word table: preview with each cell's problems, then one all-or-nothing save."""

import datetime as dt

import pytest
from django.urls import reverse

from zuofeng.audit.models import AuditEntry
from zuofeng.rectification.models import Measure, Problem
from zuofeng.rectification.services.paste import ledger_paste, paste_records

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}

# What Excel puts on the clipboard: a header row in the ledger's own words, tabs between cells,
# a cell with a line break quoted, its inner quotes doubled.
EXCEL_TEXT = (
    "序号\t问题类别\t问题来源\t存在问题\t整改举措\t分管领导\t开始时间\t整改时限\t是否长期坚持\r\n"
    '1\t责任中梗阻\t群众提\t"窗口推诿扯皮\n群众说""跑断腿"""\t实行首问负责制\t张副局长\t2018-09-16\t2018年12月31日\t否\r\n'
    "\t\t\t\t每月通报办件情况\t张副局长\t2018/9/16\t\t是\r\n"
    "2\t思维中梗阻\t自己找\t干事缺乏激情\t开展作风大讨论\t\t2018.9.16\t2018-10-31\t\r\n"
)


def url(ledger) -> str:
    return reverse("rectification:ledger_paste", args=[ledger.pk])


def counts() -> tuple[int, int]:
    return Problem.objects.count(), Measure.objects.count()


def test_excel_and_word_clipboards_parse_to_the_same_cells():
    assert paste_records(EXCEL_TEXT)[1][3] == '窗口推诿扯皮\n群众说"跑断腿"'
    word = "1\t责任中梗阻\t窗口推诿扯皮\v群众跑断腿\r\n2\t思维中梗阻\t干事缺乏激情\r\n"
    assert paste_records(word) == [["1", "责任中梗阻", "窗口推诿扯皮\n群众跑断腿"], ["2", "思维中梗阻", "干事缺乏激情"]]


def test_preview_shows_the_exact_values_and_saves_nothing(client_for, people, ledger):
    response = client_for(people.own_clerk).post(url(ledger), {"text": EXCEL_TEXT, "action": "preview"}, **HX)
    preview = response.context["preview"]
    assert preview["columns"] == [
        "序号", "类别", "问题来源", "问题描述", "整改措施", "责任领导", "开始日期", "完成时限", "长期坚持"
    ]  # fmt: skip
    assert [row["number"] for row in preview["rows"]] == [2, 3, 4]
    assert [value for value, _reasons in preview["rows"][0]["cells"]] == [
        "1", "责任中梗阻", "群众提", '窗口推诿扯皮\n群众说"跑断腿"', "实行首问负责制", "张副局长", "2018-09-16",
        "2018年12月31日", "否",
    ]  # fmt: skip
    assert (preview["problems"], preview["measures"]) == (2, 3)
    body = response.content.decode()
    assert "<html" not in body  # htmx gets the panel only
    assert "检查无误：共 3 行，问题 2 条、措施 3 条" in body
    assert counts() == (0, 0)


def test_errors_named_by_row_and_column_and_marked_on_the_cell(client_for, people, ledger):
    text = "1\t责任中梗阻\t\t\t群众提\t\t窗口推诿扯皮\t\t实行首问负责制\t\t\t\t\t2018-09-16\t9月底\n"
    text += "2\t思想中梗阻\t\t\t自己找\t\t干事缺乏激情\t\t开展大讨论\t\t\t\t\t2018-09-16\t\t是\n"
    response = client_for(people.own_clerk).post(url(ledger), {"text": text, "action": "preview"})
    result = response.context["result"]
    assert [str(e) for e in result.errors] == [
        "第 1 行「完成时限」：“9月底”不是日期；请写成 2018-09-30、2018年9月30日 或 长期坚持",
        "第 2 行「类别」：未知类别“思想中梗阻”",
    ]
    rows = response.context["preview"]["rows"]
    assert rows[0]["cells"][14] == ("9月底", ["“9月底”不是日期；请写成 2018-09-30、2018年9月30日 或 长期坚持"])
    assert rows[1]["cells"][1] == ("思想中梗阻", ["未知类别“思想中梗阻”"])
    body = response.content.decode()
    assert "有 2 处错误" in body and "没有保存任何数据" in body
    assert 'value="confirm" data-testid="paste-confirm" disabled' in body
    confirm = client_for(people.own_clerk).post(url(ledger), {"text": text, "action": "confirm"})
    assert confirm.status_code == 200
    assert counts() == (0, 0)


def test_confirm_saves_exactly_the_rows_once_and_audits(client_for, people, ledger):
    c = client_for(people.own_clerk)
    response = c.post(url(ledger), {"text": EXCEL_TEXT, "action": "confirm"}, **HX)
    assert (response.status_code, response["HX-Redirect"]) == (
        204,
        reverse("rectification:ledger_detail", args=[ledger.pk]),
    )
    first, second = Problem.objects.order_by("order")
    assert (first.description, first.category.name, first.source.name) == (
        '窗口推诿扯皮\n群众说"跑断腿"',
        "责任中梗阻",
        "群众提",
    )
    assert list(
        first.measures.order_by("order").values_list("text", "responsible_leader", "deadline", "is_ongoing")
    ) == [
        ("实行首问负责制", "张副局长", dt.date(2018, 12, 31), False),
        ("每月通报办件情况", "张副局长", None, True),
    ]
    assert list(second.measures.values_list("text", "starts_on", "deadline")) == [
        ("开展作风大讨论", dt.date(2018, 9, 16), dt.date(2018, 10, 31))
    ]
    entry = AuditEntry.objects.get(action="ledger.import")
    assert entry.after == {"新增问题": 2, "新增措施": 3, "已存在": 0}
    assert entry.detail == "粘贴：新增问题 2 条、措施 3 条；已存在未重复导入 0 条"
    page = c.get(reverse("rectification:ledger_detail", args=[ledger.pk])).content.decode()
    assert "粘贴导入成功：新增问题 2 条、措施 3 条；已存在未重复导入 0 条。" in page
    result = ledger_paste(actor=people.own_clerk, ledger=ledger, text=EXCEL_TEXT, save=True)
    assert result.summary() == "新增问题 0 条、措施 0 条；已存在未重复导入 3 条"
    assert counts() == (2, 3)


def test_one_bad_row_saves_none_of_the_good_ones(people, ledger):
    text = EXCEL_TEXT + "3\t责任中梗阻\t自己找\t审批慢\t压缩审批时限\t\t明天\t2018-12-31\t\n"
    result = ledger_paste(actor=people.own_clerk, ledger=ledger, text=text, save=True)
    assert [str(e) for e in result.errors] == [
        "第 5 行「开始日期」：“明天”不是日期；请写成 2018-09-30 或 2018年9月30日"
    ]
    assert counts() == (0, 0)


def test_back_to_edit_keeps_the_pasted_text(client_for, people, ledger):
    response = client_for(people.own_clerk).post(url(ledger), {"text": EXCEL_TEXT, "action": "edit"}, **HX)
    assert response.context["result"] is None
    assert response.context["form"]["text"].value() == EXCEL_TEXT
    assert "整改举措" in response.content.decode()


def test_unknown_header_in_the_pasted_line_is_refused_by_name(people, ledger):
    result = ledger_paste(
        actor=people.own_clerk, ledger=ledger, text="类别\t问题描述\t督办意见\n责任中梗阻\t甲\t乙\n", save=False
    )
    assert str(result.errors[0]).startswith("第 1 行「督办意见」：无法识别表头「督办意见」；应为：序号、类别*")


def test_only_editors_of_that_ledger_may_paste(client_for, people, ledger):
    for action in ("edit", "confirm"):
        data = {"text": EXCEL_TEXT, "action": action}
        assert client_for(people.sibling_clerk).post(url(ledger), data).status_code == 404
        assert client_for(people.reviewer).post(url(ledger), data).status_code == 403
    assert client_for(people.sibling_clerk).get(url(ledger)).status_code == 404
    assert client_for(people.own_clerk).get(url(ledger)).status_code == 200
    assert counts() == (0, 0)


def test_ledger_page_links_to_paste(client_for, people, ledger):
    page = client_for(people.own_clerk).get(reverse("rectification:ledger_detail", args=[ledger.pk])).content.decode()
    assert f'href="{url(ledger)}"' in page
