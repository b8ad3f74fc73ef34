"""The office's API operations beside the moves (redaction, attachment check, reporter read, 满意度测评) and the
rule they serve: whatever the office lets through, no API answer a unit receives names the reporter."""

import json

import pytest

from tests.complaints.conftest import NAME, PHONE, file_report
from tests.conftest import login
from zuofeng.audit.models import AuditEntry
from zuofeng.complaints.models import Complaint, ComplaintState, ResponseStatus, SurveyPeriod, SurveyResponse
from zuofeng.complaints.workflow import complaint_transition
from zuofeng.core import clock

pytestmark = pytest.mark.django_db

NOT_OFFICE = ["own_clerk", "reviewer", "sibling_clerk", "other_leader", "judge", "sysadmin", "auditor", "secadmin"]
TOLD = "我叫王秀英，窗口工作人员让我来回跑了三趟，每次只告知缺一样材料。"
REDACTED = "窗口工作人员让反映人来回跑了三趟，每次只告知缺一样材料。"


def _post(user, path, data):
    return login(user).post(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def received(campaign, org, people, monday) -> Complaint:
    complaint, _ = file_report(text=TOLD)
    return complaint


def test_the_office_redacts_checks_the_photo_and_dispatches_and_the_unit_never_reads_the_reporter(
    received, org, people
):
    url = f"/api/complaints/{received.pk}"
    version = login(people.office).get(url).json()["version"]
    short = _post(people.office, f"{url}/redaction", {"text": "太短", "version": version})
    assert short.status_code == 400 and short.json()["errors"] == {"text": ["单位看到的内容至少 10 个字。"]}
    redacted = _post(people.office, f"{url}/redaction", {"text": REDACTED, "version": version})
    assert redacted.status_code == 200 and redacted.json()["text"] == REDACTED
    stale = _post(people.office, f"{url}/redaction", {"text": TOLD, "version": version})
    assert stale.status_code == 409 and stale.json()["detail"] == "这件反映已被他人修改，请刷新后再改。"
    photo = received.attachments.get()
    checked = _post(people.office, f"{url}/attachments/{photo.pk}/check", {"withhold": False})
    assert checked.status_code == 200
    assert _post(people.office, f"{url}/moves", {"to": "dispatched", "unit": org.section_a1.pk}).status_code == 200
    assert list(
        AuditEntry.objects.filter(action__startswith="complaint.").order_by("id").values_list("action", flat=True)
    ) == [
        "complaint.report",
        "complaint.redact",
        "complaint.attachment_check",
        "complaint.dispatched",
    ]

    clerk = login(people.own_clerk)
    answers = [clerk.get("/api/complaints"), clerk.get(url)]
    answers.append(_post(people.own_clerk, f"{url}/moves", {"to": "handling"}))
    reply = "已联系反映人，窗口实行一次性告知，材料清单已张贴。"
    answers.append(_post(people.own_clerk, f"{url}/moves", {"to": "replied", "reply": reply}))
    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    assert answers[1].json()["text"] == REDACTED
    assert answers[1].json()["attachments"] == [
        {"id": photo.pk, "name": "附件1.jpg", "url": f"/complaints/{received.pk}/attachments/{photo.pk}/"}
    ]
    for answer in answers:
        body = answer.content.decode()
        assert NAME not in body and PHONE not in body and "wxy1988" not in body


def test_a_withheld_photo_is_not_offered_to_the_unit(received, org, people):
    photo = received.attachments.get()
    _post(people.office, f"/api/complaints/{received.pk}/attachments/{photo.pk}/check", {"withhold": True})
    _post(people.office, f"/api/complaints/{received.pk}/moves", {"to": "dispatched", "unit": org.section_a1.pk})
    assert login(people.own_clerk).get(f"/api/complaints/{received.pk}").json()["attachments"] == []
    office_view = login(people.office).get(f"/api/complaints/{received.pk}").json()["attachments"]
    assert [a["id"] for a in office_view] == [photo.pk]


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_redacts_checks_attachments_and_reads_the_reporter(received, org, people, who):
    user = getattr(people, who)
    complaint_transition(actor=people.office, complaint=received, to=ComplaintState.DISPATCHED, unit=org.section_a1)
    url = f"/api/complaints/{received.pk}"
    photo = received.attachments.get()
    answers = [
        _post(user, f"{url}/redaction", {"text": REDACTED, "version": Complaint.objects.get().version}),
        _post(user, f"{url}/attachments/{photo.pk}/check", {"withhold": False}),
        login(user).get(f"{url}/reporter"),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403]
    for answer in answers:
        assert NAME not in answer.content.decode() and PHONE not in answer.content.decode()
    received.refresh_from_db()
    assert (received.text, photo.__class__.objects.get().checked) == (TOLD, False)
    assert not AuditEntry.objects.filter(action__in=["complaint.redact", "complaint.identity_read"]).exists()


def test_each_reporter_read_through_the_api_is_audited(received, people):
    office = login(people.office)
    for _ in range(2):
        body = office.get(f"/api/complaints/{received.pk}/reporter").json()
        assert body == {"named": True, "name": NAME, "phone": PHONE, "contact": "微信 wxy1988"}
    assert AuditEntry.objects.filter(action="complaint.identity_read", object_id=str(received.pk)).count() == 2


@pytest.fixture
def survey_campaign(campaign):
    campaign.definition = {"complaints": {"survey": {"min_responses": 3}}}
    campaign.save()
    return campaign


def test_the_office_opens_closes_and_decides_surveys_through_the_api(survey_campaign, org, people):
    empty = _post(people.office, "/api/complaints/surveys", {"name": " "})
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"name": ["请填写测评名称，如“2018年第四季度满意度测评”。"]}
    opened = _post(people.office, "/api/complaints/surveys", {"name": "2018年第四季度满意度测评"})
    assert opened.status_code == 200
    body = opened.json()
    assert (body["name"], body["min_responses"], body["by_device"], body["is_open"]) == (
        "2018年第四季度满意度测评", 3, False, True,
    )  # fmt: skip
    period = SurveyPeriod.objects.get()
    held = SurveyResponse.objects.create(
        period=period, unit=org.dept_a, phone_digest="x", submitted_at=clock.now(),
        status=ResponseStatus.SET_ASIDE, set_aside_reason="意见与其他测评完全相同",
    )  # fmt: skip
    decided = _post(people.office, f"/api/complaints/surveys/responses/{held.pk}/decision", {"count": True})
    assert decided.status_code == 200 and decided.json()["status"] == "counted"
    again = _post(people.office, f"/api/complaints/surveys/responses/{held.pk}/decision", {"count": False})
    assert again.status_code == 400 and again.json()["detail"] == "这份测评不在待核查之列。"
    closed = _post(people.office, f"/api/complaints/surveys/{period.pk}/close", {})
    assert closed.status_code == 200 and closed.json()["is_open"] is False
    assert list(
        AuditEntry.objects.filter(action__startswith="survey.").order_by("id").values_list("action", flat=True)
    ) == [
        "survey.open",
        "survey.decide",
        "survey.close",
    ]


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_runs_surveys_through_the_api(survey_campaign, org, people, who):
    user = getattr(people, who)
    period = SurveyPeriod.objects.create(campaign=survey_campaign, name="测评", items=["服务态度"], min_responses=3)
    held = SurveyResponse.objects.create(
        period=period, unit=org.dept_a, phone_digest="x", submitted_at=clock.now(), status=ResponseStatus.SET_ASIDE
    )
    answers = [
        _post(user, "/api/complaints/surveys", {"name": "2018年第四季度满意度测评"}),
        _post(user, f"/api/complaints/surveys/{period.pk}/close", {}),
        _post(user, f"/api/complaints/surveys/responses/{held.pk}/decision", {"count": True}),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert (SurveyPeriod.objects.count(), SurveyPeriod.objects.get().is_open) == (1, True)
    assert SurveyResponse.objects.get().status == ResponseStatus.SET_ASIDE
