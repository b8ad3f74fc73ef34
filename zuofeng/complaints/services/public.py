"""What the reporter does with the tracking code and secret: read the case and rate the reply."""

import hmac

from django.core.exceptions import ValidationError

from zuofeng.complaints.models import Complaint, ComplaintState
from zuofeng.complaints.services.intake import secret_hash
from zuofeng.complaints.services.throttle import throttle_take
from zuofeng.complaints.workflow import complaint_transition

WRONG = "查询码或查询密码不正确。"


def complaint_by_code(*, code: str, secret: str, address: str) -> Complaint:
    """The case for a code and its secret; at most 30 tries per address and hour, so the 8-digit
    secret cannot be guessed by trying."""
    if not throttle_take(bucket=f"lookup:{address}", limit=30, per="hour"):
        raise ValidationError("查询过于频繁，请一小时后再试。")
    complaint = Complaint.objects.select_related("unit").filter(code=(code or "").strip().upper()).first()
    if complaint is None or not hmac.compare_digest(complaint.secret_hash, secret_hash((secret or "").strip())):
        raise ValidationError(WRONG)
    return complaint


def complaint_rate(*, complaint: Complaint, rating: str, comment: str) -> Complaint:
    if complaint.state != ComplaintState.ANSWERED:
        raise ValidationError("这件反映当前不能评价。")
    return complaint_transition(
        actor=None, complaint=complaint, to=ComplaintState.RATED, rating=rating, rating_comment=comment
    )
