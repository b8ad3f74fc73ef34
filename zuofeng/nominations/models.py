"""评优申报: a unit's nomination (申报) for an award, the reviewing office's opinion, judging.

Quotas (名额) hold in the database: a submitted nomination takes a numbered `slot`
(1..quota_max) and (award, unit, slot) is unique, so two administrators submitting at the same
moment cannot both take the last place. Drafts and withdrawn nominations hold no slot.
"""

from django.db import models
from django.db.models import Q

from zuofeng.core.models import TimeStampedModel
from zuofeng.core.storage import private_storage


class NominationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    OPINION_GIVEN = "opinion_given", "已签署意见"
    JUDGING = "judging", "评审中"
    SELECTED = "selected", "入选"
    NOT_SELECTED = "not_selected", "未入选"
    WITHDRAWN = "withdrawn", "已撤回"


# States that count against the unit's quota.
ACTIVE_STATES = (
    NominationState.SUBMITTED,
    NominationState.OPINION_GIVEN,
    NominationState.JUDGING,
    NominationState.SELECTED,
    NominationState.NOT_SELECTED,
)


class Nomination(TimeStampedModel):
    award = models.ForeignKey(
        "campaigns.Award", verbose_name="奖项", on_delete=models.PROTECT, related_name="nominations"
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", verbose_name="申报单位", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=16, choices=NominationState.choices, default=NominationState.DRAFT)
    title = models.CharField("名称", max_length=200, blank=True, help_text="姓名或事例名称，用于列表")
    data = models.JSONField("申报表内容", default=dict, blank=True)
    slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    stamped_scan = models.FileField(
        "盖章扫描件", upload_to="nominations/scans/%Y/", storage=private_storage, max_length=255, blank=True
    )
    stamped_scan_name = models.CharField(max_length=255, blank=True)
    photo = models.FileField(
        "照片", upload_to="nominations/photos/%Y/", storage=private_storage, max_length=255, blank=True
    )
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_at = models.DateTimeField("评定时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["award", "unit__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "unit", "slot"], condition=Q(slot__isnull=False), name="nomination_quota_slot"
            ),
            models.CheckConstraint(
                condition=Q(slot__isnull=True) | Q(state__in=[s.value for s in ACTIVE_STATES]),
                name="nomination_slot_only_when_active",
            ),
        ]
        indexes = [models.Index(fields=["award", "state"]), models.Index(fields=["unit", "award"])]

    def __str__(self) -> str:
        return self.title or f"{self.award}申报"


class Opinion(TimeStampedModel):
    """辖市（区）作风办或主管部门意见（盖章）."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="opinion")
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name="签署单位", null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("意见")
    signed_on = models.DateField("日期")
    stamped_scan = models.FileField(
        "盖章扫描件", upload_to="nominations/opinions/%Y/", storage=private_storage, max_length=255, blank=True
    )
    stamped_scan_name = models.CharField(max_length=255, blank=True)
    given_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"


class DeadlineExtension(TimeStampedModel):
    """The office lets one unit submit after the award's deadline, with a reason."""

    award = models.ForeignKey("campaigns.Award", on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField("延长至")
    reason = models.TextField("理由")
    granted_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "延期申报"
        verbose_name_plural = "延期申报"
        constraints = [models.UniqueConstraint(fields=["award", "unit"], name="extension_one_per_unit")]


class JudgeAssignment(TimeStampedModel):
    award = models.ForeignKey("campaigns.Award", on_delete=models.CASCADE, related_name="judge_assignments")
    judge = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="judge_assignments")
    assigned_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "评审专家分配"
        verbose_name_plural = "评审专家分配"
        constraints = [models.UniqueConstraint(fields=["award", "judge"], name="judge_once_per_award")]


class Score(TimeStampedModel):
    """One judge's score on one criterion (from Award.criteria, by its position) of one nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    criterion = models.PositiveSmallIntegerField("评分项")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    comment = models.TextField("评语", blank=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "judge", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="score_0_to_100"),
        ]


class NominationEvent(models.Model):
    """History a person reads: who did what to a nomination, when and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]


class RenderingFormat(models.TextChoices):
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"


class NominationRendering(models.Model):
    """A nomination's form rendered once (Word or PDF, full or masked) and kept in private storage.

    Rendered in the background when the nomination is submitted or its opinion is given, and on
    demand when a download or the ZIP finds it missing or stale. `inputs` is the fingerprint of
    what it was rendered from (documents/inputs.py): it is served only while that equals today's,
    and only while the file's SHA-256 is still `sha256`.
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="renderings")
    fmt = models.CharField("格式", max_length=8, choices=RenderingFormat.choices)
    masked = models.BooleanField("隐去个人信息", default=False)
    file = models.FileField(upload_to="nominations/renderings/%Y/", storage=private_storage, max_length=255)
    sha256 = models.CharField("文件摘要", max_length=64)
    inputs = models.CharField("内容指纹", max_length=64)
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "申报表文件"
        verbose_name_plural = "申报表文件"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "fmt", "masked"], name="nomination_rendering_once"),
        ]
