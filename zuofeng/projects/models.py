"""突破攻坚 and 创新创优: a unit's 攻坚 projects (Project) with measurable targets (Target) and
quarterly milestones (Milestone); innovation initiatives (Initiative) and their adoption elsewhere;
post activities (PostActivity: 岗位练兵/竞赛/创业/创新).

A project's plan is reviewed like a list (workflow.py); once approved it is locked and changed
only by a change request (ProjectChange). Progress is reported per milestone (MilestoneReport),
with evidence and the targets' current values; each milestone carries a light by the same
序时进度 rules as measures (lights.py).
"""

from django.db import models
from django.db.models import F, Q

from zuofeng.core.models import TimeStampedModel
from zuofeng.core.storage import private_storage
from zuofeng.rectification.models import ChangeState, Light  # the same lights and change states as measures


class ProjectState(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好"
    LOWER = "lower", "越低越好"


class Project(TimeStampedModel):
    """攻坚项目: one of a unit's projects under one of the campaign's eight key areas."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", verbose_name="申报单位", on_delete=models.PROTECT, related_name="+")
    key_area = models.ForeignKey(
        "campaigns.KeyArea", verbose_name="攻坚重点", on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField("项目名称", max_length=200)
    goal = models.TextField("项目目标")
    lead_leader = models.ForeignKey(
        "organisation.Person",
        verbose_name="牵头领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_section = models.ForeignKey(
        "organisation.Unit", verbose_name="牵头科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner_units = models.ManyToManyField("organisation.Unit", verbose_name="配合单位", blank=True, related_name="+")
    starts_on = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    state = models.CharField("状态", max_length=16, choices=ProjectState.choices, default=ProjectState.DRAFT)
    light = models.CharField("亮灯", max_length=8, choices=Light.choices, default=Light.NONE, db_index=True)
    percent = models.PositiveSmallIntegerField("总体进度（%）", default=0)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "攻坚项目"
        verbose_name_plural = "攻坚项目"
        ordering = ["unit__sort_key", "id"]
        indexes = [models.Index(fields=["campaign", "key_area", "state"]), models.Index(fields=["unit", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("starts_on")), name="project_deadline_after_start"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="project_percent_max_100"),
        ]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """可量化目标: from the baseline to the target, higher or lower being better."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("指标名称", max_length=100)
    measure_unit = models.CharField("计量单位", max_length=20)
    baseline = models.DecimalField("基数", max_digits=14, decimal_places=2)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    direction = models.CharField("方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    current = models.DecimalField("当前值", max_digits=14, decimal_places=2, null=True, blank=True)
    current_on = models.DateField("当前值日期", null=True, blank=True)

    class Meta:
        verbose_name = "目标指标"
        verbose_name_plural = "目标指标"
        ordering = ["project", "order", "id"]
        constraints = [
            # The direction and the numbers must agree: a "lower is better" target lies below its baseline.
            models.CheckConstraint(
                condition=Q(direction="higher", target__gt=F("baseline"))
                | Q(direction="lower", target__lt=F("baseline")),
                name="target_direction_agrees",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """季度节点: what should be done by a date; progress is reported against it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField("序号", default=0)
    title = models.CharField("节点任务", max_length=200)
    due_on = models.DateField("节点时限")
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    last_report_on = models.DateField("最近报告日期", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    light = models.CharField("亮灯", max_length=8, choices=Light.choices, default=Light.NONE)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["project", "due_on", "order", "id"]
        indexes = [models.Index(fields=["due_on", "done_on"])]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="milestone_percent_max_100")]

    def __str__(self) -> str:
        return self.title


class MilestoneReport(TimeStampedModel):
    """节点进展: a dated report on one milestone, with the targets' values reached and evidence."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField("报告日期")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("节点完成进度（%）")
    values = models.JSONField("指标当前值", default=dict, blank=True, help_text="{目标指标 id: 数值}")
    reporter = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "节点进展"
        verbose_name_plural = "节点进展"
        ordering = ["-reported_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="milestone_report_percent_max_100")]


class ProjectEvidence(TimeStampedModel):
    """佐证材料 of a report (and of an initiative): private storage, streamed after a permission check."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(
        MilestoneReport, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    initiative = models.ForeignKey(
        "Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="projects/%Y/%m/", storage=private_storage, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, initiative__isnull=True)
                | Q(project__isnull=True, initiative__isnull=False),
                name="project_evidence_one_owner",
            )
        ]


class ProjectEvent(models.Model):
    """History a person (and a judge) reads: who did what to the project, when and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "项目办理记录"
        verbose_name_plural = "项目办理记录"
        ordering = ["-at", "-id"]


class ProjectChange(TimeStampedModel):
    """A change to an approved (locked) plan: reviewed again; the old values stay visible."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField("变更理由")
    old_values = models.JSONField("原内容")
    new_values = models.JSONField("新内容")
    state = models.CharField(max_length=16, choices=ChangeState.choices, default=ChangeState.PENDING)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "项目变更申请"
        verbose_name_plural = "项目变更申请"
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(state="pending"), name="project_change_one_pending")
        ]


class Initiative(TimeStampedModel):
    """创新举措: removes some 程序繁、环节多、办事难; before/after as numbers."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("举措名称", max_length=200)
    problem = models.TextField("破解的问题", help_text="程序繁、环节多、办事难的具体表现")
    description = models.TextField("主要做法")
    steps_before = models.PositiveSmallIntegerField("办理环节（改革前）")
    steps_after = models.PositiveSmallIntegerField("办理环节（改革后）")
    materials_before = models.PositiveSmallIntegerField("申请材料（改革前，份）")
    materials_after = models.PositiveSmallIntegerField("申请材料（改革后，份）")
    days_before = models.DecimalField("办理时限（改革前，天）", max_digits=6, decimal_places=1)
    days_after = models.DecimalField("办理时限（改革后，天）", max_digits=6, decimal_places=1)
    started_on = models.DateField("推出日期")
    promoted_at = models.DateTimeField("推广时间", null=True, blank=True)
    promoted_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "创新举措"
        verbose_name_plural = "创新举措"
        ordering = ["unit__sort_key", "-started_on", "id"]
        indexes = [models.Index(fields=["campaign", "promoted_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_promoted(self) -> bool:
        return self.promoted_at is not None


class Adoption(TimeStampedModel):
    """Another unit took up a promoted initiative (复制推广)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="adoptions")
    unit = models.ForeignKey("organisation.Unit", verbose_name="借鉴单位", on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField("借鉴日期")
    note = models.TextField("借鉴情况", blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "借鉴推广"
        verbose_name_plural = "借鉴推广"
        ordering = ["adopted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "unit"], name="adoption_once_per_unit")]


class ActivityKind(models.TextChoices):
    DRILL = "drill", "岗位练兵"
    CONTEST = "contest", "岗位竞赛"
    VENTURE = "venture", "岗位创业"
    INNOVATION = "innovation", "岗位创新"


class PostActivity(TimeStampedModel):
    """岗位建功: a post activity of a unit, with its participants and result."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisation.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("活动日期")
    participants = models.ManyToManyField(
        "organisation.Person", verbose_name="参加人员", related_name="post_activities"
    )
    result = models.TextField("活动成果", help_text="名次、成绩或取得的成效")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "岗位建功活动"
        verbose_name_plural = "岗位建功活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self) -> str:
        return self.title


class RecordNomination(models.Model):
    """A nomination started from a project or an initiative: the form was filled from the record, and
    the record's history stays readable to the nomination's judges."""

    nomination = models.OneToOneField("nominations.Nomination", on_delete=models.CASCADE, related_name="record")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="nominations")
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="nominations"
    )

    class Meta:
        verbose_name = "由记录发起的申报"
        verbose_name_plural = "由记录发起的申报"
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, initiative__isnull=True)
                | Q(project__isnull=True, initiative__isnull=False),
                name="record_nomination_one_record",
            )
        ]
