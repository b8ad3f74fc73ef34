"""群众提: reports from the public (投诉 / 建议 / 表扬) handled like a 12345 work order.

The reporter's identity is NOT on `Complaint`: it lives in `Reporter`, a table of its own holding
only Fernet tokens (`complaints/identity.py`), so no query, serializer or template that reads a
complaint can carry a name or phone by accident. `Complaint.__str__` is the tracking code, which
is what the audit trail records as the object.
"""

from django.db import models
from django.db.models import Q

from zuofeng.core.models import TimeStampedModel
from zuofeng.core.storage import private_storage


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", "待受理"
    DECLINED = "declined", "不予受理"
    MERGED = "merged", "已合并"
    DISPATCHED = "dispatched", "待签收"
    HANDLING = "handling", "办理中"
    RETURN_REQUESTED = "return_requested", "申请退单"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    REPLIED = "replied", "答复待审核"
    ANSWERED = "answered", "已答复"
    RATED = "rated", "已评价"
    CONCLUDED = "concluded", "已办结"


# States in which the case sits with the unit (its clock runs).
WITH_UNIT = (
    ComplaintState.DISPATCHED,
    ComplaintState.HANDLING,
    ComplaintState.RETURN_REQUESTED,
    ComplaintState.EXTENSION_REQUESTED,
)
# States a unit may ever see: once dispatched to it, never before.
UNIT_VISIBLE = (
    *WITH_UNIT,
    ComplaintState.REPLIED,
    ComplaintState.ANSWERED,
    ComplaintState.RATED,
    ComplaintState.CONCLUDED,
)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Complaint(TimeStampedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("查询码", max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    # The intake form's one-time key: a repeated POST (double tap, retry) finds the stored case.
    submission_key = models.CharField(max_length=64, unique=True)
    kind = models.CharField("类型", max_length=16, choices=ComplaintKind.choices)
    state = models.CharField("状态", max_length=24, choices=ComplaintState.choices, default=ComplaintState.RECEIVED)
    symptom = models.ForeignKey(
        "campaigns.Symptom", verbose_name="问题表现", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name="反映的单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="群众选择的单位；空白表示“不清楚”",
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name="承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the reporter wrote, never changed (moderation keeps it); `text` is what the unit reads,
    # which the office may redact (a name written into the text, an address).
    text_original = models.TextField("原始内容")
    text = models.TextField("反映内容")
    happened_on = models.DateField("发生日期", null=True, blank=True)
    place = models.CharField("发生地点", max_length=200, blank=True)
    is_named = models.BooleanField("实名", default=False)
    received_at = models.DateTimeField("提交时间")
    dispatched_on = models.DateField("派单日期", null=True, blank=True)
    sign_due = models.DateField("签收期限", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    deadline = models.DateField("办理期限", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    office_note = models.TextField("作风办意见（群众可见）", blank=True)
    reply = models.TextField("答复", blank=True)
    rating = models.CharField("评价", max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    redo_count = models.PositiveSmallIntegerField("重办次数", default=0)
    merged_into = models.ForeignKey(
        "self", verbose_name="合并到", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    extension_until = models.DateField("申请延期至", null=True, blank=True)
    problem = models.ForeignKey(
        "rectification.Problem",
        verbose_name="转入的问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "群众反映"
        verbose_name_plural = "群众反映"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "unit"]), models.Index(fields=["unit", "received_at"])]

    def __str__(self) -> str:
        return self.code


class Reporter(models.Model):
    """Who reported, apart from the case: Fernet tokens only, readable through `identity.py` by the office."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="+")
    name_token = models.TextField(blank=True)
    phone_token = models.TextField(blank=True)
    contact_token = models.TextField(blank=True)
    # A keyed hash of the phone (not reversible without the key) for the per-phone rate limit.
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "反映人"
        verbose_name_plural = "反映人"

    def __str__(self) -> str:
        return f"反映人#{self.pk}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/", storage=private_storage, max_length=255)
    # The reporter's file name may name them ("张三身份证.jpg"): only the office sees it.
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)
    checked = models.BooleanField("已审看", default=False)
    withheld = models.BooleanField("不向单位提供", default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"附件{self.pk}"

    @property
    def public_name(self) -> str:
        return f"附件{self.pk}.{self.kind}"

    @property
    def for_unit(self) -> bool:
        return self.checked and not self.withheld


class ComplaintEvent(models.Model):
    """The case's history as people read it; `public` lines are shown to the reporter too."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    comment = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class Throttle(models.Model):
    """Counts per bucket (an address or a phone digest) and window, in the database so every
    process agrees; one row per (bucket, window), raised by a conditional UPDATE."""

    bucket = models.CharField(max_length=100)
    window = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window"], name="complaints_throttle_one_row")]


class Captcha(models.Model):
    """An arithmetic question drawn as an image by the server; one use, ten minutes."""

    token = models.CharField(max_length=32, unique=True)
    answer = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(answer=""), name="complaints_captcha_has_answer")]


# ── 满意度测评: the public rates units on the campaign's items, by QR code at the service window ──────


class SurveyPeriod(TimeStampedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("测评名称", max_length=100)
    items = models.JSONField("测评项目", default=list, help_text="开启时从活动定义复制，之后不随定义变化")
    min_responses = models.PositiveIntegerField("公布结果的最少有效份数")
    by_device = models.BooleanField(
        "允许不填手机号（每台设备一份）", default=False, help_text="不勾选时每个手机号对每个单位只能测评一次"
    )
    is_open = models.BooleanField("进行中", default=True)
    opened_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ResponseStatus(models.TextChoices):
    COUNTED = "counted", "有效"
    SET_ASIDE = "set_aside", "待作风办核查"
    REJECTED = "rejected", "不计入"


class SurveyResponse(models.Model):
    period = models.ForeignKey(SurveyPeriod, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField("评分", default=dict)  # item → satisfied / basically / unsatisfied
    comment = models.TextField("意见", blank=True)
    phone_digest = models.CharField(max_length=64, blank=True)
    device_key = models.CharField(max_length=64, blank=True)
    address = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.COUNTED)
    set_aside_reason = models.CharField("核查原因", max_length=200, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "phone_digest"], condition=~Q(phone_digest=""), name="survey_one_per_phone"
            ),
            models.UniqueConstraint(
                fields=["period", "unit", "device_key"], condition=~Q(device_key=""), name="survey_one_per_device"
            ),
            models.CheckConstraint(condition=~Q(phone_digest="") | ~Q(device_key=""), name="survey_phone_or_device"),
        ]
        indexes = [models.Index(fields=["period", "unit", "status"])]
