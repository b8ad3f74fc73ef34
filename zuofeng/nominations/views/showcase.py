"""先进典型 showcase, the photo behind a permission check, and the announcement list (公示名单) as Word."""

import io
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from docx import Document

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.documents.fonts import (
    BODY_FONT,
    CENTER,
    HEADING_FONT,
    RIGHT,
    TITLE_FONT,
    add_paragraph,
    page_setup,
    set_default_font,
)
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.nominations.selectors.showcase import showcase_groups
from zuofeng.nominations.services.judging import nomination_photo_upload

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CN_NUMBERS = "一二三四五六七八九十"


class PhotoForm(forms.Form):
    photo = forms.FileField(label="照片", error_messages={"required": "请选择照片（JPG 或 PNG）。"})


def _ordering(request) -> str:
    return "strokes" if request.GET.get("order") == "strokes" else "unit"


@login_required
def showcase(request):
    campaign = campaign_current()
    ordering = _ordering(request)
    groups = showcase_groups(campaign=campaign, ordering=ordering)
    for group in groups:
        for entry in group.entries:
            entry.can_upload = may(request.user, "nomination.edit", entry.nomination)
    return render(
        request,
        "nominations/showcase/list.html",
        {
            "campaign": campaign,
            "groups": groups,
            "ordering": ordering,
            "can_announce": may(request.user, "award.manage"),
        },
    )


def _visible_photo(user, pk: int) -> Nomination:
    nomination = get_object_or_404(Nomination.objects.select_related("unit"), pk=pk)
    published = nomination.state == NominationState.SELECTED
    if not (published or may(user, "nomination.view", nomination)) or not nomination.photo:
        raise Http404("没有这张照片")
    return nomination


@login_required
def photo(request, pk: int):
    nomination = _visible_photo(request.user, pk)
    response = FileResponse(nomination.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=600"
    return response


@login_required
@require_POST
def photo_upload(request, pk: int):
    nomination = get_object_or_404(Nomination.objects.select_related("unit"), pk=pk)
    if not may(request.user, "nomination.edit", nomination):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            nomination_photo_upload(actor=request.user, nomination=nomination, photo=form.cleaned_data["photo"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已上传“{nomination.title}”的照片。")
    else:
        messages.error(request, form.errors["photo"][0])
    return redirect("nominations:showcase")


def announcement_docx(*, campaign, groups) -> bytes:
    """公示名单: title, then per award its winners with their units, in GB/T 9704-like fonts."""
    document = Document()
    page_setup(document)
    set_default_font(document)
    add_paragraph(document, f"{campaign.short_title or campaign.title}先进典型公示名单", TITLE_FONT, 22, CENTER)
    add_paragraph(document, "", BODY_FONT, 16)
    for i, group in enumerate(groups):
        number = CN_NUMBERS[i] if i < len(CN_NUMBERS) else str(i + 1)
        heading = f"{number}、{group.award.name}（{len(group.entries)}{group.counter}）"
        add_paragraph(document, heading, HEADING_FONT, 16)
        for entry in group.entries:
            unit = entry.nomination.unit.display_name
            add_paragraph(document, f"{unit}　{entry.title}", BODY_FONT, 16)
    add_paragraph(document, "", BODY_FONT, 16)
    add_paragraph(document, campaign.issuer, BODY_FONT, 16, RIGHT)
    add_paragraph(document, cn_date(clock.today()), BODY_FONT, 16, RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@login_required
def announcement(request):
    if not may(request.user, "award.manage"):
        raise PermissionDenied
    campaign = campaign_current()
    if campaign is None:
        raise Http404("尚未载入专项活动")
    groups = showcase_groups(campaign=campaign, ordering=_ordering(request))
    content = announcement_docx(campaign=campaign, groups=groups)
    audit_record(actor=request.user, action="nomination.announcement_export", obj=campaign)
    response = HttpResponse(content, content_type=DOCX)
    filename = f"{campaign.year}年先进典型公示名单.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
