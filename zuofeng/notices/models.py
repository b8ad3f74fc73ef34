"""公文: a notice (通知) drafted and issued by the office, its delivery to units (one receipt per
unit), the units' forwarding (转发) down their own subtree, and the 发文字号 sequence.

A 发文字号 is 机关代字〔年份〕序号号. The number is unique per 机关代字 and year (a database
constraint), and `DocNumberSequence` only ever counts up, so a number once used is never given
out again, even if a draft that typed it is later deleted.
"""

from django.db import models
from django.db.models import Q

from zuofeng.core.models import TimeStampedModel
from zuofeng.core.storage import private_storage


class NoticeState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class DocNumberSequence(models.Model):
    """The last number given out per 机关代字 and year; rows are locked while a number is taken."""

    prefix = models.CharField("机关代字", max_length=30)
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "发文字号序列"
        verbose_name_plural = "发文字号序列"
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="doc_number_sequence_one_per_year")]


class Notice(TimeStampedModel):
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="专项活动", null=True, blank=True, on_delete=models.PROTECT
    )
    state = models.CharField("状态", max_length=10, choices=NoticeState.choices, default=NoticeState.DRAFT)
    issuer = models.CharField("发文机关", max_length=100)
    number_prefix = models.CharField("机关代字", max_length=30)
    number_year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    number = models.PositiveIntegerField("序号", null=True, blank=True)
    title = models.CharField("标题", max_length=300)
    addressees_text = models.TextField("主送机关", blank=True)
    addressees = models.ManyToManyField("organisation.Unit", verbose_name="主送单位", related_name="+", blank=True)
    body = models.TextField("正文")
    # 印发 notices carry the document they issue (the 实施意见) after the signature.
    enclosure_title = models.CharField("印发文件标题", max_length=300, blank=True)
    enclosure_body = models.TextField("印发文件正文", blank=True)
    attachment_note = models.TextField("附件说明", blank=True, help_text="每行一个附件名称")
    signed_on = models.DateField("成文日期")
    printed_by = models.CharField("印发机关", max_length=100)
    printed_on = models.DateField("印发日期", null=True, blank=True)
    copy_to = models.CharField("抄送", max_length=300, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="notice_doc_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(number__isnull=False) & Q(issued_at__isnull=False)),
                name="notice_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def doc_number(self) -> str:
        """武作组办〔2018〕2号: 六角括号, no 第, no leading zeros (GB/T 9704 7.2.4)."""
        if self.number is None:
            return ""
        return f"{self.number_prefix}〔{self.number_year}〕{self.number}号"

    @property
    def attachment_names(self) -> list[str]:
        return [line.strip() for line in self.attachment_note.splitlines() if line.strip()]


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("附件名称", max_length=200)
    file = models.FileField("文件", upload_to="notices/attachments/%Y/", storage=private_storage, max_length=255)
    file_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["notice", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "order"], name="notice_attachment_order_unique")]

    def __str__(self) -> str:
        return self.title


