"""Pages: who sees which score (leak tests for every page), the records behind a point, forms with bad input."""

from decimal import Decimal

import pytest

from tests.assessment.support import compute, items_of
from tests.conftest import login
from zuofeng.assessment.models import Adjustment, Objection, UnitScore
from zuofeng.assessment.services.scores import run_publish


@pytest.fixture
def run(district):
    return compute(district.people.office, district.campaign)


def _urls(run, district):
    score_a = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    overdue = items_of(run, district.org.dept_a)["overdue"]
    return {
        "score": f"/assessment/scores/{score_a.pk}/",
        "records": f"/assessment/items/{overdue.pk}/records/",
        "adjust": f"/assessment/items/{overdue.pk}/adjust/",
        "run": f"/assessment/runs/{run.pk}/",
        "xlsx": f"/assessment/runs/{run.pk}/scores.xlsx",
        "docx": f"/assessment/runs/{run.pk}/notice.docx",
        "clusters": "/assessment/clusters/",
    }


def test_office_sees_everything(run, district):
    client = login(district.people.office)
    for name, url in _urls(run, district).items():
        assert client.get(url).status_code == 200, name
    page = client.get("/assessment/").content.decode()
    assert "武进区财政局" in page and "湖塘镇" in page and "导出 Excel" in page


def test_own_unit_sees_own_score_not_others_before_publication(run, district):
    client = login(district.people.reviewer)  # 区财政局's administrator
    urls = _urls(run, district)
    assert client.get(urls["score"]).status_code == 200
    assert client.get(urls["records"]).status_code == 200
    for name in ("adjust", "run", "xlsx", "docx", "clusters"):
        assert client.get(urls[name]).status_code == 403, name
    page = client.get("/assessment/").content.decode()
    assert "武进区财政局" in page and "湖塘镇" not in page and "武进区商务局" not in page
    assert "（名次和等次待作风办公布后显示）" in page and page.count("待公布") == 2  # its row: 名次, 等次
    assert "名次和等次待作风办公布后显示" in client.get(urls["score"]).content.decode()
    other = UnitScore.objects.get(run=run, unit=district.org.dept_b)
    assert client.get(f"/assessment/scores/{other.pk}/").status_code == 403


def test_after_publication_units_see_the_ranking_but_not_other_units_items(run, district):
    run_publish(actor=district.people.office, run=run)
    client = login(district.people.other_leader)  # 区商务局
    page = client.get("/assessment/").content.decode()
    assert "武进区财政局" in page and "湖塘镇" in page
    assert client.get(_urls(run, district)["score"]).status_code == 403


@pytest.mark.parametrize("who", ["judge", "sysadmin", "secadmin", "auditor", "inspector", "own_clerk"])
def test_judges_three_admins_inspectors_and_clerks_see_nothing(run, district, who):
    client = login(getattr(district.people, who))
    assert client.get("/assessment/").status_code == 403
    for name, url in _urls(run, district).items():
        assert client.get(url).status_code == 403, (who, name)


def test_records_behind_a_deduction_are_the_overdue_measures(run, district):
    client = login(district.people.office)
    page = client.get(_urls(run, district)["records"]).content.decode()
    assert page.count('data-testid="record-row"') == 3
    assert "精简审批材料" in page and "推行一窗受理" in page
    assert f"/rectification/measures/{district.open_1.pk}/" in page


def test_adjust_form_keeps_input_and_names_the_field(run, district):
    client = login(district.people.office)
    url = _urls(run, district)["adjust"]
    score = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    response = client.post(url, {"points": "-20", "reason": "核实", "version": score.version})
    assert response.status_code == 400
    page = response.content.decode()
    assert "得分超出本项的上下限" in page and "核实" in page
    response = client.post(url, {"points": "abc", "reason": "", "version": score.version})
    assert response.status_code == 400
    assert "输入一个数字。" in response.content.decode() and "这个字段是必填项" in response.content.decode()
    assert Adjustment.objects.count() == 0
    response = client.post(url, {"points": "-1", "reason": "两项已批准延期", "version": score.version})
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.total == Decimal("48.50")


def test_unit_files_an_objection_on_its_page(run, district):
    client = login(district.people.reviewer)
    score = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    response = client.post(f"/assessment/scores/{score.pk}/objections/", {"item": "", "text": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    response = client.post(f"/assessment/scores/{score.pk}/objections/", {"item": "", "text": "完成率计算有误"})
    assert response.status_code == 302
    assert Objection.objects.get().text == "完成率计算有误"
    other = login(district.people.other_leader)
    assert other.post(f"/assessment/scores/{score.pk}/objections/", {"text": "x"}).status_code == 403


def test_exports(run, district):
    import io

    import openpyxl
    from docx import Document

    client = login(district.people.office)
    urls = _urls(run, district)
    book = openpyxl.load_workbook(io.BytesIO(client.get(urls["xlsx"]).content))
    assert book.sheetnames == ["镇（街道）、开发区", "区级机关部门"]
    sheet = book["区级机关部门"]
    assert [sheet.cell(3, 2).value, sheet.cell(4, 2).value] == ["武进区财政局", "武进区商务局"]  # official order
    headers = [c.value for c in sheet[2]]
    assert headers[0] == "序号" and headers[-4:] == ["计算得分", "得分", "名次", "等次"]
    assert len(headers) == 2 + 14 + 4  # every item of the rubric (14)
    document = Document(io.BytesIO(client.get(urls["docx"]).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "考核结果的通报" in text and "区级机关部门" in text
    # the GB/T 9704 layout the notices use: red 发文机关标志, 37 mm top and 28 mm left margins
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert document.paragraphs[0].text.endswith("文件")
