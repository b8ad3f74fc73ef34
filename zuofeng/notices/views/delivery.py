"""The office's delivery pages: the live 未签收 table with 催办, and the delivery tree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.notices.forms.delivery import ChaseForm
from zuofeng.notices.models import Delivery
from zuofeng.notices.selectors.delivery import delivery_counts, delivery_tree, unsigned_rows
from zuofeng.notices.selectors.notices import notice_get
from zuofeng.notices.services.delivery import deliveries_chase
from zuofeng.notices.settings import notice_settings


@login_required
def unsigned(request, pk: int):
    notice = notice_get(user=request.user, pk=pk)
    if not may(request.user, "notice.chase"):
        raise PermissionDenied("您无权查看签收情况。")
    context = {
        "notice": notice,
        "rows": unsigned_rows(notice=notice, user=request.user),
        "counts": delivery_counts(notice=notice, user=request.user),
        "limit": notice_settings(notice.campaign).acknowledge_within_working_days,
        "form": ChaseForm(),
    }
    template = (
        "notices/delivery/_unsigned_table.html"
        if request.headers.get("HX-Request")
        else "notices/delivery/unsigned.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def chase(request, pk: int):
    notice = notice_get(user=request.user, pk=pk)
    form = ChaseForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    copies = Delivery.objects.filter(notice=notice, acknowledged_at__isnull=True).select_related(
        "unit", "notice", "from_unit"
    )
    if request.POST.get("delivery"):
        copies = [get_object_or_404(copies, pk=request.POST["delivery"])]
    else:
        copies = [d for d in copies if may(request.user, "notice.chase", d)]
    chased = deliveries_chase(actor=request.user, deliveries=list(copies), message=message)
    if chased:
        messages.success(request, f"已向 {chased} 个未签收单位发出催办。")
    else:
        messages.info(request, "没有需要催办的未签收单位。")
    return redirect("notices:unsigned", notice.pk)


@login_required
def tree(request, pk: int):
    notice = notice_get(user=request.user, pk=pk)
    if not may(request.user, "notice.delivery_tree", notice):
        raise PermissionDenied("只有作风办可以查看全部送达情况。")
    return render(
        request,
        "notices/delivery/tree.html",
        {
            "notice": notice,
            "roots": delivery_tree(notice=notice),
            "counts": delivery_counts(notice=notice, user=request.user),
        },
    )