class Forwarding(models.Model):
    """A unit's 转发 of a notice it received: its own text and 印发 line, printed under the original's."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="forwardings")
    unit = models.ForeignKey("organisation.Unit", verbose_name="转发单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("转发说明", blank=True)
    printed_by = models.CharField("印发机关", max_length=100)
    printed_on = models.DateField("印发日期")
    # None only for the seed notice's historical 转发 (loaded, not done in the platform)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("转发时间")

    class Meta:
        verbose_name = "转发"
        verbose_name_plural = "转发"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.printed_by}转发"


class Delivery(models.Model):
    """One unit's copy of a notice: who sent it (the office, or a forwarding unit) and who signed for it.

    One row per notice and unit (a constraint): a unit reached twice, by the office and by a
    forward, has one copy to sign; signing twice is one signature.
    """

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey("organisation.Unit", verbose_name="收文单位", on_delete=models.PROTECT, related_name="+")
    forwarding = models.ForeignKey(
        Forwarding, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    from_unit = models.ForeignKey(
        "organisation.Unit", verbose_name="发送单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField("送达时间")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chased_at = models.DateTimeField("最近催办", null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField("催办次数", default=0)

    class Meta:
        verbose_name = "签收"
        verbose_name_plural = "签收"
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "unit"], name="delivery_one_per_unit")]
        indexes = [models.Index(fields=["notice", "acknowledged_at"], name="delivery_unsigned")]

    def __str__(self) -> str:
        return f"{self.notice_id}→{self.unit_id}"


class BulletinKind(models.TextChoices):
    PRAISE = "praise", "通报表扬"
    CRITICISM = "criticism", "通报批评"


class BulletinScope(models.TextChoices):
    PUBLIC = "public", "曝光（公开页面）"
    INTERNAL = "internal", "内部通报（送选定单位签收）"


class BulletinState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已曝光"
    SENT = "sent", "已印发"
    WITHDRAWN = "withdrawn", "已撤回"


# What an item can show, and which of those name a person: never public unless released one by one.
BULLETIN_FIELDS = {"unit": "单位", "heading": "事项", "person": "姓名", "phone": "联系电话", "text": "内容"}
PERSONAL_FIELDS = frozenset({"person", "phone"})


class Bulletin(TimeStampedModel):
    """通报: published as 曝光 on the public page, or sent internally to chosen units who sign for it;
    either way only the fields the office released, item by item, leave the office. An internal
    bulletin is issued as a notice (`notice`), so 签收, 催办 and the 未签收 table are the notice's."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="专项活动", null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField("类别", max_length=10, choices=BulletinKind.choices)
    scope = models.CharField("范围", max_length=10, choices=BulletinScope.choices, default=BulletinScope.PUBLIC)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文", blank=True)
    state = models.CharField("状态", max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT)
    published_at = models.DateTimeField("曝光时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    notice = models.OneToOneField(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="bulletin", verbose_name="印发的通知"
    )
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class BulletinItem(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    nomination = models.ForeignKey("nominations.Nomination", null=True, blank=True, on_delete=models.SET_NULL)
    finding = models.ForeignKey(
        "supervision.Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "supervision.AccountabilityCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField("单位", max_length=200, blank=True)
    heading = models.CharField("事项", max_length=200, blank=True)
    person = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    text = models.TextField("内容", blank=True)
    released = models.JSONField("公开的栏目", default=list, blank=True)

    class Meta:
        verbose_name = "通报事项"
        verbose_name_plural = "通报事项"
        ordering = ["bulletin", "order", "id"]

    def __str__(self) -> str:
        return self.heading or self.unit


class InfoState(models.TextChoices):
    REPORTED = "reported", "已报送"
    ADOPTED = "adopted", "已采用"
    DECLINED = "declined", "未采用"


class Briefing(models.Model):
    """简报 第N期: adopted 活动信息 compiled into a notice the office issues like any other."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("期数")
    notice = models.OneToOneField(Notice, on_delete=models.PROTECT, related_name="briefing")
    created_at = models.DateTimeField("编辑时间")

    class Meta:
        verbose_name = "简报"
        verbose_name_plural = "简报"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="briefing_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}期"


class InfoItem(models.Model):
    """活动信息: campaign news a unit reports; the office adopts it (into a 简报) or declines it with a reason."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="专项活动", null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey("organisation.Unit", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容")
    happened_on = models.DateField("日期")
    photo = models.FileField("照片", upload_to="notices/info/%Y/", storage=private_storage, max_length=255, blank=True)
    state = models.CharField("状态", max_length=10, choices=InfoState.choices, default=InfoState.REPORTED)
    reason = models.CharField("未采用理由", max_length=300, blank=True)
    reported_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("报送时间")
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    briefing = models.ForeignKey(Briefing, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    # Its place in the 简报 (0, 1, …): the k-th heading of the 简报 is this item even if the office renames it.
    briefing_order = models.PositiveSmallIntegerField("简报中的顺序", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "活动信息"
        verbose_name_plural = "活动信息"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return self.title
