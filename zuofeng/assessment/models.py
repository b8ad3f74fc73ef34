"""年终考核: score snapshots computed from the campaign's records, and systemic problems (系统性问题).

A run (`AssessmentRun`) is a snapshot as of a cut-off date: it keeps a copy of the rubric it used and,
for each assessed unit, every item's points and the ids of the records behind them (`ItemScore.records`),
so the numbers never move when the records do. Recomputing makes a new run (with a reason, audited);
the newest finished run of a campaign is the current one. Office changes to an item are `Adjustment`
rows (the item keeps its computed points beside them); a unit's 异议 is an `Objection`.
"""

from django.db import models
from django.db.models import Q

from zuofeng.core.jobs import BackgroundJob
from zuofeng.core.models import TimeStampedModel


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "计算中"
    DONE = "done", "已完成"
    FAILED = "failed", "计算失败"


class AssessmentRun(BackgroundJob, TimeStampedModel):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    cutoff = models.DateField("考核截止日期")
    reason = models.TextField("重新计算理由", blank=True)
    rubric = models.JSONField("考核细则（计算时的副本）", default=dict)
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField("状态", max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    total = models.PositiveIntegerField("单位数", default=0)
    done = models.PositiveIntegerField("已计算", default=0)
    error = models.TextField("错误信息", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "考核计算"
        verbose_name_plural = "考核计算"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"截至{self.cutoff.isoformat()}的考核结果"


class UnitScore(models.Model):
    """One assessed unit in one run: its totals (computed and after adjustments), rank and grade."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    ranking = models.CharField("排名序列", max_length=64)
    computed_total = models.DecimalField("计算得分", max_digits=7, decimal_places=2)
    total = models.DecimalField("得分", max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField("名次", default=0)
    tied = models.BooleanField("并列", default=False)
    grade = models.CharField("等次", max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "单位考核得分"
        verbose_name_plural = "单位考核得分"
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="assessment_score_once_per_run")]
        indexes = [models.Index(fields=["run", "ranking", "rank"])]


class ItemStatus(models.TextChoices):
    COMPUTED = "computed", "自动计算"
    SKIPPED = "skipped", "不计分"  # no source (来源尚未启用) or no result for the unit; the detail says which
    HAND = "hand", "人工评分"


class ItemScore(models.Model):
    """One rubric item of one unit: computed points, the records behind them, and the points after adjustment."""

    score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="items")
    group = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=ItemStatus.choices)
    computed = models.DecimalField("计算分", max_digits=7, decimal_places=2, null=True)
    points = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True)
    detail = models.CharField("计算说明", max_length=300, blank=True)
    # [{"type": "measure", "id": 12}, …]: the rows the points came from, as of the cut-off
    records = models.JSONField(default=list)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["score", "key"], name="assessment_item_once_per_score")]


class Adjustment(TimeStampedModel):
    """作风办调整: an item's points set by hand, with the reason (hand-scored items are entered this way)."""

    item = models.ForeignKey(ItemScore, on_delete=models.CASCADE, related_name="adjustments")
    before = models.DecimalField("调整前", max_digits=7, decimal_places=2, null=True)
    after = models.DecimalField("调整后", max_digits=7, decimal_places=2)
    reason = models.TextField("调整理由")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "得分调整"
        verbose_name_plural = "得分调整"
        ordering = ["id"]


class ObjectionState(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"


class Objection(TimeStampedModel):
    """异议: a unit disputes its score (or one item) within the window; the office answers."""

    score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="objections")
    item = models.ForeignKey(ItemScore, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("异议内容")
    raised_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField("状态", max_length=16, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["score"], condition=Q(state="open"), name="assessment_one_open_objection_per_score"
            )
        ]


# ── 系统性问题 ────────────────────────────────────────────────────────────────────────────────


class ClusterRun(BackgroundJob, TimeStampedModel):
    """One clustering of every problem of a campaign (background task with progress)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    threshold = models.FloatField("相似度阈值")
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField("状态", max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    total = models.PositiveIntegerField("问题数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    error = models.TextField("错误信息", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "系统性问题分析"
        verbose_name_plural = "系统性问题分析"
        ordering = ["-id"]


class FollowState(models.TextChoices):
    FOUND = "found", "待研判"
    ASSIGNED = "assigned", "已交办"
    RESOLVED = "resolved", "已解决"


class ProblemCluster(TimeStampedModel):
    """A group of problems from several units that say the same thing."""

    run = models.ForeignKey(ClusterRun, on_delete=models.CASCADE, related_name="clusters")
    label = models.CharField("自动摘要", max_length=200)
    name = models.CharField("名称", max_length=200, blank=True)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    unit_count = models.PositiveIntegerField("单位数", default=0)
    district_wide = models.BooleanField("全区性任务", default=False)
    owner = models.ForeignKey(
        "organisation.Unit", verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("跟踪状态", max_length=16, choices=FollowState.choices, default=FollowState.FOUND)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "系统性问题"
        verbose_name_plural = "系统性问题"
        ordering = ["-unit_count", "-problem_count", "id"]


class ClusterMember(models.Model):
    cluster = models.ForeignKey(ProblemCluster, on_delete=models.CASCADE, related_name="members")
    problem = models.ForeignKey("rectification.Problem", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "problem"], name="assessment_cluster_member_once")]


class ClusterNote(TimeStampedModel):
    """跟踪记录: what the office did or heard about a systemic problem."""

    cluster = models.ForeignKey(ProblemCluster, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("跟踪情况")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-id"]
