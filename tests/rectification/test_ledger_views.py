"""The list page: in-place editing over htmx, who sees what, and constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zuofeng.rectification.models import ItemReview, Ledger, LedgerState, Measure, MeasureState, Problem
from zuofeng.rectification.services import ledger as services

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"rectification:{name}", args=args)


def problem_post(campaign, prefix="pnew", **extra):
    data = {
        f"{prefix}-category": campaign.categories.get(key="duty").pk,
        f"{prefix}-symptom": campaign.symptoms.get(key="tuiwei").pk,
        f"{prefix}-source": campaign.sources.get(key="leader").pk,
        f"{prefix}-source_detail": "王局长",
        f"{prefix}-description": "审批时限长，群众反映强烈",
        f"{prefix}-benchmarks": [campaign.benchmarks.get().pk],
        f"{prefix}-found_on": "2018年9月2日",
    }
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return data


def measure_post(prefix, **extra):
    data = {
        f"{prefix}-text": "压缩审批时限至5个工作日",
        f"{prefix}-standard": "平均办理时限不超过5个工作日",
        f"{prefix}-responsible_leader": "王局长",
        f"{prefix}-responsible_name": "李科长",
        f"{prefix}-starts_on": "2018-09-16",
        f"{prefix}-deadline": "2018-11-30",
    }
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return data


def test_ledger_detail_for_own_clerk_is_editable(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    response = client_for(people.own_clerk).get(url("ledger_detail", problem.ledger_id))
    html = response.content.decode()
    assert response.status_code == 200
    assert "预算科整改清单" in html
    assert "窗口办件推诿扯皮，群众多次跑腿" in html
    assert url("ledger_problem_edit", problem.ledger_id, problem.pk) in html
    assert url("ledger_measure_edit", problem.ledger_id, measure.pk) in html
    assert "2018年10月16日" in html
    assert 'data-light="none"' in html
    assert "起草中" in html


@pytest.mark.parametrize("who", ["reviewer", "office", "inspector"])
def test_ledger_detail_for_readers_is_read_only(client_for, people, problem_with_measure, who):
    problem, _ = problem_with_measure
    html = client_for(getattr(people, who)).get(url("ledger_detail", problem.ledger_id)).content.decode()
    assert "窗口办件推诿扯皮" in html
    assert "只读" in html
    assert "hx-get" not in html
    assert "添加问题" not in html


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "sysadmin", "judge"])
def test_ledger_detail_for_outsiders_is_404(client_for, people, ledger, who):
    assert client_for(getattr(people, who)).get(url("ledger_detail", ledger.pk)).status_code == 404


def test_ledger_detail_anonymous_redirects_to_login(client, ledger):
    response = client.get(url("ledger_detail", ledger.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_problem_new_over_htmx_creates_and_returns_table(client_for, people, ledger, campaign):
    c = client_for(people.own_clerk)
    form = c.get(url("ledger_problem_new", ledger.pk), **HX).content.decode()
    assert 'id="new-problem-slot"' in form
    response = c.post(url("ledger_problem_new", ledger.pk), problem_post(campaign), **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#ledger-table"
    problem = Problem.objects.get()
    assert (problem.source_detail, problem.found_on, problem.order) == ("王局长", dt.date(2018, 9, 2), 1)
    assert "审批时限长，群众反映强烈" in response.content.decode()


def test_problem_new_errors_are_chinese_at_field_and_keep_typed(client_for, people, ledger, campaign):
    data = problem_post(campaign, category="", found_on="九月", description="保留我输入的文字")
    html = client_for(people.own_clerk).post(url("ledger_problem_new", ledger.pk), data, **HX).content.decode()
    assert "请选择类别" in html
    assert "查摆日期不是日期，请按 2018-09-30 的格式填写" in html
    assert "保留我输入的文字" in html
    assert 'value="王局长"' in html
    assert "哪位领导" in html  # source_detail label follows the chosen source
    assert Problem.objects.count() == 0


def test_problem_new_without_htmx_redirects(client_for, people, ledger, campaign):
    response = client_for(people.own_clerk).post(url("ledger_problem_new", ledger.pk), problem_post(campaign))
    assert response.status_code == 302
    assert response["Location"] == url("ledger_detail", ledger.pk)
    page = client_for(people.own_clerk).get(url("ledger_problem_new", ledger.pk))
    assert "添加问题" in page.content.decode()


def test_problem_edit_in_place_returns_row(client_for, people, problem_with_measure, campaign):
    problem, _ = problem_with_measure
    c = client_for(people.own_clerk)
    edit_url = url("ledger_problem_edit", problem.ledger_id, problem.pk)
    form = c.get(edit_url, **HX).content.decode()
    assert "窗口办件推诿扯皮，群众多次跑腿" in form
    assert f'name="p{problem.pk}-version" value="1"' in form
    data = problem_post(campaign, prefix=f"p{problem.pk}", version=1, description="改后的描述")
    response = c.post(edit_url, data, **HX)
    html = response.content.decode()
    assert html.startswith(f'<tr id="problem-row-{problem.pk}"')
    assert "改后的描述" in html
    problem.refresh_from_db()
    assert (problem.description, problem.version) == ("改后的描述", 2)
    assert c.get(url("ledger_problem_row", problem.ledger_id, problem.pk)).status_code == 200


def test_problem_edit_stale_shows_other_values_and_keeps_typed(client_for, people, problem_with_measure, campaign):
    problem, _ = problem_with_measure
    services.problem_update(actor=people.own_clerk, problem=problem, version=1, data={"description": "别人先改了"})
    data = problem_post(campaign, prefix=f"p{problem.pk}", version=1, description="我的修改")
    html = client_for(people.own_clerk).post(url("ledger_problem_edit", problem.ledger_id, problem.pk), data, **HX)
    html = html.content.decode()
    assert "该条目已被 clerk_a1姓名 于" in html
    assert "别人先改了" in html
    assert "我的修改" in html
    assert f'name="p{problem.pk}-version" value="2"' in html
    problem.refresh_from_db()
    assert problem.description == "别人先改了"


@pytest.mark.parametrize(("who", "status"), [("sibling_clerk", 404), ("other_leader", 404), ("reviewer", 403)])
def test_problem_edit_by_others_refused_and_unchanged(client_for, people, problem_with_measure, campaign, who, status):
    problem, measure = problem_with_measure
    c = client_for(getattr(people, who))
    data = problem_post(campaign, prefix=f"p{problem.pk}", version=1, description="越权修改")
    assert c.post(url("ledger_problem_edit", problem.ledger_id, problem.pk), data, **HX).status_code == status
    assert c.post(url("ledger_problem_delete", problem.ledger_id, problem.pk), **HX).status_code == status
    assert c.post(url("ledger_problem_new", problem.ledger_id), problem_post(campaign), **HX).status_code == status
    m_data = measure_post(f"m{measure.pk}", version=1)
    assert c.post(url("ledger_measure_edit", problem.ledger_id, measure.pk), m_data, **HX).status_code == status
    problem.refresh_from_db()
    assert (problem.description, Problem.objects.count(), Measure.objects.get().text) == (
        "窗口办件推诿扯皮，群众多次跑腿",
        1,
        "实行首问负责制，一次告知办理要求",
    )


def test_problem_delete_and_move(client_for, people, problem_with_measure, campaign):
    problem, _ = problem_with_measure
    other = services.problem_create(
        actor=people.own_clerk,
        ledger=problem.ledger,
        category=problem.category,
        source=problem.source,
        description="第二个问题",
        found_on=dt.date(2018, 9, 3),
    )
    c = client_for(people.own_clerk)
    response = c.post(url("ledger_problem_move", problem.ledger_id, other.pk, "up"), **HX)
    assert response["HX-Retarget"] == "#ledger-table"
    assert list(Problem.objects.order_by("order").values_list("pk", flat=True)) == [other.pk, problem.pk]
    assert c.post(url("ledger_problem_move", problem.ledger_id, other.pk, "sideways"), **HX).status_code == 404
    c.post(url("ledger_problem_delete", problem.ledger_id, other.pk), {"version": "1"}, **HX)
    assert list(Problem.objects.values_list("pk", "order")) == [(problem.pk, 1)]


def test_delete_of_approved_item_shows_notice(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    Problem.objects.filter(pk=problem.pk).update(review=ItemReview.APPROVED)
    c = client_for(people.own_clerk)
    html = c.post(url("ledger_measure_delete", problem.ledger_id, measure.pk), **HX).content.decode()
    assert "该条目已审核通过并锁定，如需变更请提交变更申请。" in html
    assert Measure.objects.count() == 1
    page = c.get(url("ledger_detail", problem.ledger_id)).content.decode()
    assert "bi-lock-fill" in page
    assert f"/rectification/review/changes/new/{measure.pk}/" in page
    assert url("ledger_measure_edit", problem.ledger_id, measure.pk) not in page


def test_measure_new_and_edit_validation_at_field(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    c = client_for(people.own_clerk)
    prefix = f"mnew{problem.pk}"
    new_url = url("ledger_measure_new", problem.ledger_id, problem.pk)
    assert f'id="measure-slot-{problem.pk}"' in c.get(new_url, **HX).content.decode()
    html = c.post(new_url, measure_post(prefix, deadline="2018-09-01"), **HX).content.decode()
    assert "完成时限不能早于开始日期" in html
    assert "压缩审批时限至5个工作日" in html
    html = c.post(new_url, measure_post(prefix, deadline="", is_ongoing="on", starts_on=""), **HX).content.decode()
    assert "请填写开始日期" in html
    response = c.post(new_url, measure_post(prefix, deadline="", is_ongoing="on"), **HX)
    assert response["HX-Retarget"] == "#ledger-table"
    added = Measure.objects.get(text="压缩审批时限至5个工作日")
    assert (added.is_ongoing, added.deadline, added.responsible_name) == (True, None, "李科长")
    edit_url = url("ledger_measure_edit", problem.ledger_id, measure.pk)
    assert "实行首问负责制" in c.get(edit_url, **HX).content.decode()
    data = measure_post(
        f"m{measure.pk}", version=1, responsible_person=people.own_clerk.person_id, responsible_name="clerk_a1姓名"
    )
    html = c.post(edit_url, data, **HX).content.decode()
    assert html.startswith(f'<tr id="measure-row-{measure.pk}"')
    assert "clerk_a1姓名" in html
    measure.refresh_from_db()
    assert (measure.version, measure.responsible_name) == (2, "")


def test_measure_edit_stale_refused(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    services.measure_update(actor=people.own_clerk, measure=measure, version=1, data={"text": "先改的措施"})
    data = measure_post(f"m{measure.pk}", version=1)
    html = client_for(people.own_clerk).post(url("ledger_measure_edit", problem.ledger_id, measure.pk), data, **HX)
    assert "请核对后再保存" in html.content.decode()
    assert Measure.objects.get().text == "先改的措施"


def test_measure_move_and_delete(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    second = services.measure_create(
        actor=people.own_clerk, problem=problem, text="第二条", starts_on=dt.date(2018, 9, 16), is_ongoing=True
    )
    c = client_for(people.own_clerk)
    c.post(url("ledger_measure_move", problem.ledger_id, second.pk, "up"), **HX)
    assert list(problem.measures.order_by("order").values_list("pk", flat=True)) == [second.pk, measure.pk]
    assert c.post(url("ledger_measure_move", problem.ledger_id, second.pk, "x"), **HX).status_code == 404
    response = c.post(url("ledger_measure_delete", problem.ledger_id, measure.pk), {"version": "1"})
    assert response.status_code == 302
    assert list(Measure.objects.values_list("pk", "order")) == [(second.pk, 1)]
    assert c.get(url("ledger_measure_row", problem.ledger_id, second.pk)).status_code == 200


def test_dependent_selects(client_for, people, ledger, campaign, org):
    c = client_for(people.own_clerk)
    duty = campaign.categories.get(key="duty")
    html = c.get(url("ledger_symptoms", ledger.pk), {"p3-category": duty.pk}).content.decode()
    assert "推诿扯皮" in html
    assert "疲软症" not in html
    html = c.get(url("ledger_people", ledger.pk), {"m3-responsible_unit": org.section_a1.pk}).content.decode()
    assert "clerk_a1姓名" in html
    html = c.get(url("ledger_people", ledger.pk), {"m3-responsible_unit": org.section_a2.pk}).content.decode()
    assert "clerk_a2姓名" not in html


def test_ledger_list_and_open(client_for, people, campaign, org):
    c = client_for(people.own_clerk)
    html = c.get(url("ledger_list")).content.decode()
    assert "开始填写预算科整改清单" in html
    response = c.post(url("ledger_open"), {"unit": org.section_a1.pk})
    ledger = Ledger.objects.get(unit=org.section_a1, campaign=campaign)
    assert response["Location"] == url("ledger_detail", ledger.pk)
    assert "打开预算科整改清单" in c.get(url("ledger_list")).content.decode()
    assert client_for(people.sibling_clerk).post(url("ledger_open"), {"unit": org.section_a1.pk}).status_code == 403
    assert "预算科" in client_for(people.reviewer).get(url("ledger_list")).content.decode()
    assert "预算科" not in client_for(people.other_leader).get(url("ledger_list")).content.decode()


def test_submitted_ledger_page_is_read_only_for_clerk(client_for, people, problem_with_measure):
    problem, _ = problem_with_measure
    Ledger.objects.filter(pk=problem.ledger_id).update(state=LedgerState.SUBMITTED)
    html = client_for(people.own_clerk).get(url("ledger_detail", problem.ledger_id)).content.decode()
    assert "审核期间不能修改" in html
    assert "hx-get" not in html


def _fill(ledger, campaign, people, count):
    category, source = campaign.categories.get(key="duty"), campaign.sources.get(key="self")
    for i in range(count):
        problem = Problem.objects.create(
            ledger=ledger, unit=ledger.unit, order=i + 1, category=category, source=source,
            description=f"问题{i}", found_on=dt.date(2018, 9, 1),
        )  # fmt: skip
        problem.benchmarks.set(campaign.benchmarks.all())
        for j in range(2):
            Measure.objects.create(
                problem=problem, unit=ledger.unit, campaign=campaign, order=j + 1, text=f"措施{i}-{j}",
                starts_on=dt.date(2018, 9, 16), deadline=dt.date(2018, 12, 1), state=MeasureState.PLANNED,
                key_area=campaign.key_areas.get(), responsible_person=people.own_clerk.person,
                responsible_unit=ledger.unit,
            )  # fmt: skip


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_ledger_page_query_count_does_not_grow(client_for, people, ledger, campaign):
    c = client_for(people.own_clerk)
    _fill(ledger, campaign, people, 2)
    c.get(url("ledger_list"))  # the first request of a session does one-off writes (last login, activity)
    few = _count(c, url("ledger_detail", ledger.pk))
    _fill(ledger, campaign, people, 18)
    assert Problem.objects.count() == 20
    assert _count(c, url("ledger_detail", ledger.pk)) == few
    assert few <= 15


def test_ledger_list_shows_counts_for_readers(client_for, people, problem_with_measure):
    html = client_for(people.office).get(url("ledger_list")).content.decode()
    assert '<td class="text-sm-end" data-label="问题">1</td><td class="text-sm-end" data-label="措施">1</td>' in html
    assert "开始填写" not in html


def test_ledger_page_links_submit_review_and_history(client_for, people, problem_with_measure):
    problem, _ = problem_with_measure
    html = client_for(people.own_clerk).get(url("ledger_detail", problem.ledger_id)).content.decode()
    assert url("ledger_submit", problem.ledger_id) in html
    assert 'data-testid="ledger-history"' in html
    Ledger.objects.filter(pk=problem.ledger_id).update(state=LedgerState.SUBMITTED)
    html = client_for(people.reviewer).get(url("ledger_detail", problem.ledger_id)).content.decode()
    assert url("ledger_review", problem.ledger_id) in html
    assert url("ledger_submit", problem.ledger_id) not in html


def test_edit_of_locked_item_shows_row_not_form(client_for, people, problem_with_measure):
    problem, measure = problem_with_measure
    Problem.objects.filter(pk=problem.pk).update(review=ItemReview.APPROVED)
    c = client_for(people.own_clerk)
    html = c.get(url("ledger_problem_edit", problem.ledger_id, problem.pk), **HX).content.decode()
    assert html.startswith(f'<tr id="problem-row-{problem.pk}"')
    assert "<form" not in html
    html = c.get(url("ledger_measure_edit", problem.ledger_id, measure.pk), **HX).content.decode()
    assert "bi-lock-fill" in html
    assert "<form" not in html


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "judge"])
def test_ledger_list_and_search_refused_for_roles_without_business_data(people, client_for, who):
    client = client_for(getattr(people, who))
    assert client.get("/rectification/ledgers/").status_code == 403
    assert client.get("/rectification/search/?q=推诿").status_code == 403
