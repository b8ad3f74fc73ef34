"""A notice as a unit reads it: the text, its 附件, Word and PDF, 签收 and 转发 of the unit's own copies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.core.forms import add_service_errors
from zuofeng.notices.documents import document_response, notice_attachment_pdfs, notice_document
from zuofeng.notices.forms.delivery import ChaseForm, ForwardForm
from zuofeng.notices.models import Delivery, NoticeAttachment
from zuofeng.notices.selectors.delivery import delivery_counts, my_copies
from zuofeng.notices.selectors.notices import notice_get
from zuofeng.notices.services.delivery import delivery_acknowledge, notice_forward
from zuofeng.notices.text import body_blocks


def _page(request, notice, *, forward_form=None, forward_copy=None, status=200):
    copies = my_copies(request.user, notice)
    for copy in copies:
        copy.forward_form = (
            forward_form
            if forward_copy is not None and copy.pk == forward_copy.pk
            else ForwardForm(unit=copy.unit, initial={"printed_by": f"{copy.unit.name}办公室"})
        )
    context = {
        "notice": notice,
        "blocks": body_blocks(notice.body),
        "enclosure_blocks": body_blocks(notice.enclosure_body),
        "attachments": notice.attachments.all(),
        "forwardings": notice.forwardings.select_related("unit"),
        "copies": copies,
        "counts": delivery_counts(notice=notice, user=request.user),
        "office": may(request.user, "notice.manage"),
        "chase_form": ChaseForm(),
    }
    return render(request, "notices/reading/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _page(request, notice_get(user=request.user, pk=pk))


def _copy(request, pk: int, delivery_id: int) -> Delivery:
    notice = notice_get(user=request.user, pk=pk)
    return get_object_or_404(Delivery.objects.select_related("unit", "notice"), pk=delivery_id, notice=notice)


@login_required
@require_POST
def acknowledge(request, pk: int, delivery_id: int):
    delivery = _copy(request, pk, delivery_id)
    was_signed = delivery.acknowledged_at is not None
    delivery_acknowledge(actor=request.user, delivery=delivery)
    messages.success(request, f"{delivery.unit.name}{'已签收过此通知' if was_signed else '已签收'}。")
    return redirect("notices:detail", pk)


@login_required
@require_POST
def forward(request, pk: int, delivery_id: int):
    delivery = _copy(request, pk, delivery_id)
    if not may(request.user, "notice.forward", delivery):
        raise PermissionDenied("只有本单位的单位管理员可以转发此通知。")
    form = ForwardForm(request.POST, unit=delivery.unit)
    if form.is_valid():
        c = form.cleaned_data
        try:
            forwarding = notice_forward(
                actor=request.user,
                delivery=delivery,
                unit_ids=[u.pk for u in c["units"]],
                text=c["text"],
                printed_by=c["printed_by"],
                printed_on=c["printed_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已转发给 {forwarding.deliveries.count()} 个单位。")
            return redirect("notices:detail", pk)
    return _page(request, delivery.notice, forward_form=form, forward_copy=delivery, status=400)


@login_required
def attachment(request, pk: int, attachment_id: int):
    notice = notice_get(user=request.user, pk=pk)
    item = get_object_or_404(NoticeAttachment, pk=attachment_id, notice=notice)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file_name, content_type=item.content_type
    )


@login_required
def download(request, pk: int, fmt: str):
    """The notice as Word or PDF in GB/T 9704 layout; the PDF carries the PDF 附件 after the text."""
    notice = notice_get(user=request.user, pk=pk)
    attachments = notice_attachment_pdfs(notice) if fmt == "pdf" else []
    name = f"{notice.doc_number or '草稿'} {notice.title}"
    return document_response(notice_document(notice), fmt=fmt, name=name, attachments=attachments)
