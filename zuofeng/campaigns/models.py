"""A campaign (专项活动) as loaded from its definition file (campaigns/*.yaml).

Every child row has a `key` stable across reloads, so loading a changed file updates rows in
place; rows whose key disappeared are deactivated, never deleted, so data attached to them
(problems, nominations …) survives.
"""

from django.db import models

from zuofeng.core.models import TimeStampedModel


class Campaign(TimeStampedModel):
    slug = models.SlugField("标识", max_length=64, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("活动名称", max_length=200)
    short_title = models.CharField("简称", max_length=100, blank=True)
    doc_number = models.CharField("发文字号", max_length=100, blank=True)
    notice_title = models.CharField("通知标题", max_length=300, blank=True)
    issuer = models.CharField("发文机关", max_length=200)
    issued_on = models.DateField("成文日期")
    printed_by = models.CharField("印发机关", max_length=200, blank=True)
    printed_on = models.DateField("印发日期", null=True, blank=True)
    forwarded_by = models.CharField("转发机关", max_length=200, blank=True)
    forwarded_on = models.DateField("转发日期", null=True, blank=True)
    recipients = models.JSONField("主送机关", default=list)
    notice_body = models.TextField("通知正文", blank=True)
    opinion_title = models.CharField("实施意见标题", max_length=300, blank=True)
    opinion_body = models.JSONField("实施意见正文（分节）", default=list)
    scope = models.TextField("对象范围", blank=True)
    contact = models.JSONField("联系方式", default=dict)
    settings = models.JSONField("参数（如红黄绿灯阈值）", default=dict)
    is_default = models.BooleanField("默认活动", default=False)
    source_file = models.CharField("定义文件", max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    year_shift = models.SmallIntegerField("年份平移", default=0)
    definition = models.JSONField("定义（原文）", default=dict)

    class Meta:
        verbose_name = "专项活动"
        verbose_name_plural = "专项活动"
        ordering = ["-year", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CampaignItem(models.Model):
    """Common shape of every list in a definition: key, name, order, active."""

    key = models.SlugField("标识", max_length=64)
    name = models.CharField("名称", max_length=200)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


def _unique_key(model: str) -> list:
    return [models.UniqueConstraint(fields=["campaign", "key"], name=f"{model}_unique_key")]


class Phase(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    starts_on = models.DateField("开始", null=True, blank=True)
    ends_on = models.DateField("结束", null=True, blank=True, help_text="留空表示持续进行")
    period_label = models.CharField("时间", max_length=50, blank=True)
    description = models.TextField("内容", blank=True)
    basis = models.TextField("通知依据", blank=True, help_text="引自通知原文；空白表示作风办设定")

    class Meta(CampaignItem.Meta):
        verbose_name = "阶段"
        constraints = _unique_key("phase")


class Milestone(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones")
    due_on = models.DateField("截止日期")
    description = models.TextField("要求", blank=True)
    applies_to = models.CharField("适用", max_length=32, blank=True, help_text="rectification / nominations …")
    basis = models.TextField("通知依据", blank=True, help_text="引自通知原文；空白表示作风办设定")

    class Meta(CampaignItem.Meta):
        verbose_name = "时间节点"
        ordering = ["due_on", "order"]
        constraints = _unique_key("milestone")


class ObstructionCategory(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    slogan = models.CharField("目标", max_length=200, blank=True)
    description = models.TextField("说明", blank=True)

    class Meta(CampaignItem.Meta):
        verbose_name = "中梗阻类别"
        constraints = _unique_key("category")


class Symptom(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="symptoms")
    category = models.ForeignKey(ObstructionCategory, on_delete=models.CASCADE, related_name="symptoms")
    description = models.CharField("原文表述", max_length=300, blank=True)

    class Meta(CampaignItem.Meta):
        verbose_name = "具体表现"
        constraints = _unique_key("symptom")


class Benchmark(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="benchmarks")

    class Meta(CampaignItem.Meta):
        verbose_name = "对照内容"
        constraints = _unique_key("benchmark")


class ProblemSourceKind(models.TextChoices):
    SELF = "self", "自己找"
    LEADER = "leader", "领导点"
    PUBLIC = "public", "群众提"
    ORGANISATION = "organisation", "组织议"


class ProblemSource(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField("来源类型", max_length=16, choices=ProblemSourceKind.choices)

    class Meta(CampaignItem.Meta):
        verbose_name = "问题来源"
        constraints = _unique_key("source")


class MainTask(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    description = models.TextField("内容", blank=True)

    class Meta(CampaignItem.Meta):
        verbose_name = "主要任务"
        constraints = _unique_key("maintask")


class KeyArea(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="key_areas")

    class Meta(CampaignItem.Meta):
        verbose_name = "攻坚重点"
        constraints = _unique_key("keyarea")


class AwardKind(models.TextChoices):
    INDIVIDUAL = "individual", "个人"
    COLLECTIVE = "collective", "集体"
    CASE = "case", "事例"
    PROJECT = "project", "项目"


class Award(CampaignItem):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField("类型", max_length=16, choices=AwardKind.choices)
    level = models.CharField("级别", max_length=20, blank=True, help_text="市级 / 区级")
    description = models.TextField("说明", blank=True)
    quota_min = models.PositiveSmallIntegerField("每单位至少", default=0)
    quota_max = models.PositiveSmallIntegerField("每单位至多", null=True, blank=True)
    opens_on = models.DateField("开始申报", null=True, blank=True)
    deadline = models.DateTimeField("截止时间", null=True, blank=True)
    submit_to = models.CharField("报送", max_length=200, blank=True)
    form = models.JSONField("申报表", default=dict, blank=True)
    criteria = models.JSONField("评审标准", default=list, blank=True)
    winners = models.PositiveSmallIntegerField("评选名额", null=True, blank=True)
    quota_basis = models.TextField("名额依据", blank=True, help_text="引自通知原文；空白表示作风办设定")
    deadline_basis = models.TextField("截止依据", blank=True, help_text="引自通知原文；空白表示作风办设定")

    class Meta(CampaignItem.Meta):
        verbose_name = "奖项"
        constraints = _unique_key("award")

    @property
    def quota_label(self) -> str:
        unit = AWARD_COUNTER.get(self.kind, "个")
        if self.quota_max is not None and self.quota_min == 0:
            return f"每单位限报 {self.quota_max} {unit}"
        if self.quota_min and self.quota_max is None:
            return f"每单位至少 {self.quota_min} {unit}"
        if self.quota_min and self.quota_max is not None:
            return f"每单位 {self.quota_min}–{self.quota_max} {unit}"
        return "名额不限"


# 量词: 名 for people, 例 for cases, 个 for collectives, 项 for projects.
AWARD_COUNTER = {AwardKind.INDIVIDUAL: "名", AwardKind.CASE: "例", AwardKind.COLLECTIVE: "个", AwardKind.PROJECT: "项"}
