import datetime as dt
from typing import Any

from ninja import Field, Schema

from zuofeng.campaigns.models import AwardKind, ProblemSourceKind


class CampaignOut(Schema):
    id: int = Field(description="活动 ID")
    slug: str = Field(description="活动标识，用于 /api/campaigns/{slug}")
    year: int = Field(description="年度")
    title: str = Field(description="活动名称")
    short_title: str = Field(description="简称")
    doc_number: str = Field(description="发文字号，如“武作组办〔2018〕2号”")
    issuer: str = Field(description="发文机关")
    issued_on: dt.date = Field(description="成文日期")
    is_default: bool = Field(description="是否为默认活动")
    is_current: bool = Field(description="是否为当前活动（默认活动，否则为最新载入的活动）")


class ItemOut(Schema):
    key: str = Field(description="条目标识，重新载入定义文件时保持不变")
    name: str = Field(description="名称")
    order: int = Field(description="排序")


class PhaseOut(ItemOut):
    starts_on: dt.date | None = Field(description="开始日期")
    ends_on: dt.date | None = Field(description="结束日期；为空表示持续进行")
    period_label: str = Field(description="时间（原文表述）")
    description: str = Field(description="阶段内容")


class MilestoneOut(ItemOut):
    due_on: dt.date = Field(description="截止日期")
    description: str = Field(description="要求")
    applies_to: str = Field(description="适用业务：rectification 找差整改、nominations 评优申报 等；为空表示通用")
    phase_key: str | None = Field(description="所属阶段标识")

    @staticmethod
    def resolve_phase_key(obj) -> str | None:
        return obj.phase.key if obj.phase_id else None


class SymptomOut(ItemOut):
    pass


class CategoryOut(ItemOut):
    slogan: str = Field(description="目标（如“破除思维中梗阻”）")
    description: str = Field(description="说明")
    symptoms: list[SymptomOut] = Field(description="具体表现")


class SourceOut(ItemOut):
    kind: str = Field(description="来源类型代码：self 自己找、leader 领导点、public 群众提、organisation 组织议")
    kind_label: str = Field(description="来源类型名称")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return ProblemSourceKind(obj.kind).label


class TaskOut(ItemOut):
    description: str = Field(description="任务内容")


class AwardOut(ItemOut):
    kind: str = Field(description="类型代码：individual 个人、collective 集体、case 事例、project 项目")
    kind_label: str = Field(description="类型名称")
    level: str = Field(description="级别（市级 / 区级）")
    description: str = Field(description="说明")
    quota_min: int = Field(description="每单位至少申报数")
    quota_max: int | None = Field(description="每单位至多申报数；为空表示不限")
    quota_label: str = Field(description="名额说明，如“每单位限报 1 名”")
    opens_on: dt.date | None = Field(description="开始申报日期")
    deadline: dt.datetime | None = Field(description="申报截止时间")
    submit_to: str = Field(description="报送对象")
    winners: int | None = Field(description="评选名额")
    form: dict[str, Any] = Field(description="申报表定义（字段、字数限制、附件要求）")
    criteria: list[Any] = Field(description="评审标准")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return AwardKind(obj.kind).label


class CampaignDetailOut(CampaignOut):
    notice_title: str = Field(description="通知标题")
    printed_by: str = Field(description="印发机关")
    printed_on: dt.date | None = Field(description="印发日期")
    forwarded_by: str = Field(description="转发机关")
    forwarded_on: dt.date | None = Field(description="转发日期")
    recipients: list[Any] = Field(description="主送机关")
    notice_body: str = Field(description="通知正文")
    opinion_title: str = Field(description="实施意见标题")
    opinion_body: list[Any] = Field(description="实施意见正文（分节）")
    scope: str = Field(description="对象范围")
    contact: dict[str, Any] = Field(description="联系方式")
    phases: list[PhaseOut] = Field(description="阶段")
    milestones: list[MilestoneOut] = Field(description="时间节点，按截止日期排序")
    categories: list[CategoryOut] = Field(description="四个“中梗阻”类别及其具体表现")
    benchmarks: list[ItemOut] = Field(description="对照内容")
    sources: list[SourceOut] = Field(description="问题来源")
    tasks: list[TaskOut] = Field(description="主要任务")
    key_areas: list[ItemOut] = Field(description="攻坚重点")
    awards: list[AwardOut] = Field(description="奖项及名额、申报表")
