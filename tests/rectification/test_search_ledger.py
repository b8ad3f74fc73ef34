"""Chinese search: two-character terms find exactly the items containing them, within the user's scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zuofeng.rectification.models import Ledger
from zuofeng.rectification.selectors.search import ledger_search
from zuofeng.rectification.services import ledger as services
from zuofeng.rectification.services.search import bigrams, is_cjk_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(ledger, campaign, org, people):
    """Own unit (section_a1) and sibling unit (section_a2) items, by description."""
    sibling = Ledger.objects.create(campaign=campaign, unit=org.section_a2)
    clerk_a2 = people.sibling_clerk
    duty, source = campaign.categories.get(key="duty"), campaign.sources.get(key="self")

    def problem(ledger, actor, text, detail=""):
        return services.problem_create(
            actor=actor, ledger=ledger, category=duty, source=source, description=text,
            source_detail=detail, found_on=dt.date(2018, 9, 1),
        )  # fmt: skip

    def measure(problem, actor, text, **extra):
        return services.measure_create(
            actor=actor, problem=problem, text=text, starts_on=dt.date(2018, 9, 16), is_ongoing=True, **extra
        )

    own = problem(ledger, people.own_clerk, "窗口办件推诿扯皮，群众多次跑腿")
    near = problem(ledger, people.own_clerk, "推进工作不力，诿过于人", detail="领导点评")
    approval = measure(own, people.own_clerk, "审批事项一次告知")
    standard = measure(near, people.own_clerk, "建立责任清单", standard="杜绝推诿现象")
    plain = measure(near, people.own_clerk, "每月通报")
    other = problem(sibling, clerk_a2, "国库支付审批推诿")
    other_measure = measure(other, clerk_a2, "审批流程再造")
    return {
        "own": own, "near": near, "approval": approval, "standard": standard,
        "plain": plain, "other": other, "other_measure": other_measure,
    }  # fmt: skip


def found(user, q, campaign):
    result = ledger_search(user=user, q=q, campaign=campaign)
    return [p.pk for p in result.problems.items], [m.pk for m in result.measures.items]


def test_bigrams_of_chinese_and_latin_text():
    assert bigrams("推诿扯皮") == "推诿 诿扯 扯皮"
    assert bigrams("审 批", "审批") == "审 批 审批"
    assert bigrams("2018年ABC审批，推诿") == "2018 年 abc 审批 推诿"
    assert bigrams("", None) == ""
    assert (is_cjk_term("推诿"), is_cjk_term("推"), is_cjk_term("a推")) == (True, False, False)


def test_search_tuiwei_for_own_clerk_finds_only_own_items(items, people, campaign):
    problems, measures = found(people.own_clerk, "推诿", campaign)
    assert problems == [items["own"].pk]
    assert measures == [items["standard"].pk]


def test_search_shenpi_for_own_clerk_never_returns_other_unit(items, people, campaign):
    assert found(people.own_clerk, "审批", campaign) == ([], [items["approval"].pk])
    assert found(people.sibling_clerk, "审批", campaign) == ([items["other"].pk], [items["other_measure"].pk])


def test_search_for_reviewer_and_office_spans_units(items, people, campaign):
    expected = ([items["own"].pk, items["other"].pk], [items["standard"].pk])
    assert found(people.reviewer, "推诿", campaign) == expected
    assert found(people.office, "推诿", campaign) == expected
    assert found(people.other_leader, "推诿", campaign) == ([], [])
    assert found(people.sysadmin, "推诿", campaign) == ([], [])


def test_search_longer_single_and_several_terms(items, people, campaign):
    assert found(people.office, "推诿扯皮", campaign) == ([items["own"].pk], [])
    assert found(people.office, "诿过", campaign) == ([items["near"].pk], [])
    assert found(people.office, "审批 告知", campaign) == ([], [items["approval"].pk])
    assert found(people.office, "点评", campaign) == ([items["near"].pk], [])
    assert found(people.office, "  ", campaign) == ([], [])
    assert found(people.office, "推诿", None) == ([], [])


def test_search_by_responsible_person_name(items, people, campaign):
    services.measure_update(
        actor=people.own_clerk, measure=items["plain"], version=1, data={"responsible_leader": "赵建国"}
    )
    assert found(people.own_clerk, "建国", campaign) == ([], [items["plain"].pk])


def test_search_uses_bigram_index_on_postgresql(items, people, campaign):
    with CaptureQueriesContext(connection) as queries:
        found(people.office, "推诿", campaign)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "plainto_tsquery('simple'" in sql
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'rect_%%_bigrams_gin' ORDER BY 1")
            assert [r[0] for r in cursor.fetchall()] == ["rect_measure_bigrams_gin", "rect_problem_bigrams_gin"]
    else:
        assert "plainto_tsquery" not in sql
        assert "IN (SELECT rowid FROM rect_problem_fts WHERE rect_problem_fts MATCH" in sql


def test_search_page_highlights_and_shows_light(items, client_for, people):
    html = client_for(people.own_clerk).get(reverse("rectification:search"), {"q": "推诿"}).content.decode()
    assert "窗口办件<mark>推诿</mark>扯皮" in html
    assert "杜绝<mark>推诿</mark>现象" in html
    assert "国库支付" not in html
    assert 'data-light="none"' in html
    assert '<span class="text-muted fw-normal small ms-2" data-testid="problem-count">共 1 条</span>' in html
    assert '<span class="text-muted fw-normal small ms-2" data-testid="measure-count">共 1 条</span>' in html
    empty = client_for(people.own_clerk).get(reverse("rectification:search")).content.decode()
    assert "搜索问题和整改措施" in empty


def test_search_rows_are_drawn_as_the_template_drew_them(items, client_for, people, org):
    org.section_a1.short_name = "预算<科>"
    org.section_a1.save(update_fields=["short_name"])
    html = client_for(people.own_clerk).get(reverse("rectification:search"), {"q": "推诿"}).content.decode()
    own, standard = items["own"], items["standard"]
    ledger = reverse("rectification:ledger_detail", args=[own.ledger_id])
    assert (
        f"<tr><td>预算&lt;科&gt;</td><td>{own.category.name}</td>\n"
        f'      <td><a href="{ledger}#problem-{own.pk}">窗口办件<mark>推诿</mark>扯皮，群众多次跑腿</a></td></tr>\n'
    ) in html
    assert (
        "<tr><td>预算&lt;科&gt;</td>\n"
        f'      <td><a href="{ledger}#measure-row-{standard.pk}">杜绝<mark>推诿</mark>现象</a></td>\n'
        '      <td class="text-nowrap">长期坚持</td><td><span class="zf-light zf-light-none text-nowrap"'
        ' data-light="none"><i class="bi bi-circle-fill"></i> 未亮灯</span></td></tr>\n'
    ) in html
    none = client_for(people.own_clerk).get(reverse("rectification:search"), {"q": "没有"}).content.decode()
    assert none.count("没有找到。") == 2


def test_search_measure_snippet_comes_from_the_first_text_holding_a_term(items, people, campaign):
    from zuofeng.rectification.views.search import search_rows

    services.measure_update(
        actor=people.own_clerk, measure=items["plain"], version=1, data={"remark": "按月推诿情况通报"}
    )
    result = ledger_search(user=people.own_clerk, q="推诿", campaign=campaign)
    rows = search_rows(result.measures, result.terms)
    assert [m.pk for m in result.measures.items] == [items["standard"].pk, items["plain"].pk]
    assert ">杜绝<mark>推诿</mark>现象</a>" in rows and ">按月<mark>推诿</mark>情况通报</a>" in rows


def test_highlight_escapes_html_and_cuts_long_text():
    from zuofeng.rectification.views.search import highlight

    assert highlight("<b>推诿</b>", ["推诿"]) == "&lt;b&gt;<mark>推诿</mark>&lt;/b&gt;"
    long = "甲" * 100 + "审批" + "乙" * 100
    assert highlight(long, ["审批"], width=20) == "…" + "甲" * 6 + "<mark>审批</mark>" + "乙" * 12 + "…"


def test_search_page_query_count_does_not_grow(items, client_for, people, ledger, campaign):
    c = client_for(people.office)
    c.get(reverse("rectification:ledger_list"))
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("rectification:search"), {"q": "推诿"})
    for i in range(10):
        problem = services.problem_create(
            actor=people.own_clerk, ledger=ledger, category=items["own"].category, source=items["own"].source,
            description=f"推诿问题{i}", found_on=dt.date(2018, 9, 1),
        )  # fmt: skip
        services.measure_create(
            actor=people.own_clerk, problem=problem, text=f"杜绝推诿{i}", starts_on=dt.date(2018, 9, 1), is_ongoing=True
        )
    with CaptureQueriesContext(connection) as many:
        html = c.get(reverse("rectification:search"), {"q": "推诿"}).content.decode()
    assert 'data-testid="problem-count">共 12 条<' in html
    assert 'data-testid="measure-count">共 11 条<' in html
    assert len(many) == len(few)
