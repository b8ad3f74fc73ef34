"""找差整改: a unit's list (Ledger) of problems (Problem), each with measures (Measure).

State lives in TextChoices columns; the allowed moves and who may make them are tables in
rectification/workflow.py, and every move goes through its one transition function.
`unit` is copied onto problems and measures so every query can be scoped with one indexed
filter (accounts.permissions.scope_to_units) without joins.
"""

import datetime as dt

from django.db import models
from django.db.models import F, Q

from zuofeng.core.jobs import BackgroundJob
from zuofeng.core.models import TimeStampedModel
from zuofeng.core.storage import private_storage


class LedgerState(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class ItemReview(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class MeasureState(models.TextChoices):
    PLANNED = "planned", "未审定"
    IN_PROGRESS = "in_progress", "整改中"
    CLOSE_REQUESTED = "close_requested", "申请销号"
    CLOSED = "closed", "已销号"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    CLOSED = "closed", "已销号"
    NONE = "none", "未亮灯"


class Ledger(TimeStampedModel):
    """整改清单: one per unit and campaign."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="ledgers")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="ledgers")
    state = models.CharField("状态", max_length=16, choices=LedgerState.choices, default=LedgerState.DRAFT)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "整改清单"
        verbose_name_plural = "整改清单"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="ledger_one_per_unit")]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return f"{self.unit}整改清单"


class Problem(TimeStampedModel):
    """查摆出的问题."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="problems")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField("序号", default=0)
    category = models.ForeignKey(
        "campaigns.ObstructionCategory", verbose_name="类别", on_delete=models.PROTECT, related_name="+"
    )
    symptom = models.ForeignKey(
        "campaigns.Symptom", verbose_name="具体表现", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    benchmarks = models.ManyToManyField("campaigns.Benchmark", verbose_name="对照内容", blank=True, related_name="+")
    source = models.ForeignKey(
        "campaigns.ProblemSource", verbose_name="问题来源", on_delete=models.PROTECT, related_name="+"
    )
    source_detail = models.CharField(
        "来源说明", max_length=200, blank=True, help_text="领导点：哪位领导；组织议：哪次会议；群众提：反映渠道或编号"
    )
    description = models.TextField("问题描述")
    found_on = models.DateField("查摆日期")
    # Set when the problem was put into the list from outside the unit (督查发现, 群众提): the unit sees
    # where it came from and by when it must be rectified; the originating record keeps a link back.
    origin = models.CharField("来源标记", max_length=20, blank=True)
    origin_deadline = models.DateField("整改期限", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.CharField("审核", max_length=16, choices=ItemReview.choices, default=ItemReview.PENDING)
    review_comment = models.TextField("审核意见", blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True)
    search_bigrams = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["ledger", "order", "id"]
        indexes = [
            models.Index(fields=["unit", "review"]),
            # dashboard: per-list and per-category tallies read from the index alone
            models.Index(fields=["ledger", "category", "symptom", "source", "unit"], name="rect_problem_dash_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:40]


class Measure(TimeStampedModel):
    """整改措施."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField("序号", default=0)
    text = models.TextField("整改措施")
    standard = models.TextField("整改标准", blank=True)
    responsible_leader = models.CharField("责任领导", max_length=100, blank=True)
    responsible_unit = models.ForeignKey(
        "organisation.Unit", verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.ForeignKey(
        "organisation.Person", verbose_name="责任人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsible_name = models.CharField("责任人（姓名）", max_length=100, blank=True)
    starts_on = models.DateField("开始日期")
    deadline = models.DateField("完成时限", null=True, blank=True)
    is_ongoing = models.BooleanField("长期坚持", default=False)
    key_area = models.ForeignKey(
        "campaigns.KeyArea", verbose_name="攻坚重点", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remark = models.CharField("备注", max_length=500, blank=True)
    state = models.CharField("状态", max_length=20, choices=MeasureState.choices, default=MeasureState.PLANNED)
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    last_progress_on = models.DateField("最近进展日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    light = models.CharField("亮灯", max_length=8, choices=Light.choices, default=Light.NONE, db_index=True)
    search_bigrams = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["problem", "order", "id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["campaign", "light"]),
            models.Index(fields=["deadline"]),
            # dashboard: per-unit tallies as an index-only scan; the drill-down list walks units in order
            models.Index(
                fields=["campaign", "unit", "state", "light"],
                include=["deadline", "is_ongoing"],
                name="rect_measure_dash_idx",
            ),
            # overdue lists (home, 督查): the most overdue open measures first, read in index order;
            # thousands may share one deadline, which the deadline index alone would sort
            models.Index(
                fields=["deadline", "id"],
                condition=Q(is_ongoing=False) & ~Q(state=MeasureState.CLOSED),
                name="rect_measure_open_due_idx",
            ),
            models.Index(
                fields=["campaign", "closed_on", "unit"],
                condition=Q(closed_on__isnull=False),
                name="rect_measure_closed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_ongoing=True, deadline__isnull=True) | Q(is_ongoing=False, deadline__isnull=False),
                name="measure_deadline_or_ongoing",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("starts_on")),
                name="measure_deadline_after_start",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="measure_percent_max_100"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def deadline_label(self) -> str:
        return measure_deadline_label(is_ongoing=self.is_ongoing, deadline=self.deadline)


def measure_deadline_label(*, is_ongoing: bool, deadline) -> str:
    """完成时限 as pages show it, from the two columns (also for rows read without a Measure)."""
    from zuofeng.core.cn import cn_date

    return "长期坚持" if is_ongoing else cn_date(deadline)


class LedgerEvent(models.Model):
    """History a person reads: who did what to the list or an item, when and why."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="events")
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("操作", max_length=32)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["-at", "-id"]


class ChangeState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已同意"
    REJECTED = "rejected", "未同意"


class ChangeRequest(TimeStampedModel):
    """A change to an approved (locked) measure: reviewed again; the old version stays visible."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="change_requests")
    requested_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField("变更理由")
    old_values = models.JSONField("原内容")
    new_values = models.JSONField("新内容")
    state = models.CharField(max_length=16, choices=ChangeState.choices, default=ChangeState.PENDING)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        constraints = [
            models.UniqueConstraint(
                fields=["measure"], condition=Q(state="pending"), name="change_request_one_pending_per_measure"
            )
        ]


class ProgressKind(models.TextChoices):
    PROGRESS = "progress", "进展报告"
    CLOSE_REQUEST = "close_request", "申请销号"


class ProgressUpdate(TimeStampedModel):
    """整改进展: a dated report, with evidence."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_updates")
    kind = models.CharField(max_length=16, choices=ProgressKind.choices, default=ProgressKind.PROGRESS)
    reported_on = models.DateField("报告日期")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    reporter = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-reported_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max_100")]


class Evidence(TimeStampedModel):
    """佐证材料: stored outside the web root, streamed only to people who may see the measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    progress = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/", storage=private_storage, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "正在导出"
    DONE = "done", "已完成"
    FAILED = "failed", "导出失败"
    EXPIRED = "expired", "文件已删除"


class ExportJob(BackgroundJob, TimeStampedModel):
    """A background 整改台账 export: its progress for the progress bar, and the file for its requester only."""

    requested_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    params = models.JSONField("导出条件", default=dict)
    total = models.PositiveIntegerField("总条数", default=0)
    done = models.PositiveIntegerField("已导出", default=0)
    state = models.CharField("状态", max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    file = models.FileField(upload_to="exports/%Y/%m/", storage=private_storage, max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    error = models.TextField("错误信息", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导出"
        verbose_name_plural = "台账导出"


# ── roll-ups: the dashboard's counts, kept by database triggers (rectification/rollup_triggers.py) ──


class UnitRollup(models.Model):
    """A unit's counts for the dashboard: its problems, and its measures by state, light and 逾期.

    Written only by triggers on rectification_measure and rectification_problem, in the transaction
    of every write, whatever path made it (services, update(), bulk_create, cascades, raw SQL). One
    row per unit, so the dashboard reads ~3,000 rows, not 300,000 measures; a row whose unit has
    neither problems nor measures left is deleted. The columns are rollup_triggers.MEASURE_COUNTS.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="rollups")
    problems = models.IntegerField(db_default=0)
    measures = models.IntegerField(db_default=0)
    state_planned = models.IntegerField(db_default=0)
    state_in_progress = models.IntegerField(db_default=0)
    state_close_requested = models.IntegerField(db_default=0)
    state_closed = models.IntegerField(db_default=0)
    light_green = models.IntegerField(db_default=0)
    light_yellow = models.IntegerField(db_default=0)
    light_red = models.IntegerField(db_default=0)
    light_closed = models.IntegerField(db_default=0)
    light_none = models.IntegerField(db_default=0)
    # lights of open (not 已销号) measures: the table's light figures and the unit light
    open_red = models.IntegerField(db_default=0)
    open_yellow = models.IntegerField(db_default=0)
    open_green = models.IntegerField(db_default=0)
    open_none = models.IntegerField(db_default=0)
    # open, not 长期坚持, deadline before RollupDay.overdue_before (the selector adds the days since)
    overdue = models.IntegerField(db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="rect_unit_rollup_key")]


class ClosureRollup(models.Model):
    """How many measures of a unit have a 销号日期 in each week (Monday): the closures chart."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "week"], name="rect_closure_rollup_key")]


class ProblemRollup(models.Model):
    """How many problems of a unit have each category, symptom and source (the campaign is the list's)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    category_id = models.IntegerField()
    symptom_id = models.IntegerField()  # 0: 未填写 (a key column cannot be NULL and stay unique)
    source_id = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "category_id", "symptom_id", "source_id"], name="rect_problem_rollup_key"
            )
        ]


class RollupDay(models.Model):
    """One row (id 1): the day UnitRollup.overdue is counted against, moved on by the daily job."""

    overdue_before = models.DateField(null=True)


class DashboardStamp(models.Model):
    """Per unit, how many writes changed what the dashboard shows of it (its measures, problems, list,
    or the unit itself): bumped by triggers (rectification/stamp_triggers.py) in the writing
    transaction. The sum over all rows is the dashboard cache's change marker: it only ever grows,
    and grows with every such commit, so a cached board is never served under a marker that a later
    commit has passed. One row per unit, so writers lock only rows of the units they write.

    Unmanaged (the migration creates the table): rows are never deleted — not by unit deletion,
    backups restore or test flushes — since a sum that went down could meet an old marker again.
    """

    unit_id = models.IntegerField(primary_key=True)
    changes = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "rectification_dashboardstamp"


class LedgerStamp(models.Model):
    """Per list, how many writes changed what its page shows (the list, its problems, measures and
    history); row 0 counts changes to the names it shows (units, people, the campaign's vocabulary).
    Bumped by triggers (rectification/ledger_stamp_triggers.py) in the writing transaction; the list
    page's cached part is keyed on its row and row 0 (selectors/ledger_cache.py). Unmanaged and never
    deleted, as DashboardStamp: a count that went down could meet an old key again.
    """

    ledger_id = models.IntegerField(primary_key=True)
    changes = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "rectification_ledgerstamp"


class FilingRollup(models.Model):
    """How many lists of a campaign stand at each filing status, by the Beijing day each was first
    submitted: the 9月15日 counts (on time or late) for the office without joining every unit.

    Written only by triggers on rectification_ledger and rectification_unitrollup (a draft counts as
    未开始 while its unit's roll-up has no problem, as selectors/milestone.py says), so every path
    that changes a list or its problems is counted. Rows are signed changes, appended (a key's count
    is the sum of its rows), so writers never lock a row another holds; the daily job folds them to
    one row per key. Every list is counted whatever its unit; the reader takes away the lists of
    inactive and out-of-scope units.
    """

    NEVER = dt.date(9999, 12, 31)  # submitted_on of a list never submitted (one key for "not yet")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)  # milestone.FilingStatus
    submitted_on = models.DateField()
    n = models.IntegerField()
