"""拟稿: the office writes a notice, its 主送 units and its 附件; only drafts change."""

import datetime as dt
import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record, model_snapshot
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import CONTENT_TYPES, DOCX, JPG, PDF, PNG, XLSX, check_upload, short_name
from zuofeng.notices.models import Notice, NoticeAttachment, NoticeState
from zuofeng.organisation.models import Unit

ATTACHMENT_KINDS = {PDF, DOCX, XLSX, JPG, PNG}
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
SNAPSHOT_FIELDS = [
    "issuer",
    "number_prefix",
    "number_year",
    "number",
    "title",
    "addressees_text",
    "body",
    "enclosure_title",
    "enclosure_body",
    "attachment_note",
    "signed_on",
    "printed_by",
    "printed_on",
    "copy_to",
    "campaign_id",
]
TEXT_LIMITS = {"issuer": 100, "number_prefix": 30, "title": 300, "printed_by": 100, "copy_to": 300}
REQUIRED = {
    "issuer": "请填写发文机关。",
    "number_prefix": "请填写机关代字，例如：武作组办。",
    "title": "请填写标题。",
    "body": "请填写正文。",
    "printed_by": "请填写印发机关。",
}


@dataclass
class NoticeData:
    issuer: str
    number_prefix: str
    title: str
    body: str
    signed_on: dt.date | None
    printed_by: str
    number: int | None = None
    addressees_text: str = ""
    enclosure_title: str = ""
    enclosure_body: str = ""
    attachment_note: str = ""
    printed_on: dt.date | None = None
    copy_to: str = ""
    campaign_id: int | None = None


def _require(actor, notice: Notice | None) -> None:
    if not may(actor, "notice.manage", notice):
        audit_record(actor=actor, action="notice.save", obj=notice, result=AuditResult.DENIED)
        raise PermissionDenied("只有作风办可以拟写和印发通知。")


def _errors(data: NoticeData, addressee_ids: list[int], notice: Notice | None) -> dict[str, str]:
    errors = {}
    for field, message in REQUIRED.items():
        if not str(getattr(data, field) or "").strip():
            errors[field] = message
    for field, limit in TEXT_LIMITS.items():
        if len(getattr(data, field) or "") > limit:
            errors[field] = f"不能超过 {limit} 个字。"
    if data.number_prefix and any(c in data.number_prefix for c in "〔〕[]【】()（）第0123456789"):
        errors["number_prefix"] = "机关代字只写代字本身（如“武作组办”），年份和序号另填。"
    if data.signed_on is None:
        errors["signed_on"] = "请填写成文日期。"
    if data.printed_on and data.signed_on and data.printed_on < data.signed_on:
        errors["printed_on"] = "印发日期不能早于成文日期。"
    if data.number is not None:
        if data.number < 1:
            errors["number"] = "序号从 1 开始，不编虚位。"
        elif data.signed_on and "number_prefix" not in errors:
            taken = Notice.objects.filter(
                number_prefix=data.number_prefix.strip(), number_year=data.signed_on.year, number=data.number
            )
            if notice is not None:
                taken = taken.exclude(pk=notice.pk)
            if taken.exists():
                errors["number"] = (
                    f"发文字号 {data.number_prefix.strip()}〔{data.signed_on.year}〕{data.number}号 已被使用，"
                    "请换一个序号或留空自动编号。"
                )
    found = Unit.objects.filter(pk__in=addressee_ids, is_active=True).count()
    if found != len(set(addressee_ids)):
        errors["addressees"] = "所选主送单位不存在或已停用。"
    return errors


def notice_save(
    *, actor, data: NoticeData, addressee_ids: list[int], notice: Notice | None = None, version: int | None = None
) -> Notice:
    """Create a draft, or save a draft again (with the version the form was opened at)."""
    _require(actor, notice)
    errors = _errors(data, addressee_ids, notice)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if notice is None:
            notice = Notice(created_by=actor)
            before = None
        else:
            notice = Notice.objects.select_for_update().get(pk=notice.pk)
            if notice.state != NoticeState.DRAFT:
                raise ValidationError("通知已印发，不能再修改。", code="issued")
            if version is not None and int(version) != notice.version:
                raise ValidationError(
                    f"该通知已被他人修改（现为第 {notice.version} 版），请刷新后再保存。", code="stale"
                )
            before = model_snapshot(notice, SNAPSHOT_FIELDS)
            notice.version += 1
        for field in SNAPSHOT_FIELDS:
            if field not in ("number_year",):
                value = getattr(data, field)
                setattr(notice, field, value.strip() if isinstance(value, str) else value)
        notice.number_year = data.signed_on.year if data.number is not None else None
        notice.save()
        notice.addressees.set(sorted(set(addressee_ids)))
        audit_record(
            actor=actor,
            action="notice.save",
            obj=notice,
            before=before,
            after={**model_snapshot(notice, SNAPSHOT_FIELDS), "addressees": len(set(addressee_ids))},
        )
    return notice


def notice_delete(*, actor, notice: Notice) -> None:
    """A draft may be thrown away; an issued notice stays (its number is never given again)."""
    _require(actor, notice)
    if notice.state != NoticeState.DRAFT:
        raise ValidationError("已印发的通知不能删除。")
    with file_changes() as files, transaction.atomic():
        for attachment in notice.attachments.all():
            files.replace(attachment.file.name)
        audit_record(actor=actor, action="notice.delete", obj=notice, before=model_snapshot(notice, ["title"]))
        notice.delete()


def attachment_add(*, actor, notice: Notice, title: str, upload) -> NoticeAttachment:
    """An uploaded 附件, checked by content like every upload (core/uploads.py)."""
    _require(actor, notice)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写附件名称（如：“十佳优秀服务明星”申报表）。"
    elif len(title) > 200:
        errors["title"] = "附件名称不能超过 200 个字。"
    kind = None
    if upload is None:
        errors["file"] = "请选择要上传的附件文件。"
    else:
        try:
            kind = check_upload(upload, allowed=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
        except ValidationError as error:
            errors["file"] = error.messages[0]
    if notice.state != NoticeState.DRAFT:
        errors["file"] = "通知已印发，不能再添加附件。"
    if errors:
        raise ValidationError(errors)
    field = NoticeAttachment._meta.get_field("file")
    with file_changes(field.storage) as files, transaction.atomic():
        Notice.objects.select_for_update().get(pk=notice.pk)
        order = (notice.attachments.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        original = short_name(upload.name)
        extension = os.path.splitext(original)[1].lower()
        attachment = NoticeAttachment(
            notice=notice, order=order, title=title, file_name=original, content_type=CONTENT_TYPES[kind]
        )
        attachment.size = upload.size
        attachment.file.name = files.save(
            field.generate_filename(attachment, f"notice-{notice.pk}-{order}{extension}"), upload
        )
        attachment.save()
        audit_record(
            actor=actor,
            action="notice.attachment_add",
            obj=notice,
            after={"order": order, "title": title, "file": original, "size": attachment.size},
        )
    return attachment


def attachment_remove(*, actor, attachment: NoticeAttachment) -> None:
    notice = attachment.notice
    _require(actor, notice)
    if notice.state != NoticeState.DRAFT:
        raise ValidationError("通知已印发，不能再删除附件。")
    with file_changes() as files, transaction.atomic():
        files.replace(attachment.file.name)
        audit_record(
            actor=actor,
            action="notice.attachment_remove",
            obj=notice,
            before={"order": attachment.order, "title": attachment.title, "file": attachment.file_name},
        )
        attachment.delete()
