"""Identity protection, proven: for a named complaint, every page and API path a unit (or any role but
the office) can reach, at every step of the order, answers without the reporter's name or phone; so do
reminders, e-mails, the audit trail and its pages. Only the office reads them, and every reading is audited."""

import datetime as dt
import json
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client

from tests.complaints.conftest import NAME, PHONE, file_report
from tests.conftest import login
from tests.word import docx_text
from zuofeng.audit.models import AuditEntry, AuditResult
from zuofeng.complaints.models import Attachment
from zuofeng.complaints.models import ComplaintState as S
from zuofeng.complaints.services.office import attachment_check
from zuofeng.complaints.services.public import complaint_rate
from zuofeng.complaints.workflow import complaint_transition
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db
SECRETS = (NAME, PHONE, "139 1234 5678", "wxy1988", "王秀英拍的窗口")


def _paths(c) -> list[tuple[str, str, dict]]:
    a = Attachment.objects.get(complaint=c)
    return [
        ("get", "/", {}),
        ("get", "/complaints/unit/", {}),
        ("get", "/complaints/office/", {}),
        ("get", f"/complaints/{c.pk}/", {}),
        ("get", f"/complaints/{c.pk}/attachments/{a.pk}/", {}),
        ("docx", f"/complaints/{c.pk}/sheet.docx", {}),
        ("docx", f"/api/complaints/{c.pk}/sheet.docx", {}),
        ("post", f"/complaints/{c.pk}/identity", {}),
        ("post", f"/complaints/{c.pk}/redact", {"text": "改掉内容试试看看看看", "version": c.version}),
        ("post", f"/complaints/{c.pk}/move", {"to": "concluded"}),
        ("post", f"/complaints/{c.pk}/move", {"to": "return_requested"}),
        ("post", f"/complaints/{c.pk}/attachments/{a.pk}/check", {"withhold": "0"}),
        ("get", "/reminders/", {}),
        ("get", "/complaints/stats/", {}),
        ("get", "/api/complaints", {}),
        ("get", f"/api/complaints/{c.pk}", {}),
        ("get", f"/api/complaints/{c.pk}/reporter", {}),
        ("json", f"/api/complaints/{c.pk}/moves", {"to": "replied"}),
        ("get", f"/api/public/complaints/{c.code}", {}),
        ("get", "/audit/", {}),
    ]


def _walk(client: Client, complaint) -> list[str]:
    bodies = []
    for method, path, data in _paths(complaint):
        if method == "json":
            response = client.post(path, json.dumps(data), content_type="application/json")
        elif method == "docx":  # a Word file is a ZIP: its words are read out of it
            response = client.get(path)
            if response.status_code == 200:
                bodies.append((path, 200, docx_text(b"".join(response.streaming_content))))
                continue
        else:
            response = getattr(client, method)(path, data)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append((path, response.status_code, body.decode("utf-8", "replace")))
    return bodies


def _assert_clean(bodies, who):
    for path, status, body in bodies:
        for secret in SECRETS:
            assert secret not in body, f"{who} {path} ({status}) shows {secret}"


@pytest.fixture
def named(campaign, org, people, monday):
    complaint, _ = file_report(unit=str(org.section_a1.pk))
    return complaint


def test_no_role_but_the_office_ever_sees_the_reporter(named, org, people):
    unit_side = {
        "own_clerk": people.own_clerk,
        "reviewer": people.reviewer,
        "sibling_clerk": people.sibling_clerk,
        "other_leader": people.other_leader,
        "inspector": people.inspector,
        "judge": people.judge,
        "sysadmin": people.sysadmin,
        "secadmin": people.secadmin,
        "auditor": people.auditor,
    }
    clients = {name: login(user) for name, user in unit_side.items()}
    steps = [
        (people.office, S.DISPATCHED, {"unit": org.section_a1}),
        (people.own_clerk, S.HANDLING, {}),
        (people.own_clerk, S.EXTENSION_REQUESTED, {"comment": "需调取监控", "extension_until": dt.date(2018, 10, 31)}),
        (people.office, S.HANDLING, {"granted": True}),
        (people.own_clerk, S.REPLIED, {"reply": "经查属实，已整改，并向反映人当面说明。"}),
        (people.office, S.ANSWERED, {}),
        (None, "rate", {}),
        (people.office, S.HANDLING, {"comment": "群众不满意，请重办"}),
        (people.own_clerk, S.REPLIED, {"reply": "已重新办理并回访，事项已办结。"}),
        (people.office, S.ANSWERED, {}),
        (people.office, S.CONCLUDED, {"obstruction_category": named.campaign.categories.get(key="duty")}),
    ]
    walked = 0
    for n, (actor, to, fields) in enumerate(steps):
        if to == "rate":
            complaint_rate(complaint=named, rating="unsatisfied", comment=f"我是{NAME}，电话{PHONE}，还没解决")
        else:
            complaint_transition(actor=actor, complaint=named, to=to, **fields)
        if n == 0:
            attachment_check(actor=people.office, attachment=named.attachments.get(), withhold=False)
        named.refresh_from_db()
        for who, client in clients.items():
            _assert_clean(_walk(client, named), f"{who} at {named.state}")
            walked += 1
    assert walked == len(steps) * len(clients)
    # What the unit can reach does exist: its pages answered, the attachment was served.
    own = login(people.own_clerk)
    assert own.get(f"/complaints/{named.pk}/").status_code == 200
    assert own.get(f"/complaints/{named.pk}/attachments/{named.attachments.get().pk}/").status_code == 200
    assert own.get(f"/api/complaints/{named.pk}/reporter").status_code == 403
    # The ledger page the 群众提 problem is on.
    ledger_page = own.get(f"/rectification/ledgers/{named.problem.ledger_id}/").content.decode()
    assert named.text in ledger_page and NAME not in ledger_page and PHONE not in ledger_page


