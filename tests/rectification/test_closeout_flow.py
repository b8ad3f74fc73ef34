"""申请销号 → 销号 or 退回 → 重新打开, with the light after each step on a fixed clock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.rectification.test_evidence_uploads import docx_bytes, pdf_bytes, upload
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.rectification.models import Evidence, LedgerEvent, Light, MeasureState, ProgressUpdate
from zuofeng.rectification.services.progress import closeout_decide, closeout_request, measure_reopen, progress_report
from zuofeng.rectification.workflow import measure_transition
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db


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


def request_close(actor, measure, day=dt.date(2018, 10, 10), files=None):
    with clock.frozen(day):
        return closeout_request(
            actor=actor,
            measure=measure,
            text="首问负责制已全面实行",
            files=[upload("验收报告.pdf", pdf_bytes())] if files is None else files,
        )


def test_light_from_yellow_to_closed_and_back(measure, people):
    with clock.frozen(dt.date(2018, 10, 10)):
        progress_report(
            actor=people.own_clerk, measure=measure, reported_on=dt.date(2018, 10, 10), text="推进中", percent=80
        )
    measure.refresh_from_db()
    assert (measure.state, measure.light) == (MeasureState.IN_PROGRESS, Light.YELLOW)  # due within 7 days

    request_close(people.own_clerk, measure)
    measure.refresh_from_db()
    assert (measure.state, measure.percent, measure.light) == (MeasureState.CLOSE_REQUESTED, 100, Light.YELLOW)

    with clock.frozen(dt.date(2018, 10, 11)):
        closeout_decide(actor=people.reviewer, measure=measure, approve=False, comment="缺少群众满意度测评")
    measure.refresh_from_db()
    assert (measure.state, measure.percent, measure.light) == (MeasureState.IN_PROGRESS, 80, Light.YELLOW)

    request_close(people.own_clerk, measure, day=dt.date(2018, 10, 12))
    with clock.frozen(dt.date(2018, 10, 12)):
        closeout_decide(actor=people.reviewer, measure=measure, approve=True, comment="经核实已整改到位")
    measure.refresh_from_db()
    assert (measure.state, measure.percent, measure.closed_on, measure.light) == (
        MeasureState.CLOSED,
        100,
        dt.date(2018, 10, 12),
        Light.CLOSED,
    )

    with clock.frozen(dt.date(2018, 10, 20)):
        measure_reopen(actor=people.office, measure=measure, reason="督查发现窗口仍有推诿")
    measure.refresh_from_db()
    assert (measure.state, measure.percent, measure.closed_on, measure.light) == (
        MeasureState.IN_PROGRESS,
        80,
        None,
        Light.RED,
    )
    assert [(e.from_state, e.to_state, e.comment) for e in LedgerEvent.objects.filter(measure=measure)][:3] == [
        ("closed", "in_progress", "督查发现窗口仍有推诿"),
        ("close_requested", "closed", "经核实已整改到位"),
        ("in_progress", "close_requested", "首问负责制已全面实行"),
    ]


def test_closeout_request_needs_text_and_evidence(measure, people):
    with pytest.raises(ValidationError) as caught, clock.frozen(dt.date(2018, 10, 10)):
        closeout_request(actor=people.own_clerk, measure=measure, text=" ", files=[])
    assert caught.value.message_dict == {
        "text": ["请填写整改完成情况。"],
        "files": ["申请销号须上传至少一份佐证材料。"],
    }
    measure.refresh_from_db()
    assert measure.state == MeasureState.IN_PROGRESS


def test_closeout_request_stores_evidence_and_notifies_reviewer(measure, people):
    update = request_close(
        people.own_clerk, measure, files=[upload("验收.pdf", pdf_bytes()), upload("制度.docx", docx_bytes())]
    )
    assert (update.kind, update.percent, update.reported_on) == ("close_request", 100, dt.date(2018, 10, 10))
    assert sorted(Evidence.objects.filter(progress=update).values_list("original_name", flat=True)) == [
        "制度.docx",
        "验收.pdf",
    ]
    assert list(Reminder.objects.values_list("recipient__username", "title")) == [
        ("leader_a", "区财政局·预算科申请销号，请核实")
    ]


def test_closeout_request_twice_refused(measure, people):
    request_close(people.own_clerk, measure)
    with pytest.raises(ValidationError) as caught:
        request_close(people.own_clerk, measure)
    assert caught.value.messages == ["当前状态为“申请销号”，只有整改中的措施才能申请销号。"]
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.parametrize("who", ["sibling_clerk", "reviewer", "office", "other_leader"])
def test_closeout_request_refused_for_others(measure, people, who):
    with pytest.raises(PermissionDenied):
        request_close(getattr(people, who), measure)
    assert (Evidence.objects.count(), ProgressUpdate.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action="measure.request_close", result="denied").count() == 1


def test_return_needs_reason(measure, people):
    request_close(people.own_clerk, measure)
    with pytest.raises(ValidationError) as caught:
        closeout_decide(actor=people.reviewer, measure=measure, approve=False, comment=" ")
    assert caught.value.message_dict == {"comment": ["请填写理由（退回或重新打开必须说明原因）。"]}
    measure.refresh_from_db()
    assert (measure.state, measure.percent) == (MeasureState.CLOSE_REQUESTED, 100)


@pytest.mark.parametrize("who", ["own_clerk", "sibling_clerk", "other_leader"])
def test_decide_refused_for_non_reviewers(measure, people, who):
    request_close(people.own_clerk, measure)
    with pytest.raises(PermissionDenied):
        closeout_decide(actor=getattr(people, who), measure=measure, approve=True)
    measure.refresh_from_db()
    assert measure.state == MeasureState.CLOSE_REQUESTED


def test_decide_without_request_refused(measure, people):
    with pytest.raises(ValidationError) as caught:
        closeout_decide(actor=people.reviewer, measure=measure, approve=True)
    assert caught.value.messages == ["当前状态为“整改中”，没有待核实的销号申请。"]


@pytest.fixture
def closed(measure, people):
    request_close(people.own_clerk, measure)
    with clock.frozen(dt.date(2018, 10, 11)):
        closeout_decide(actor=people.reviewer, measure=measure, approve=True)
    return measure


def test_reviewer_reopens_with_reason(closed, people):
    with clock.frozen(dt.date(2018, 10, 12)):
        measure_reopen(actor=people.reviewer, measure=closed, reason="群众反映问题反弹")
    closed.refresh_from_db()
    assert (closed.state, closed.percent, closed.light) == (MeasureState.IN_PROGRESS, 0, Light.RED)


def test_reopen_needs_reason_and_closed_state(closed, measure, people):
    with pytest.raises(ValidationError) as caught:
        measure_reopen(actor=people.office, measure=closed, reason="  ")
    assert caught.value.message_dict == {"reason": ["请填写重新打开的原因。"]}
    with clock.frozen(dt.date(2018, 10, 12)):
        measure_reopen(actor=people.office, measure=closed, reason="复查")
    with pytest.raises(ValidationError) as caught:
        measure_reopen(actor=people.office, measure=closed, reason="再次")
    assert caught.value.messages == ["当前状态为“整改中”，只有已销号的措施才能重新打开。"]


@pytest.mark.parametrize("who", ["own_clerk", "sibling_clerk", "other_leader", "inspector"])
def test_reopen_refused_for_others(closed, people, who):
    with pytest.raises(PermissionDenied):
        measure_reopen(actor=getattr(people, who), measure=closed, reason="复查")


# --- through the page ----------------------------------------------------------------


def test_page_flow_request_return_close_reopen(measure, people, client_for):
    url = f"/rectification/measures/{measure.pk}/"
    clerk, reviewer, office = client_for(people.own_clerk), client_for(people.reviewer), client_for(people.office)
    with clock.frozen(dt.date(2018, 10, 10)):
        response = clerk.post(url + "closeout/", {"text": "已完成", "files": [upload("验收.pdf", pdf_bytes())]})
        assert response.status_code == 302
        assert 'data-testid="approve-close"' in reviewer.get(url).content.decode()
        response = reviewer.post(url + "closeout/decide/", {"decision": "return", "comment": ""})
        assert response.status_code == 400
        assert response.context["decide_form"].errors == {"comment": ["请填写理由（退回或重新打开必须说明原因）。"]}
        assert reviewer.post(url + "closeout/decide/", {"decision": "return", "comment": "材料不全"}).status_code == 302
        clerk.post(url + "closeout/", {"text": "补充材料", "files": [upload("补充.pdf", pdf_bytes())]})
        assert reviewer.post(url + "closeout/decide/", {"decision": "approve", "comment": ""}).status_code == 302
        measure.refresh_from_db()
        assert measure.state == MeasureState.CLOSED
        html = office.get(url).content.decode()
        assert 'data-testid="reopen"' in html and "2018年10月10日" in html
        response = office.post(url + "reopen/", {"reason": ""})
        assert response.context["reopen_form"].errors == {"reason": ["请填写重新打开的原因。"]}
        assert office.post(url + "reopen/", {"reason": "督查复查未到位"}).status_code == 302
    measure.refresh_from_db()
    assert measure.state == MeasureState.IN_PROGRESS


def test_page_closeout_without_files_refused_at_field(measure, people, client_for):
    response = client_for(people.own_clerk).post(f"/rectification/measures/{measure.pk}/closeout/", {"text": "已完成"})
    assert response.status_code == 400
    assert response.context["closeout_form"].errors == {"files": ["申请销号须上传至少一份佐证材料。"]}
    assert "已完成" in response.content.decode()


def test_page_decide_by_clerk_is_forbidden(measure, people, client_for):
    request_close(people.own_clerk, measure)
    url = f"/rectification/measures/{measure.pk}/closeout/decide/"
    assert client_for(people.own_clerk).post(url, {"decision": "approve"}).status_code == 403


def test_page_service_state_error_shown(measure, people, client_for):
    url = f"/rectification/measures/{measure.pk}/closeout/decide/"
    response = client_for(people.reviewer).post(url, {"decision": "approve"})
    assert response.context["decide_form"].non_field_errors() == ["当前状态为“整改中”，没有待核实的销号申请。"]
