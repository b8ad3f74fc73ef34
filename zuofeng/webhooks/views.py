"""事件推送 (系统管理员): the subscriptions, a new one (its secret shown once), on/off, recent deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.core.forms import add_service_errors
from zuofeng.webhooks import services
from zuofeng.webhooks.events import EVENTS
from zuofeng.webhooks.forms import WebhookForm
from zuofeng.webhooks.models import Webhook, WebhookDelivery


def _require(user) -> None:
    if not may(user, "webhook.manage"):
        raise PermissionDenied


@login_required
def webhook_list(request):
    _require(request.user)
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.webhook_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = WebhookForm()
    hooks = list(Webhook.objects.all())
    for hook in hooks:
        hook.event_labels = [EVENTS.get(e, e) for e in hook.events]
    deliveries = WebhookDelivery.objects.select_related("webhook")[:20]
    context = {"form": form, "hooks": hooks, "deliveries": deliveries, "created": created}
    return render(request, "webhooks/list.html", context)


@login_required
@require_POST
def webhook_active(request, pk: int):
    _require(request.user)
    hook = get_object_or_404(Webhook, pk=pk)
    active = request.POST.get("active") == "1"
    services.webhook_set_active(actor=request.user, webhook=hook, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}“{hook.name}”。")
    return redirect("webhooks:list")