def test_reminders_emails_and_the_audit_trail_never_carry_it(named, org, people):
    complaint_transition(actor=people.office, complaint=named, to=S.DISPATCHED, unit=org.section_a1)
    complaint_transition(actor=people.own_clerk, complaint=named, to=S.RETURN_REQUESTED, comment="不属本单位")
    login(people.office).post(f"/complaints/{named.pk}/identity")
    stored = [
        *(f"{r.title} {r.body}" for r in Reminder.objects.all()),
        *(f"{m.subject} {m.body}" for m in mail.outbox),
        *(
            json.dumps([e.object_repr, e.before, e.after, e.detail], ensure_ascii=False)
            for e in AuditEntry.objects.all()
        ),
    ]
    assert Reminder.objects.count() >= 2
    for text in stored:
        assert NAME not in text and PHONE not in text


def test_the_office_reads_the_reporter_and_every_reading_is_audited(named, people):
    office = login(people.office)
    page = office.get(f"/complaints/{named.pk}/").content.decode()
    assert NAME not in page  # not even the office's page shows it until asked
    shown = office.post(f"/complaints/{named.pk}/identity").content.decode()
    assert NAME in shown and PHONE in shown
    api = office.get(f"/api/complaints/{named.pk}/reporter").json()
    assert (api["name"], api["phone"], api["contact"]) == (NAME, PHONE, "微信 wxy1988")
    readings = AuditEntry.objects.filter(action="complaint.identity_read", result=AuditResult.SUCCESS)
    assert readings.count() == 2
    assert {e.actor_username for e in readings} == {"office"}


def test_an_unchecked_or_withheld_attachment_is_not_served_to_the_unit(named, org, people):
    complaint_transition(actor=people.office, complaint=named, to=S.DISPATCHED, unit=org.section_a1)
    attachment = named.attachments.get()
    clerk = login(people.own_clerk)
    url = f"/complaints/{named.pk}/attachments/{attachment.pk}/"
    assert clerk.get(url).status_code == 404
    attachment_check(actor=people.office, attachment=attachment, withhold=True)
    assert clerk.get(url).status_code == 404
    assert clerk.get(f"/api/complaints/{named.pk}").json()["attachments"] == []
    attachment_check(actor=people.office, attachment=attachment, withhold=False)
    response = clerk.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote(f'附件{attachment.pk}.jpg')}"


def test_the_office_redacts_what_the_unit_reads_and_keeps_the_original(named, org, people):
    office = login(people.office)
    office.post(
        f"/complaints/{named.pk}/redact", {"text": "窗口工作人员让群众来回跑了三趟。", "version": named.version}
    )
    named.refresh_from_db()
    assert named.text == "窗口工作人员让群众来回跑了三趟。"
    assert named.text_original == "窗口工作人员让我来回跑了三趟，每次只告知缺一样材料。"
    complaint_transition(actor=people.office, complaint=named, to=S.DISPATCHED, unit=org.section_a1)
    page = login(people.own_clerk).get(f"/complaints/{named.pk}/").content.decode()
    assert "窗口工作人员让群众来回跑了三趟。" in page and "每次只告知缺一样材料" not in page
    entry = AuditEntry.objects.get(action="complaint.redact")
    assert entry.after == {"字数": 16} and "三趟" not in json.dumps(entry.before, ensure_ascii=False)
