"""Raising events, signing and delivering them, retrying with back-off; configured by the system administrator."""

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.webhooks.events import EVENTS, FROM_AUDIT
from zuofeng.webhooks.models import DeliveryState, Webhook, WebhookDelivery

USER_AGENT = "zuofeng-webhook/1"


def webhook_create(*, actor, name: str, url: str, events: list[str]) -> Webhook:
    """A new subscription; the secret is made here and shown once to the administrator."""
    if not may(actor, "webhook.manage"):
        raise PermissionDenied
    errors = {}
    if not name.strip():
        errors["name"] = "请填写名称。"
    if not url.startswith(("https://", "http://")):
        errors["url"] = "接收地址须以 https:// 或 http:// 开头。"
    unknown = [e for e in events if e not in EVENTS]
    if not events or unknown:
        errors["events"] = "请至少选择一个推送事件。" if not events else f"未知事件：{'、'.join(unknown)}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        hook = Webhook.objects.create(
            name=name.strip(), url=url, events=events, secret=secrets.token_hex(32), created_by=actor
        )
        audit_record(actor=actor, action="webhook.create", obj=hook, after={"url": url, "events": events})
    return hook


def webhook_set_active(*, actor, webhook: Webhook, active: bool) -> None:
    if not may(actor, "webhook.manage"):
        raise PermissionDenied
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(is_active=active)
        audit_record(actor=actor, action="webhook.enable" if active else "webhook.disable", obj=webhook)


def webhook_emit(event: str, payload: dict) -> list[WebhookDelivery]:
    """Record a delivery for every active subscriber; each is sent once the transaction commits."""
    hooks = [h for h in Webhook.objects.filter(is_active=True) if event in h.events]
    body = {"event": event, "event_label": EVENTS[event], "occurred_at": clock.now().isoformat(), **payload}
    deliveries = [WebhookDelivery.objects.create(webhook=h, event=event, payload=body) for h in hooks]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return deliveries


def webhook_from_audit(sender, instance, created, **kwargs) -> None:
    """post_save of AuditEntry: a successful entry whose action raises an event emits it."""
    event = FROM_AUDIT.get(instance.action)
    if not created or event is None or instance.result != "success":
        return
    obj = {"type": instance.object_type, "id": instance.object_id, "name": instance.object_repr}
    webhook_emit(event, {"object": obj, "audit_id": instance.pk, "actor": instance.actor_username})


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h after the 1st…5th failure."""
    return dt.timedelta(seconds=30 * 4 ** (attempts - 1))


def _enqueue(pk: int, run_after: dt.datetime | None = None) -> None:
    from django_tasks import default_task_backend

    from zuofeng.webhooks.tasks import webhook_deliver

    if run_after is not None and not default_task_backend.supports_defer:
        return  # left pending with next_at; webhooks_retry_due (daily job) sends it
    (webhook_deliver.using(run_after=run_after) if run_after else webhook_deliver).enqueue(pk)


def webhook_deliver_now(pk: int) -> WebhookDelivery:
    """One attempt: POST the JSON with its HMAC-SHA256 signature; on failure schedule the next try."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
    if delivery.state != DeliveryState.PENDING:
        return delivery
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 - the administrator's http(s) URL, checked on save
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Zuofeng-Event": delivery.event,
            "X-Zuofeng-Delivery": str(delivery.pk),
            "X-Zuofeng-Signature": signature(delivery.webhook.secret, body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            delivery.last_status, delivery.last_error = response.status, ""
    except urllib.error.HTTPError as error:
        delivery.last_status, delivery.last_error = error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        delivery.last_status, delivery.last_error = None, str(getattr(error, "reason", error))[:300]
    if delivery.last_status is not None and 200 <= delivery.last_status < 300:
        delivery.state, delivery.delivered_at, delivery.next_at = DeliveryState.DELIVERED, clock.now(), None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.state, delivery.next_at = DeliveryState.FAILED, None
    else:
        delivery.next_at = clock.now() + backoff(delivery.attempts)
    delivery.save()
    if delivery.state == DeliveryState.PENDING:
        _enqueue(delivery.pk, run_after=delivery.next_at)
    return delivery


def webhooks_retry_due() -> int:
    """Send every pending delivery whose time has come (for backends that cannot defer a task)."""
    due = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_at__lte=clock.now())
    pks = list(due.values_list("pk", flat=True))
    for pk in pks:
        webhook_deliver_now(pk)
    return len(pks)


def measures_overdue_emit(*, today: dt.date) -> int:
    """The daily job's part: measures whose deadline was yesterday and are still open are now overdue."""
    from zuofeng.rectification.models import Measure, MeasureState

    late = (
        Measure.objects.filter(deadline=today - dt.timedelta(days=1), is_ongoing=False)
        .exclude(state=MeasureState.CLOSED)
        .select_related("unit")
    )
    count = 0
    for measure in late:
        obj = {"type": "rectification.measure", "id": str(measure.pk), "name": measure.text[:100]}
        webhook_emit("measure.overdue", {"object": obj, "unit": measure.unit.qualified_name})
        count += 1
    return count
