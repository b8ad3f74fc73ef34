"""The office's work on a case besides its moves: reading who reported (audited every time), and
moderation — the text the unit reads (the reporter's own stays as written) and the attachments the
unit may open."""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.complaints.identity import unseal
from zuofeng.complaints.models import Attachment, Complaint, Reporter


@dataclasses.dataclass(frozen=True)
class Identity:
    name: str
    phone: str
    contact: str


def reporter_identity_read(*, actor, complaint: Complaint) -> Identity | None:
    """Decrypt the reporter's details for the office; every reading (and every refusal) is in the
    audit trail, which names the case and the reader but not what was read."""
    if not may(actor, "complaint.identity_read"):
        audit_record(actor=actor, action="complaint.identity_read", obj=complaint, result=AuditResult.DENIED)
        raise PermissionDenied("只有作风办可以查看反映人信息。")
    reporter = Reporter.objects.filter(complaint=complaint).first()
    audit_record(actor=actor, action="complaint.identity_read", obj=complaint, detail="查看反映人信息")
    if reporter is None:
        return None
    return Identity(unseal(reporter.name_token), unseal(reporter.phone_token), unseal(reporter.contact_token))


@transaction.atomic
def complaint_redact(*, actor, complaint: Complaint, text: str, version: int) -> Complaint:
    """Change the text the unit reads (e.g. take out a name the reporter wrote); the original stays."""
    if not may(actor, "complaint.manage"):
        raise PermissionDenied
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.version != version:
        raise ValidationError("这件反映已被他人修改，请刷新后再改。", code="stale")
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError({"text": "单位看到的内容至少 10 个字。"})
    locked.text = text
    locked.version += 1
    locked.save(update_fields=["text", "version", "updated_at"])
    # Lengths only: the entries must not carry what was taken out (it may be the reporter's name).
    audit_record(
        actor=actor,
        action="complaint.redact",
        obj=locked,
        before={"字数": len(complaint.text)},
        after={"字数": len(text)},
    )
    complaint.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


@transaction.atomic
def attachment_check(*, actor, attachment: Attachment, withhold: bool) -> Attachment:
    """The office has looked at the file: give it to the unit, or withhold it (it shows the reporter)."""
    if not may(actor, "complaint.manage"):
        raise PermissionDenied
    attachment.checked, attachment.withheld = True, withhold
    attachment.save(update_fields=["checked", "withheld"])
    audit_record(
        actor=actor,
        action="complaint.attachment_check",
        obj=attachment.complaint,
        after={"附件": attachment.public_name, "向单位提供": not withhold},
    )
    return attachment
