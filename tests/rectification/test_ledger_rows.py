"""The list table's rows, drawn by views/ledger_rows.py: links, escaping, locks and query count."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from zuofeng.rectification.models import ItemReview, Measure, MeasureState, Problem
from zuofeng.rectification.selectors.ledger_rows import ledger_lines

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"rectification:{name}", args=args)


def test_every_row_link_is_the_reversed_url(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    pk = problem.ledger_id
    html = client_for(people.own_clerk).get(url("ledger_table", pk)).content.decode()
    links = set(re.findall(r'(?:hx-get|hx-post|href)="(/rectification/ledgers/[^"]*)"', html))
    assert links == {
        url("ledger_problem_edit", pk, problem.pk),
        url("ledger_problem_move", pk, problem.pk, "up"),
        url("ledger_problem_move", pk, problem.pk, "down"),
        url("ledger_problem_delete", pk, problem.pk),
        url("ledger_measure_edit", pk, measure.pk),
        url("ledger_measure_move", pk, measure.pk, "up"),
        url("ledger_measure_move", pk, measure.pk, "down"),
        url("ledger_measure_delete", pk, measure.pk),
        url("ledger_measure_new", pk, problem.pk),
        url("ledger_problem_new", pk),
    }


def test_read_only_measure_row_exact_html(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    Measure.objects.filter(pk=measure.pk).update(
        text="实行首问负责制\r\n一次告知<办理>要求", remark="见附件", responsible_name="李科长"
    )
    html = client_for(people.office).get(url("ledger_measure_row", problem.ledger_id, measure.pk)).content.decode()
    assert html == (
        f'<tr id="measure-row-{measure.pk}" data-measure="{measure.pk}">\n'
        '<td class="text-end text-muted small zf-order">1.1</td>\n'
        '<td class="zf-text">实行首问负责制<br>一次告知&lt;办理&gt;要求\n'
        '<div class="small text-muted">备注：见附件</div>\n</td>\n'
        '<td class="zf-opt" data-label="整改标准">群众办事一次办结率达到95%</td>\n'
        '<td class="zf-opt" data-label="责任领导">张副局长</td>\n'
        '<td data-label="责任单位／责任人">预算科／李科长</td>\n'
        '<td class="text-nowrap zf-short" data-label="开始日期">2018年9月16日</td>\n'
        '<td class="text-nowrap zf-short" data-label="完成时限">2018年10月16日</td>\n'
        '<td class="zf-short zf-light-cell"><span class="zf-light zf-light-none text-nowrap" data-light="none">'
        '<i class="bi bi-circle-fill"></i> 未亮灯</span>\n</td>\n'
        '<td class="zf-actions">\n</td>\n</tr>\n'
    )


def test_returned_problem_shows_escaped_comment_and_source_detail(client_for, people, problem_with_measure):
    problem, _ = problem_with_measure
    Problem.objects.filter(pk=problem.pk).update(
        review=ItemReview.RETURNED, review_comment="请补充<b>依据</b>", source_detail="王局长", symptom=None
    )
    html = client_for(people.own_clerk).get(url("ledger_problem_row", problem.ledger_id, problem.pk)).content.decode()
    returned = '<span class="badge text-bg-danger">已退回</span> <span class="text-danger">{}</span>'
    assert returned.format("请补充&lt;b&gt;依据&lt;/b&gt;") in html
    assert "问题来源：自己找（王局长） · 查摆日期：2018年9月1日" in html
    assert "text-bg-light border" not in html  # no 具体表现 badge
    assert 'hx-trigger="click"' in html  # returned items stay editable


def test_approved_problem_locks_its_rows(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    Problem.objects.filter(pk=problem.pk).update(review=ItemReview.APPROVED)
    Measure.objects.filter(pk=measure.pk).update(state=MeasureState.IN_PROGRESS)
    html = client_for(people.own_clerk).get(url("ledger_table", problem.ledger_id)).content.decode()
    assert 'hx-trigger="click"' not in html
    assert html.count('aria-label="已锁定"') == 2
    assert f'href="/rectification/review/changes/new/{measure.pk}/">申请变更</a>' in html
    assert f'href="/rectification/measures/{measure.pk}/">进展</a>' in html
    assert f'id="measure-slot-{problem.pk}"' not in html  # no 添加措施 under a locked problem


def test_lines_cost_five_queries_however_long_the_list(ledger, campaign, people, django_assert_num_queries):
    for i in range(1, 13):
        problem = Problem.objects.create(
            ledger=ledger, unit=ledger.unit, order=i, category=campaign.categories.first(),
            source=campaign.sources.first(), description=f"问题{i}", found_on=dt.date(2018, 9, 1),
        )  # fmt: skip
        problem.benchmarks.set(campaign.benchmarks.all())
        for j in range(1, 4):
            Measure.objects.create(
                problem=problem, unit=ledger.unit, campaign=campaign, order=j, text=f"措施{i}-{j}",
                starts_on=dt.date(2018, 9, 16), deadline=dt.date(2018, 12, 1), responsible_unit=ledger.unit,
                responsible_person=people.own_clerk.person, key_area=campaign.key_areas.get(),
            )  # fmt: skip
    with django_assert_num_queries(5):  # problems, benchmarks, measures, their units, their people
        lines = ledger_lines(ledger=ledger)
    assert [len(line.measures) for line in lines] == [3] * 12
    first = lines[0].measures[0]
    assert (first.unit, first.person, first.key_area) == ("预算科", people.own_clerk.person.name, "高效服务")
    assert lines[0].benchmarks == ["对照企业、基层、群众期盼诉求"]
