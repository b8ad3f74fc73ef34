"""Progress reports (整改进展): who may report, field checks, the measure page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import Role, make_user
from tests.rectification.test_evidence_uploads import pdf_bytes, upload
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.rectification.models import LedgerEvent, Light, MeasureState, ProgressUpdate
from zuofeng.rectification.services.progress import progress_report
from zuofeng.rectification.workflow import measure_transition

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 10, 1)  # half-way from 9月16日 to 10月16日


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def measure(problem_with_measure, people):
    _, m = problem_with_measure
    with clock.frozen(dt.date(2018, 9, 16)):
        measure_transition(actor=people.reviewer, measure=m, to=MeasureState.IN_PROGRESS)
    return m


@pytest.fixture
def responsible(measure, org):
    """责任人 is a clerk of another section: they may report on this measure, nothing else of section_a1."""
    user = make_user("zeren", role=Role.SECTION_CLERK, unit=org.section_a2)
    measure.responsible_person = user.person
    measure.save(update_fields=["responsible_person"])
    return user


def report(actor, measure, **kwargs):
    values = {"reported_on": TODAY, "text": "已完成窗口人员培训", "percent": 50, **kwargs}
    with clock.frozen(TODAY):
        return progress_report(actor=actor, measure=measure, **values)


def test_progress_by_own_clerk_updates_measure_and_light(measure, people):
    update = report(people.own_clerk, measure, percent=50)
    measure.refresh_from_db()
    assert (update.percent, update.reporter, update.kind) == (50, people.own_clerk, "progress")
    assert (measure.percent, measure.last_progress_on, measure.light, measure.version) == (50, TODAY, Light.GREEN, 3)
    event = LedgerEvent.objects.get(action="measure.report_progress")
    assert (event.actor, event.comment) == (people.own_clerk, "50% 已完成窗口人员培训")
    entry = AuditEntry.objects.get(action="measure.progress")
    assert entry.after == {"percent": 50, "last_progress_on": "2018-10-01", "files": 0}


def test_progress_behind_schedule_turns_light_yellow(measure, people):
    report(people.own_clerk, measure, percent=30)  # planned 50% → 20 points behind
    measure.refresh_from_db()
    assert measure.light == Light.YELLOW


def test_progress_by_responsible_person(measure, people, responsible):
    report(responsible, measure, percent=60)
    measure.refresh_from_db()
    assert measure.percent == 60


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "reviewer", "office", "inspector", "sysadmin"])
def test_progress_refused_for_others(measure, people, who):
    with pytest.raises(PermissionDenied):
        report(getattr(people, who), measure)
    assert ProgressUpdate.objects.count() == 0
    assert AuditEntry.objects.filter(action="measure.report_progress", result="denied").count() == 1


def test_progress_only_while_in_progress(problem_with_measure, people):
    _, planned = problem_with_measure
    with pytest.raises(ValidationError) as caught:
        report(people.own_clerk, planned)
    assert caught.value.messages == ["当前状态为“未审定”，只有整改中的措施才能报告进展。"]


def test_progress_field_checks(measure, people):
    with pytest.raises(ValidationError) as caught:
        report(people.own_clerk, measure, percent=101, text=" ", reported_on=dt.date(2018, 10, 2))
    assert caught.value.message_dict == {
        "text": ["请填写进展情况。"],
        "percent": ["完成进度必须在 0 到 100 之间。"],
        "reported_on": ["报告日期不能晚于今天。"],
    }


def test_backdated_report_does_not_override_newer_percent(measure, people):
    report(people.own_clerk, measure, percent=50)
    report(people.own_clerk, measure, percent=20, reported_on=dt.date(2018, 9, 25))
    measure.refresh_from_db()
    assert (measure.percent, measure.last_progress_on, measure.progress_updates.count()) == (50, TODAY, 2)


def test_stale_version_refused_with_current_values(measure, people):
    version = measure.version
    report(people.own_clerk, measure, percent=50, version=version)
    with pytest.raises(ValidationError) as caught:
        report(people.own_clerk, measure, percent=60, version=version)
    assert caught.value.messages == [
        "该条目已被 clerk_a1姓名 于 09:00 修改，请核对后再保存（当前状态：整改中，完成进度：50%）。"
    ]
    assert ProgressUpdate.objects.count() == 1


# --- the measure page ---------------------------------------------------------------


def test_measure_page_shows_content_and_progress_form(measure, people, client_for):
    report(people.own_clerk, measure, percent=50, files=[upload("培训签到表.pdf", pdf_bytes())])
    with clock.frozen(TODAY):
        response = client_for(people.own_clerk).get(f"/rectification/measures/{measure.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "实行首问负责制，一次告知办理要求" in html
    assert "2018年10月16日" in html
    assert "培训签到表.pdf" in html
    assert "已完成窗口人员培训" in html
    assert 'data-testid="report-progress"' in html
    assert 'data-testid="request-close"' in html
    assert 'data-testid="approve-close"' not in html


def test_measure_page_reviewer_sees_no_report_form(measure, people, client_for):
    html = client_for(people.reviewer).get(f"/rectification/measures/{measure.pk}/").content.decode()
    assert 'data-testid="report-progress"' not in html
    assert "提交进展" not in html


def test_measure_page_ongoing_shows_label(measure, people, client_for):
    measure.is_ongoing, measure.deadline = True, None
    measure.save(update_fields=["is_ongoing", "deadline"])
    response = client_for(people.own_clerk).get(f"/rectification/measures/{measure.pk}/")
    assert '<dd class="col-sm-9" data-testid="deadline">长期坚持</dd>' in response.content.decode()


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "sysadmin", "judge"])
def test_measure_page_hidden_from_others(measure, people, client_for, who):
    assert client_for(getattr(people, who)).get(f"/rectification/measures/{measure.pk}/").status_code == 404


def test_measure_page_visible_to_responsible_person(measure, responsible, client_for):
    response = client_for(responsible).get(f"/rectification/measures/{measure.pk}/")
    assert response.status_code == 200
    assert 'data-testid="report-progress"' in response.content.decode()


def test_post_progress_via_page(measure, people, client_for):
    client = client_for(people.own_clerk)
    with clock.frozen(TODAY):
        response = client.post(
            f"/rectification/measures/{measure.pk}/progress/",
            {
                "reported_on": "2018年9月30日",
                "percent": "45",
                "text": "制度已起草",
                "version": measure.version,
                "files": [upload("制度.pdf", pdf_bytes())],
            },
        )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.percent, measure.last_progress_on, measure.evidence.get().original_name) == (
        45,
        dt.date(2018, 9, 30),
        "制度.pdf",
    )


def test_post_percent_over_100_refused_at_field_keeping_input(measure, people, client_for):
    with clock.frozen(TODAY):
        response = client_for(people.own_clerk).post(
            f"/rectification/measures/{measure.pk}/progress/",
            {"reported_on": "2018-10-01", "percent": "120", "text": "已完成大部分", "version": measure.version},
        )
    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["progress_form"].errors == {"percent": ["完成进度不能超过 100%。"]}
    assert "已完成大部分" in html and 'value="120"' in html
    assert ProgressUpdate.objects.count() == 0


def test_post_bad_file_shows_error_at_field(measure, people, client_for):
    with clock.frozen(TODAY):
        response = client_for(people.own_clerk).post(
            f"/rectification/measures/{measure.pk}/progress/",
            {"reported_on": "2018-10-01", "percent": "10", "text": "x", "files": [upload("报告.pdf", b"MZ")]},
        )
    assert response.context["progress_form"].errors == {"files": ["“报告.pdf” 不是有效的 PDF 文件。"]}


def test_post_stale_version_shows_message(measure, people, client_for):
    stale = measure.version
    report(people.own_clerk, measure, percent=50)
    with clock.frozen(TODAY):
        response = client_for(people.own_clerk).post(
            f"/rectification/measures/{measure.pk}/progress/",
            {"reported_on": "2018-10-01", "percent": "60", "text": "重复提交", "version": stale},
        )
    assert response.status_code == 400
    assert response.context["progress_form"].non_field_errors() == [
        "该条目已被 clerk_a1姓名 于 09:00 修改，请核对后再保存（当前状态：整改中，完成进度：50%）。"
    ]
    assert ProgressUpdate.objects.count() == 1
    measure.refresh_from_db()
    assert response.context["progress_form"]["version"].value() == measure.version == stale + 1


def test_post_progress_by_sibling_is_404_and_by_reviewer_403(measure, people, client_for):
    data = {"reported_on": "2018-10-01", "percent": "10", "text": "x"}
    url = f"/rectification/measures/{measure.pk}/progress/"
    assert client_for(people.sibling_clerk).post(url, data).status_code == 404
    assert client_for(people.reviewer).post(url, data).status_code == 403


def test_post_future_date_refused_at_field(measure, people, client_for):
    with clock.frozen(TODAY):
        response = client_for(people.own_clerk).post(
            f"/rectification/measures/{measure.pk}/progress/",
            {"reported_on": "2018-10-02", "percent": "10", "text": "x"},
        )
    assert response.context["progress_form"].errors == {"reported_on": ["报告日期不能晚于今天。"]}


def test_measure_page_query_count_constant_as_history_grows(measure, people, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.own_clerk)
    url = f"/rectification/measures/{measure.pk}/"
    report(people.own_clerk, measure, percent=10, files=[upload("1.pdf", pdf_bytes())])
    client.get(url)  # the first request also touches the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for percent in (20, 30, 40):
        report(people.own_clerk, measure, percent=percent, files=[upload(f"{percent}.pdf", pdf_bytes())] * 2)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_measure_page_offers_change_request_only_to_editors_of_approved_measure(
    problem_with_measure, people, client_for
):
    from zuofeng.rectification.models import MeasureState
    from zuofeng.rectification.workflow import measure_transition

    _, measure = problem_with_measure
    url = f"/rectification/measures/{measure.pk}/"
    assert 'data-testid="request-change"' not in client_for(people.own_clerk).get(url).content.decode()
    measure_transition(actor=people.reviewer, measure=measure, to=MeasureState.IN_PROGRESS)
    assert 'data-testid="request-change"' in client_for(people.own_clerk).get(url).content.decode()
    assert 'data-testid="request-change"' not in client_for(people.reviewer).get(url).content.decode()
