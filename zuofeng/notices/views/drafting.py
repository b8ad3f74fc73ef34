"""The office's pages: the list of notices, drafting, 附件, 印发 and throwing a draft away."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.forms import add_service_errors
from zuofeng.notices.forms.drafting import AttachmentForm, NoticeForm, initial_from
from zuofeng.notices.models import Notice, NoticeAttachment, NoticeState
from zuofeng.notices.selectors.notices import notice_list
from zuofeng.notices.services import drafting as services
from zuofeng.notices.settings import notice_settings
from zuofeng.notices.workflow import notice_transition


def _office(user) -> None:
    if not may(user, "notice.manage"):
        raise PermissionDenied("只有作风办可以拟写和印发通知。")


def _draft(user, pk: int) -> Notice:
    _office(user)
    notice = get_object_or_404(Notice, pk=pk)
    if notice.state != NoticeState.DRAFT:
        raise PermissionDenied("通知已印发，不能再修改。")
    return notice


@login_required
def index(request):
    if not may(request.user, "notice.view"):
        raise PermissionDenied("您无权查看通知。")
    notices = notice_list(user=request.user).select_related("campaign")
    return render(
        request, "notices/drafting/list.html", {"notices": notices, "office": may(request.user, "notice.manage")}
    )


def _initial() -> dict:
    campaign = campaign_current()
    if campaign is None:
        return {}
    return {
        "issuer": campaign.issuer,
        "printed_by": campaign.printed_by or campaign.issuer,
        "number_prefix": notice_settings(campaign).number_prefix,
    }


@login_required
def edit(request, pk: int | None = None):
    notice = _draft(request.user, pk) if pk else None
    _office(request.user)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            campaign = notice.campaign if notice else campaign_current()
            try:
                saved = services.notice_save(
                    actor=request.user,
                    data=form.data_object(campaign.pk if campaign else None),
                    addressee_ids=form.addressee_ids(),
                    notice=notice,
                    version=form.cleaned_data.get("version"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "通知草稿已保存。")
                return redirect("notices:edit", saved.pk)
        status = 400
    else:
        form = NoticeForm(initial=initial_from(notice) if notice else _initial())
        status = 200
    context = {"form": form, "notice": notice, "attachment_form": AttachmentForm()}
    return render(request, "notices/drafting/edit.html", context, status=status)


@login_required
@require_POST
def attachment_add(request, pk: int):
    notice = _draft(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, notice=notice, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "附件已上传。")
            return redirect("notices:edit", notice.pk)
    context = {"form": NoticeForm(initial=initial_from(notice)), "notice": notice, "attachment_form": form}
    return render(request, "notices/drafting/edit.html", context, status=400)


@login_required
@require_POST
def attachment_remove(request, pk: int, attachment_id: int):
    notice = _draft(request.user, pk)
    attachment = get_object_or_404(NoticeAttachment, pk=attachment_id, notice=notice)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, f"附件“{attachment.title}”已删除。")
    return redirect("notices:edit", notice.pk)


@login_required
@require_POST
def issue(request, pk: int):
    notice = _draft(request.user, pk)
    try:
        issued = notice_transition(actor=request.user, notice=notice, to=NoticeState.ISSUED)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect("notices:edit", notice.pk)
    messages.success(request, f"已印发 {issued.doc_number}，送达 {issued.deliveries.count()} 个单位。")
    return redirect("notices:detail", issued.pk)


@login_required
@require_POST
def delete(request, pk: int):
    notice = _draft(request.user, pk)
    services.notice_delete(actor=request.user, notice=notice)
    messages.success(request, "草稿已删除。")
    return redirect("notices:index")
