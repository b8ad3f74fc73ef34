"""督查问责: inspection rounds (专项督查) with their findings and photos, and re-inspections (回头看).

A confirmed finding becomes a problem in the unit's list (`Finding.problem`, written by
rectification.services.outside); a re-inspected measure found not fixed is reopened and counted as
纸面销号 for its unit (`RecheckItem.verdict`). Who may see and do what: accounts/permissions/supervision.py.
"""

from django.db import models
from django.db.models import Q

from zuofeng.core.models import TimeStampedModel
from zuofeng.core.storage import private_storage


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class InspectionRound(TimeStampedModel):
    """一轮专项督查: where the team goes (units), who goes (team), what they look at (focus, checklist)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("督查名称", max_length=100)
    focus = models.CharField("督查重点", max_length=64, help_text="活动定义 supervision.focuses 的标识")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    units = models.ManyToManyField("organisation.Unit", verbose_name="被督查单位", related_name="+")
    team = models.ManyToManyField("accounts.User", verbose_name="督查组成员", related_name="inspection_rounds")
    # A drawn sample records how it was drawn, so anyone can draw it again and see it was fair.
    sample_seed = models.BigIntegerField("抽样种子", null=True, blank=True)
    sample_size = models.PositiveSmallIntegerField("每类抽取单位数", null=True, blank=True)
    keep_location = models.BooleanField("照片保留拍摄位置", default=False)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "专项督查"
        verbose_name_plural = "专项督查"
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="round_dates")]

    def __str__(self) -> str:
        return self.name


class FindingState(models.TextChoices):
    RECORDED = "recorded", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "不予确认"


class Finding(TimeStampedModel):
    """督查发现: what an inspector found at one unit, confirmed (→ a problem in its list) or dismissed by the office."""

    round = models.ForeignKey(InspectionRound, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    recheck = models.ForeignKey(
        "supervision.RecheckSample", null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    unit = models.ForeignKey("organisation.Unit", verbose_name="被督查单位", on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey("accounts.User", verbose_name="督查员", on_delete=models.PROTECT, related_name="+")
    checklist = models.JSONField("督查清单答复", default=dict, blank=True)
    category = models.ForeignKey(
        "campaigns.ObstructionCategory", verbose_name="类别", on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    text = models.TextField("发现的问题")
    found_on = models.DateField("发现日期")
    measure = models.ForeignKey(
        "rectification.Measure",
        verbose_name="相关措施",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_problem = models.ForeignKey(
        "rectification.Problem",
        verbose_name="相关问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField("状态", max_length=10, choices=FindingState.choices, default=FindingState.RECORDED)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decision_comment = models.TextField("确认意见", blank=True)
    # The problem the confirmed finding became in the unit's list (督查发现).
    problem = models.OneToOneField(
        "rectification.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="finding"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "督查发现"
        verbose_name_plural = "督查发现"
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["round", "unit", "state"]), models.Index(fields=["recheck", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(round__isnull=False) | Q(recheck__isnull=False), name="finding_round_or_recheck"
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class FindingPhoto(TimeStampedModel):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="findings/%Y/%m/", storage=private_storage, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    location_kept = models.BooleanField("保留拍摄位置", default=False)

    class Meta:
        verbose_name = "督查照片"
        verbose_name_plural = "督查照片"


class RecheckScope(models.TextChoices):
    UNIT = "unit", "每个单位抽取"
    DISTRICT = "district", "全区抽取"


class RecheckSample(TimeStampedModel):
    """回头看: a seeded sample of closed measures, each verified on site."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    scope = models.CharField("抽样范围", max_length=10, choices=RecheckScope.choices)
    size = models.PositiveSmallIntegerField("抽取件数")
    seed = models.BigIntegerField("抽样种子")
    team = models.ManyToManyField("accounts.User", verbose_name="督查组成员", related_name="recheck_samples")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "回头看"
        verbose_name_plural = "回头看"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    PENDING = "pending", "待核查"
    FIXED = "fixed", "整改到位"
    NOT_FIXED = "not_fixed", "纸面销号"


class RecheckItem(models.Model):
    sample = models.ForeignKey(RecheckSample, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey("rectification.Measure", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField("核查结论", max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    # A measure found not fixed is reopened by someone who may (measure.reopen: the office, the reviewer);
    # an inspector's verdict waits here for the office.
    reopened_at = models.DateTimeField("重新打开时间", null=True, blank=True)

    class Meta:
        verbose_name = "回头看事项"
        verbose_name_plural = "回头看事项"
        ordering = ["sample", "unit__sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["sample", "measure"], name="recheck_item_once")]
        indexes = [models.Index(fields=["unit", "verdict"])]


class CaseOrigin(models.TextChoices):
    FINDING = "finding", "督查发现"
    COMPLAINT = "complaint", "群众反映"
    OTHER = "other", "其他"


class CaseState(models.TextChoices):
    OPEN = "open", "已立案"
    DECIDED = "decided", "已作出问责决定"
    WITHDRAWN = "withdrawn", "已撤销"


class AccountabilityCase(TimeStampedModel):
    """问责案件. Seen only by the office and the leader of the subject's unit (every read audited);
    the subject's statement (申辩) is filed before the decision and stays with the case."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name="问责对象单位", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name="问责对象个人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField("案件来源", max_length=10, choices=CaseOrigin.choices)
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    facts = models.TextField("基本事实")
    degree = models.CharField("情节", max_length=10, choices=Severity.choices)
    measure = models.CharField(
        "问责方式", max_length=64, blank=True, help_text="活动定义 accountability_measures 的标识"
    )
    state = models.CharField("状态", max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    statement = models.TextField("申辩意见", blank=True)
    statement_at = models.DateTimeField("申辩时间", null=True, blank=True)
    statement_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    deciding_body = models.CharField("决定机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "问责案件"
        verbose_name_plural = "问责案件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        return f"问责案件 {self.pk}"


class ReportState(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


class SelfInspectionReport(TimeStampedModel):
    """自查自纠报告: a unit's answers to the campaign's questions; the problems it found went into its list
    (source 自己找) through the ledger's own services and are linked here."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField("报告内容", default=dict, blank=True)
    people_handled = models.PositiveIntegerField("内部处理人数", default=0)
    problems = models.ManyToManyField("rectification.Problem", blank=True, related_name="+")
    state = models.CharField("状态", max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "自查自纠报告"
        verbose_name_plural = "自查自纠报告"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="self_inspection_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit}自查自纠报告"


class LineLink(TimeStampedModel):
    """条线: a district department guides a matching grassroots unit (区财政局 → 湖塘镇财政所). The department
    reads the unit's list, lights and milestone status and may send 催办; it never edits or reviews."""

    department = models.ForeignKey(
        "organisation.Unit", verbose_name="条线主管部门", on_delete=models.CASCADE, related_name="line_links"
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name="条线基层单位", on_delete=models.CASCADE, related_name="line_departments"
    )
    line = models.CharField("条线", max_length=50, help_text="如“财政”“市场监管”")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "条线关系"
        verbose_name_plural = "条线关系"
        ordering = ["department__sort_key", "line", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["department", "unit"], name="line_link_once"),
            models.CheckConstraint(condition=~Q(department=models.F("unit")), name="line_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.department}→{self.unit}（{self.line}）"
