"""Outgoing webhooks: raised from the audit trail, HMAC-signed, retried with back-off, recorded."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied

from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.webhooks.models import DeliveryState, WebhookDelivery
from zuofeng.webhooks.services import webhook_create, webhook_deliver_now, webhook_emit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2018, 10, 1, 9, 0, tzinfo=dt.UTC)


class Receiver:
    """A one-thread HTTP server on 127.0.0.1 that answers `status` and keeps what it was sent."""

    def __init__(self, status: int = 200):
        self.status, self.received = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(status=200):
        made.append(Receiver(status))
        return made[-1]

    yield make
    for r in made:
        r.close()


def test_an_audited_event_is_sent_signed_once_the_write_commits(people, receiver, django_capture_on_commit_callbacks):
    target = receiver()
    hook = webhook_create(actor=people.sysadmin, name="OA 系统", url=target.url, events=["ledger.approved"])

    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=people.reviewer, action="ledger.approved", object_type="rectification.ledger", object_id="7")
        audit_record(
            actor=people.reviewer, action="ledger.submitted", object_type="rectification.ledger", object_id="7"
        )

    ((headers, body),) = target.received
    payload = json.loads(body)
    assert (payload["event"], payload["event_label"], payload["object"]["id"]) == (
        "ledger.approved",
        "整改清单审核通过",
        "7",
    )
    assert headers["X-Zuofeng-Event"] == "ledger.approved"
    expected = "sha256=" + hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Zuofeng-Signature"] == expected
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 1, 200)


def test_a_refused_write_sends_nothing(people, receiver):
    webhook_create(actor=people.sysadmin, name="OA", url=receiver().url, events=["ledger.approved"])
    audit_record(actor=people.reviewer, action="ledger.approved", result="denied")
    assert WebhookDelivery.objects.count() == 0


def test_failures_back_off_then_give_up(people, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    target = receiver(status=503)
    webhook_create(actor=people.sysadmin, name="OA", url=target.url, events=["measure.overdue"])
    (delivery,) = webhook_emit("measure.overdue", {"object": {"type": "rectification.measure", "id": "1"}})

    waits = []
    with clock.frozen(NOW):
        for _ in range(3):
            delivery = webhook_deliver_now(delivery.pk)
            waits.append((delivery.next_at - NOW).total_seconds() if delivery.next_at else None)

    assert waits == [30.0, 120.0, None]
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.FAILED, 3, "HTTP 503")
    assert len(target.received) == 3


def test_unreachable_receiver_is_recorded(people):
    webhook_create(actor=people.sysadmin, name="OA", url="http://127.0.0.1:9/none", events=["measure.closed"])
    (delivery,) = webhook_emit("measure.closed", {})
    delivery = webhook_deliver_now(delivery.pk)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.last_status is None and delivery.last_error


def test_only_the_system_administrator_configures_webhooks(people, client_for):
    with pytest.raises(PermissionDenied):
        webhook_create(actor=people.office, name="x", url="https://oa.example.gov.cn/", events=["ledger.approved"])
    for who in ("office", "secadmin", "auditor", "own_clerk"):
        assert client_for(getattr(people, who)).get("/webhooks/").status_code == 403


def test_the_page_adds_a_webhook_and_shows_its_secret_once(people, client_for):
    client = client_for(people.sysadmin)
    response = client.post(
        "/webhooks/",
        {"name": "政务服务平台", "url": "https://zw.example.gov.cn/hook", "events": ["nomination.submitted"]},
    )
    body = response.content.decode()
    assert "签名密钥只显示这一次" in body
    assert "申报已报送" in body
    assert "签名密钥只显示这一次" not in client.get("/webhooks/").content.decode()


def test_bad_input_is_named_at_the_field_and_nothing_saved(people, client_for):
    response = client_for(people.sysadmin).post("/webhooks/", {"name": "", "url": "oa", "events": []})
    form = response.context["form"]
    assert form.errors == {
        "name": ["请填写名称。"],
        "url": ["接收地址须是完整的网址（https://…）。"],
        "events": ["请至少选择一个推送事件。"],
    }


def test_every_event_raised_by_an_audit_entry_names_an_action_the_system_records():
    # An event keyed on an audit action nobody writes would never be sent; every written action has a label.
    from zuofeng.audit.labels import ACTION_LABELS
    from zuofeng.webhooks.events import EVENTS, FROM_AUDIT

    assert sorted(action for action in FROM_AUDIT if action not in ACTION_LABELS) == []
    assert len(EVENTS) == 13
    assert FROM_AUDIT["finding.confirmed"] == "finding.confirmed"
    assert FROM_AUDIT["complaint.concluded"] == "complaint.concluded"
