"""The project pages: who sees what (leak tests for every page), forms that keep what was typed."""

import datetime as dt

import pytest

from tests.conftest import login
from zuofeng.projects.models import Project, ProjectState


def _urls(project):
    pk = project.pk
    return [
        f"/projects/{pk}/",
        f"/projects/{pk}/edit/",
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own_clerk", 200),
        ("reviewer", 200),
        ("office", 200),
        ("inspector", 200),
        ("sibling_clerk", 404),
        ("other_leader", 404),
        ("judge", 404),
        ("sysadmin", 404),
        ("secadmin", 404),
        ("auditor", 404),
    ],
)
def test_the_project_page_shows_only_to_those_who_may_see_the_unit(project, people, who, status):
    response = login(getattr(people, who)).get(f"/projects/{project.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "企业开办时间：3 → 1 个工作日" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("own_clerk", 200), ("reviewer", 403), ("office", 403), ("sibling_clerk", 404), ("judge", 404)],
)
def test_only_the_units_editors_open_the_edit_form(project, people, who, status):
    assert login(getattr(people, who)).get(f"/projects/{project.pk}/edit/").status_code == status


@pytest.mark.parametrize(
    ("who", "count"),
    [("own_clerk", 1), ("reviewer", 1), ("office", 1), ("inspector", 1), ("sibling_clerk", 0), ("other_leader", 0)],
)
def test_the_list_holds_only_visible_projects(project, people, who, count):
    response = login(getattr(people, who)).get("/projects/")
    assert response.status_code == 200
    assert response.content.decode().count(f'href="/projects/{project.pk}/"') == count


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor"])
def test_administrators_have_no_project_list(people, who):
    assert login(getattr(people, who)).get("/projects/").status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("reviewer", 200), ("inspector", 200), ("own_clerk", 403), ("judge", 403), ("sysadmin", 403)],
)
def test_the_office_view_and_its_exports(project, people, who, status):
    client = login(getattr(people, who))
    assert client.get("/projects/board/").status_code == status
    assert client.get("/projects/board/export.xlsx").status_code == status
    area = project.key_area.pk
    assert client.get(f"/projects/board/areas/{area}/summary.docx").status_code == status


def test_the_office_view_leaves_out_other_units_projects(project, people):
    body = login(people.other_leader).get("/projects/board/").content.decode()
    assert project.title not in body
    assert project.title in login(people.office).get("/projects/board/").content.decode()


def test_a_new_project_form_keeps_what_was_typed_and_names_the_field(campaign, people, service_area):
    response = login(people.own_clerk).post(
        "/projects/new/",
        {
            "key_area": service_area.pk,
            "title": "企业开办提速",
            "goal": "",
            "starts_on": "2018-09-01",
            "deadline": "2018-08-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "请填写项目目标" in body
    assert 'value="企业开办提速"' in body
    assert Project.objects.count() == 0


def test_registering_adding_a_target_and_submitting(campaign, people, service_area):
    client = login(people.own_clerk)
    response = client.post(
        "/projects/new/",
        {
            "key_area": service_area.pk,
            "title": "企业开办提速",
            "goal": "一日办结",
            "starts_on": "2018-09-01",
            "deadline": "2018-12-31",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    bad = client.post(
        f"/projects/{project.pk}/targets/",
        {"name": "开办时间", "measure_unit": "个工作日", "baseline": "3", "target": "1", "direction": "higher"},
    )
    assert bad.status_code == 400
    assert "目标值应高于基数 3" in bad.content.decode()
    assert 'value="开办时间"' in bad.content.decode()
    client.post(
        f"/projects/{project.pk}/targets/",
        {"name": "开办时间", "measure_unit": "个工作日", "baseline": "3", "target": "1", "direction": "lower"},
    )
    client.post(f"/projects/{project.pk}/milestones/", {"title": "上线", "due_on": "2018-10-31"})
    client.post(f"/projects/{project.pk}/submit/")
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED
    review = login(people.reviewer).post(f"/projects/{project.pk}/review/", {"decision": "approve", "comment": ""})
    assert review.status_code == 302
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "reviewer", "office"])
def test_others_cannot_write_to_the_plan(project, people, who):
    client = login(getattr(people, who))
    client.post(f"/projects/{project.pk}/milestones/", {"title": "插入", "due_on": "2018-10-31"})
    client.post(f"/projects/{project.pk}/submit/")
    assert project.milestones.count() == 4
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_a_report_with_a_bad_number_keeps_the_text(approved_project, people):
    target = approved_project.targets.get()
    milestone = approved_project.milestones.order_by("due_on").first()
    response = login(people.own_clerk).post(
        f"/projects/{approved_project.pk}/report/",
        {
            "milestone": milestone.pk,
            "reported_on": dt.date.today().isoformat(),
            "percent": "50",
            "text": "窗口整合完成",
            f"value_{target.pk}": "两天",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "企业开办时间当前值（个工作日）须是数字" in body
    assert "窗口整合完成" in body


def test_the_home_page_shows_plans_to_review_and_overdue_milestones(project, people):
    from zuofeng.projects.workflow import project_transition

    project_transition(actor=people.own_clerk, project=project, to=ProjectState.SUBMITTED)
    home = login(people.reviewer).get("/").content.decode()
    assert 'data-testid="projects-waiting"' in home and project.title in home
    assert 'data-testid="projects-card"' not in login(people.other_leader).get("/").content.decode()
    assert 'data-testid="projects-waiting"' not in login(people.own_clerk).get("/").content.decode()


def test_the_excel_has_one_row_per_project_in_official_order_and_the_word_summary_names_them(
    project, campaign, org, people, service_area
):
    import io

    import openpyxl
    from docx import Document

    Project.objects.create(
        campaign=campaign, unit=org.dept_b, key_area=service_area, title="外贸企业服务提速", goal="通关提速",
        starts_on=dt.date(2018, 9, 1), deadline=dt.date(2018, 12, 31),
    )  # fmt: skip
    client = login(people.office)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/projects/board/export.xlsx").content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (1, "区财政局·预算科", "企业开办“一窗受理、一日办结”"),
        (2, "区商务局", "外贸企业服务提速"),
    ]
    assert rows[0][5] == "企业开办时间 3→—→1 个工作日（越低越好）"
    word = Document(io.BytesIO(client.get(f"/projects/board/areas/{service_area.pk}/summary.docx").content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "“高效服务”攻坚项目推进情况" in text
    assert "1. 企业开办“一窗受理、一日办结”（区财政局·预算科）" in text
