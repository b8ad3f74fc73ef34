"""Public intake (no login): validate, check the captcha and the rate limits, store the case and,
apart from it, the reporter's encrypted identity; hand back the tracking code and a secret.

Stored once: the form carries a one-time `submission_key`, unique in the table, so a double tap or a
retried POST finds the case already stored instead of making a second one.
"""

import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zuofeng.audit.services import audit_record
from zuofeng.complaints.captcha import WRONG, captcha_spend
from zuofeng.complaints.config import complaints_config
from zuofeng.complaints.identity import normalise_phone, phone_digest, seal
from zuofeng.complaints.models import Attachment, Complaint, ComplaintEvent, ComplaintKind, ComplaintState, Reporter
from zuofeng.complaints.services.throttle import throttle_take
from zuofeng.core import clock
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import JPG, PDF, PNG, check_upload, short_name

ALLOWED = {JPG, PNG, PDF}
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone
TOO_MANY = "提交过于频繁，请稍后再试；紧急事项请拨打 12345 热线。"


@dataclasses.dataclass
class Report:
    kind: str
    text: str
    symptom: object = None
    unit: object = None
    happened_on: dt.date | None = None
    place: str = ""
    named: bool = False
    name: str = ""
    phone: str = ""
    contact: str = ""
    files: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Receipt:
    complaint: Complaint
    secret: str  # "" when the submission had already been stored (the secret was shown then)
    created: bool


def secret_hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def _validate(report: Report, limits) -> dict[str, str]:
    errors: dict[str, str] = {}
    if report.kind not in ComplaintKind.values:
        errors["kind"] = "请选择反映类型（投诉、建议或表扬）。"
    text = (report.text or "").strip()
    if len(text) < 10:
        errors["text"] = "请写明反映的事情，至少 10 个字。"
    elif len(text) > limits.text_chars:
        errors["text"] = f"反映内容不能超过 {limits.text_chars} 个字（现为 {len(text)} 个字）。"
    if report.happened_on and report.happened_on > clock.today():
        errors["happened_on"] = "发生日期不能晚于今天。"
    if len(report.place or "") > 200:
        errors["place"] = "发生地点不能超过 200 个字。"
    if report.named:
        if not (report.name or "").strip():
            errors["name"] = "实名反映请填写姓名；不愿留名请选择“匿名”。"
        elif len(report.name.strip()) > 50:
            errors["name"] = "姓名不能超过 50 个字。"
        phone = normalise_phone(report.phone)
        if not (len(phone) == 11 and phone.startswith("1")):
            errors["phone"] = "请填写 11 位手机号码。"
    if len(report.files) > limits.attachments:
        errors["files"] = f"附件最多 {limits.attachments} 个。"
    else:
        for f in report.files:
            try:
                check_upload(f, allowed=ALLOWED, max_bytes=limits.attachment_mb * 1024 * 1024)
            except ValidationError as error:
                errors["files"] = error.messages[0]
                break
    return errors


def _new_code() -> str:
    return "Q" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))


def complaint_report(
    *, campaign, report: Report, address: str, submission_key: str, captcha_token: str, captcha_answer: str
) -> Receipt:
    """Store a report from the public. Raises ValidationError (per field, in Chinese) and stores nothing
    when anything is wrong; a repeated `submission_key` returns the case stored the first time."""
    stored = Complaint.objects.filter(submission_key=submission_key).first() if submission_key else None
    if stored is not None:
        return Receipt(stored, "", False)
    if not submission_key or len(submission_key) > 64:
        raise ValidationError({"captcha": "表单已失效，请刷新页面后重新填写。"})
    cfg = complaints_config(campaign)
    errors = _validate(report, cfg.limits)
    if errors:
        raise ValidationError(errors)
    if not captcha_spend(token=captcha_token, answer=captcha_answer):
        raise ValidationError({"captcha": WRONG})
    if not throttle_take(bucket=f"ip:{address}", limit=cfg.limits.per_address_per_hour, per="hour"):
        raise ValidationError({"captcha": TOO_MANY})
    digest = phone_digest(report.phone) if report.named else ""
    if digest and not throttle_take(bucket=f"phone:{digest}", limit=cfg.limits.per_phone_per_day, per="day"):
        raise ValidationError({"phone": "该手机号今天的提交次数已达上限，请明天再试。"})
    secret = "".join(secrets.choice("0123456789") for _ in range(8))
    try:
        complaint = _store(
            campaign=campaign, report=report, submission_key=submission_key, secret=secret, digest=digest
        )
    except IntegrityError:
        # The same form submitted twice at the same moment: the other request stored it.
        stored = Complaint.objects.filter(submission_key=submission_key).first()
        if stored is None:
            raise
        return Receipt(stored, "", False)
    return Receipt(complaint, secret, True)


def _store(*, campaign, report: Report, submission_key: str, secret: str, digest: str) -> Complaint:
    now = clock.now()
    text = report.text.strip()
    with transaction.atomic(), file_changes() as files:
        complaint = Complaint(
            campaign=campaign,
            submission_key=submission_key,
            secret_hash=secret_hash(secret),
            kind=report.kind,
            symptom=report.symptom,
            reported_unit=report.unit,
            text_original=text,
            text=text,
            happened_on=report.happened_on,
            place=(report.place or "").strip(),
            is_named=report.named,
            received_at=now,
        )
        for _ in range(5):  # 31**9 codes: a clash is rare, never twice in a row
            complaint.code = _new_code()
            if not Complaint.objects.filter(code=complaint.code).exists():
                break
        complaint.save()
        if report.named:
            Reporter.objects.create(
                complaint=complaint,
                name_token=seal(report.name.strip()),
                phone_token=seal(normalise_phone(report.phone)),
                contact_token=seal((report.contact or "").strip()),
                phone_digest=digest,
            )
        for f in report.files:
            kind = check_upload(f, allowed=ALLOWED, max_bytes=50 * 1024 * 1024)
            attachment = Attachment(complaint=complaint, original_name=short_name(f.name), kind=kind, size=f.size)
            attachment.file.name = files.save(f"complaints/{now:%Y}/{secrets.token_hex(8)}.{kind}", f)
            attachment.save()
        ComplaintEvent.objects.create(
            complaint=complaint, action="群众提交反映", to_state=ComplaintState.RECEIVED, at=now
        )
        # The entry names the case by its code and says whether it is named; never who.
        audit_record(
            actor=None,
            action="complaint.report",
            obj=complaint,
            after={"类型": complaint.get_kind_display(), "实名": report.named, "附件": len(report.files)},
        )
    return complaint
