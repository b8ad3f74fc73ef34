"""The shape of a campaign definition file (campaigns/*.yaml).

Every part forbids unknown keys, so a misspelt field is refused instead of silently ignored.
Checks that need the whole file (keys that refer to other lists, dates in order, weights that
add up) live in `cross_check()`, so each message can name the exact field. Chinese messages for
pydantic's own errors are in loader.py.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints


def _number_as_text(value):
    # Officials write phone numbers and document numbers unquoted; YAML then reads them as integers.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _end_of_day(value):
    # A deadline given as a bare date means "by the end of that day" (当日24时前).
    if isinstance(value, str) and len(value) == 10:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(23, 59, 59))
    return value


Text = Annotated[str, BeforeValidator(_number_as_text), StringConstraints(strip_whitespace=True, max_length=5000)]
Name = Annotated[
    str, BeforeValidator(_number_as_text), StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
LongName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def Short(length: int):  # capitalised: it is used where a type goes
    """Optional text that must fit a database column of `length` characters."""
    return Annotated[str, BeforeValidator(_number_as_text), StringConstraints(strip_whitespace=True, max_length=length)]


Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
# Form fields become form and JSON names in the nominations app, hence Python-style names.
FieldKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Deadline = Annotated[dt.datetime, BeforeValidator(_end_of_day)]
# YAML already gives real integers; strict refuses true/false and "3" posing as numbers.
Int = Annotated[int, Strict()]

APPLIES_TO = Literal["rectification", "nominations", "supervision", "assessment", "general"]
AWARD_KINDS = Literal["individual", "collective", "case", "project"]
SOURCE_KINDS = Literal["self", "leader", "public", "organisation"]
# gender: GB/T 2261.1 codes; political_status: GB/T 4762 codes; honours: rows of year, honour and
# conferring body limited to the last three years; month: year and month (出生年月).
FIELD_TYPES = Literal[
    "text", "textarea", "date", "month", "choice", "phone", "number", "opinion", "gender", "political_status", "honours"
]


# A rule's basis: the words of the notice it comes from, quoted exactly (whitespace aside). Empty
# means the office set the rule itself (作风办设定); the loader refuses a quote the notice lacks.
Basis = Short(300)


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Dated(Part):
    by: Name
    on: dt.date


class NoticeDef(Part):
    doc_number: Short(100) = ""
    title: LongName
    issuer: Name
    issued_on: dt.date
    recipients: list[Name] = []
    body: Text = ""
    printed: Dated | None = None
    forwarded: Dated | None = None


class ItemDef(Part):
    heading: Text = ""
    text: Text = ""


class SectionDef(Part):
    number: Text = ""
    title: Text = ""
    paragraphs: list[Text] = []
    items: list[ItemDef] = []


class OpinionDef(Part):
    title: Short(300) = ""
    preamble: Text = ""
    sections: list[SectionDef] = []


class ContactDef(Part):
    address: Text = ""
    person: Text = ""
    phone: Text = ""
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""
    submit_to: Text = ""


class SettingsDef(Part):
    yellow_behind: Int = Field(10, ge=0, le=100)
    red_behind: Int = Field(30, ge=0, le=100)
    due_soon_days: Int = Field(7, ge=0, le=60)
    working_days: bool = False
    # A unit's light: shares (%) of its reviewed measures; set by 作风办, not by the notice.
    unit_red_share: Int = Field(20, ge=0, le=100)
    unit_yellow_share: Int = Field(20, ge=0, le=100)


class ListItem(Part):
    key: Key
    name: Name


class PhaseDef(ListItem):
    period_label: Short(50) = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: Text = ""
    basis: Basis = ""


class MilestoneDef(ListItem):
    due_on: dt.date
    phase: Key | None = None
    applies_to: APPLIES_TO = "general"
    description: Text = ""
    basis: Basis = ""


class CategoryDef(ListItem):
    slogan: Short(200) = ""
    description: Text = ""


class SymptomDef(ListItem):
    category: Key
    description: Short(300) = ""


class SourceDef(ListItem):
    kind: SOURCE_KINDS


class TaskDef(ListItem):
    description: Text = ""


class QuotaDef(Part):
    min: Int = Field(0, ge=0, le=100)
    max: Int | None = Field(None, ge=1, le=100)


class CriterionDef(Part):
    name: Name
    weight: Int = Field(ge=1, le=100)
    description: Text = ""


class FormFieldDef(Part):
    key: FieldKey
    label: Name
    type: FIELD_TYPES = "text"
    required: bool = True
    max_chars: Int | None = Field(None, ge=1, le=10000)
    choices: list[Name] = []
    lines: Int = Field(1, ge=1, le=40)
    stamp: bool = False
    dated: bool = False
    help: Text = ""


class FormDef(Part):
    attachment: Int | None = Field(None, ge=1, le=99)
    title: Name
    applicant_line: Text = "申报单位（盖章）"
    rows: list[list[FormFieldDef]] = Field(min_length=1)


class JudgingDef(Part):
    aggregate: Literal["mean", "median"] = "mean"  # how the judges' weighted totals are combined


class AwardDef(ListItem):
    kind: AWARD_KINDS
    level: Short(20) = ""
    description: Text = ""
    quota: QuotaDef = QuotaDef()
    winners: Int | None = Field(None, ge=1, le=1000)
    opens_on: dt.date | None = None
    deadline: Deadline | None = None
    submit_to: Short(200) = ""
    form: FormDef | None = None
    criteria: list[CriterionDef] = []
    quota_basis: Basis = ""
    deadline_basis: Basis = ""
    # Read by the nominations app from Campaign.definition; not an Award column, hence exclude.
    judging: JudgingDef = Field(default_factory=JudgingDef, exclude=True)


class CampaignDef(Part):
    slug: Key
    year: Int = Field(ge=2000, le=2100)
    title: Name
    short_title: Short(100) = ""
    notice: NoticeDef
    opinion: OpinionDef = OpinionDef()
    scope: Text = ""
    contact: ContactDef = ContactDef()
    settings: SettingsDef = SettingsDef()
    phases: list[PhaseDef] = Field(min_length=1)
    milestones: list[MilestoneDef] = []
    categories: list[CategoryDef] = Field(min_length=1)
    symptoms: list[SymptomDef] = []
    benchmarks: list[ListItem] = []
    sources: list[SourceDef] = []
    tasks: list[TaskDef] = []
    key_areas: list[ListItem] = []
    awards: list[AwardDef] = []
    notices: "NoticesDef" = Field(default_factory=lambda: NoticesDef())
    # Read by the supervision app from Campaign.definition (supervision/definition.py); no columns.
    supervision: "SupervisionDef" = Field(default_factory=lambda: SupervisionDef(), exclude=True)
    record_awards: "RecordAwardsDef" = Field(default_factory=lambda: RecordAwardsDef())
    complaints: "ComplaintsDef" = Field(default_factory=lambda: ComplaintsDef())
    assessment: "AssessmentDef | None" = None


class NoticesDef(Part):
    """公文: how the office numbers and chases its notices (read by the notices app from Campaign.definition)."""

    number_prefix: Short(30) = ""  # 机关代字 of the office's notices, e.g. 武作组办
    acknowledge_within_working_days: Int = Field(2, ge=1, le=30)  # 催办 after this many working days unsigned


LISTS = ("phases", "milestones", "categories", "symptoms", "benchmarks", "sources", "tasks", "key_areas", "awards")

Problem = tuple[str, str]  # (field path, Chinese reason)


def cross_check(d: CampaignDef) -> list[Problem]:
    """Whole-file rules; each problem names the exact field path."""
    return [
        *_unique_keys(d),
        *_references(d),
        *_dates(d),
        *_awards(d),
        *_settings(d),
        *_bases(d),
        *_record_awards(d),
        *_assessment(d),
    ]


def _unique_keys(d: CampaignDef) -> Iterator[Problem]:
    for name in LISTS:
        seen: set[str] = set()
        for i, item in enumerate(getattr(d, name)):
            if item.key in seen:
                yield f"{name}[{i}].key", f"标识「{item.key}」重复，同一列表中的标识必须唯一"
            seen.add(item.key)
    kinds: set[str] = set()
    for i, source in enumerate(d.sources):
        if source.kind in kinds:
            yield f"sources[{i}].kind", f"问题来源类型「{source.kind}」重复"
        kinds.add(source.kind)


def _references(d: CampaignDef) -> Iterator[Problem]:
    categories = {c.key for c in d.categories}
    for i, symptom in enumerate(d.symptoms):
        if symptom.category not in categories:
            yield f"symptoms[{i}].category", f"找不到中梗阻类别「{symptom.category}」（categories 中没有这个标识）"
    phases = {p.key for p in d.phases}
    for i, milestone in enumerate(d.milestones):
        if milestone.phase is not None and milestone.phase not in phases:
            yield f"milestones[{i}].phase", f"找不到阶段「{milestone.phase}」（phases 中没有这个标识）"


def _dates(d: CampaignDef) -> Iterator[Problem]:
    notice = d.notice
    if notice.printed and notice.printed.on < notice.issued_on:
        yield "notice.printed.on", "印发日期不能早于成文日期"
    if notice.forwarded and notice.printed and notice.forwarded.on < notice.printed.on:
        yield "notice.forwarded.on", "转发日期不能早于印发日期"
    previous = None
    for i, phase in enumerate(d.phases):
        if phase.starts_on and phase.ends_on and phase.ends_on < phase.starts_on:
            yield f"phases[{i}].ends_on", "结束日期不能早于开始日期"
        if phase.starts_on and previous and phase.starts_on < previous:
            yield f"phases[{i}].starts_on", "阶段须按时间先后排列，开始日期不能早于上一阶段"
        previous = phase.starts_on or previous
    by_key = {p.key: p for p in d.phases}
    for i, milestone in enumerate(d.milestones):
        phase = by_key.get(milestone.phase or "")
        if phase is None:
            continue
        if (phase.starts_on and milestone.due_on < phase.starts_on) or (
            phase.ends_on and milestone.due_on > phase.ends_on
        ):
            yield f"milestones[{i}].due_on", f"截止日期不在所属阶段「{phase.name}」的时间范围内"


def _awards(d: CampaignDef) -> Iterator[Problem]:
    attachments: set[int] = set()
    for i, award in enumerate(d.awards):
        at = f"awards[{i}]"
        if award.quota.max is not None and award.quota.min > award.quota.max:
            yield f"{at}.quota.min", "每单位至少报送数不能大于至多报送数"
        if award.opens_on and award.deadline and award.deadline.date() < award.opens_on:
            yield f"{at}.deadline", "截止时间不能早于开始申报日期"
        if award.criteria and sum(c.weight for c in award.criteria) != 100:
            yield f"{at}.criteria", f"各项评审标准的权重合计必须为 100（现为 {sum(c.weight for c in award.criteria)}）"
        if award.form is not None:
            if award.form.attachment is not None:
                if award.form.attachment in attachments:
                    yield f"{at}.form.attachment", f"附件编号 {award.form.attachment} 重复"
                attachments.add(award.form.attachment)
            yield from _form(award.form, f"{at}.form")


def _form(form: FormDef, at: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for r, row in enumerate(form.rows):
        if not 1 <= len(row) <= 2:
            yield f"{at}.rows[{r}]", "每行须有 1 或 2 个栏目"
        for c, field in enumerate(row):
            where = f"{at}.rows[{r}][{c}]"
            if field.key in seen:
                yield f"{where}.key", f"栏目标识「{field.key}」重复"
            seen.add(field.key)
            if field.type == "choice" and not field.choices:
                yield f"{where}.choices", "选择栏目须列出可选项"
            if field.max_chars is not None and field.type not in ("text", "textarea"):
                yield f"{where}.max_chars", "只有文字栏目可以限制字数"


def _settings(d: CampaignDef) -> Iterator[Problem]:
    if d.settings.yellow_behind >= d.settings.red_behind:
        yield "settings.yellow_behind", "黄灯阈值必须小于红灯阈值"
    if d.settings.unit_yellow_share > d.settings.unit_red_share:
        # yellow counts red and yellow measures; a higher bar than red's would make it the rarer alarm
        yield "settings.unit_yellow_share", "单位黄灯比例不能高于单位红灯比例"


def notice_text(d: CampaignDef) -> str:
    """The notice and its 实施意见 as one string without white space, for finding quoted bases."""
    o = d.opinion
    parts = [d.notice.body, o.preamble]
    for section in o.sections:
        parts += [section.title, *section.paragraphs, *(f"{i.heading}{i.text}" for i in section.items)]
    return "".join("".join(parts).split())


def _bases(d: CampaignDef) -> Iterator[Problem]:
    text = notice_text(d)
    quoted = [
        *((f"phases[{i}].basis", p.basis) for i, p in enumerate(d.phases)),
        *((f"milestones[{i}].basis", m.basis) for i, m in enumerate(d.milestones)),
        *((f"awards[{i}].quota_basis", a.quota_basis) for i, a in enumerate(d.awards)),
        *((f"awards[{i}].deadline_basis", a.deadline_basis) for i, a in enumerate(d.awards)),
    ]
    for at, basis in quoted:
        if basis and "".join(basis.split()) not in text:
            yield at, f"依据「{basis}」在通知原文和实施意见中找不到；请逐字引用原文，或留空表示作风办设定"


# ── 督查问责 (supervision) ─────────────────────────────────────────────────────


class SelfInspectionDef(Part):
    """自查自纠报告: when units report and the questions every report answers."""

    opens_on: dt.date | None = None
    due_on: dt.date | None = None
    questions: list[ListItem] = []


class SupervisionDef(Part):
    """Inspection focuses and checklist, where a confirmed finding goes, and the accountability measures."""

    focuses: list[ListItem] = []
    checklist: list[ListItem] = []
    finding_source_kind: SOURCE_KINDS = "organisation"
    finding_origin: Short(20) = "督查发现"
    finding_deadline_days: Int = Field(30, ge=1, le=365)
    accountability_measures: list[ListItem] = []
    self_inspection: SelfInspectionDef = SelfInspectionDef()


# ── awards started from records (突破攻坚、创新创优) ──────────────────────────────


class RecordAwardsDef(Part):
    """Which awards a nomination may be started from a 攻坚 project or an innovation initiative for."""

    project: list[Key] = []
    initiative: list[Key] = []


def _record_awards(d: CampaignDef) -> Iterator[Problem]:
    awards = {a.key for a in d.awards}
    for record in ("project", "initiative"):
        for i, key in enumerate(getattr(d.record_awards, record)):
            if key not in awards:
                yield f"record_awards.{record}[{i}]", f"奖项“{key}”未在 awards 中定义"


# ── 群众提 (issue 13): deadlines, intake limits and the public satisfaction survey ──────────────


class ComplaintDeadlinesDef(Part):
    # 办理期限 in working days from 派单 (the clock starts at dispatch, not at 签收).
    complaint: Int = Field(10, ge=1, le=60)
    suggestion: Int = Field(15, ge=1, le=60)
    praise: Int = Field(10, ge=1, le=60)
    sign_within: Int = Field(1, ge=1, le=10)


class ComplaintLimitsDef(Part):
    per_address_per_hour: Int = Field(10, ge=1, le=10000)
    per_phone_per_day: Int = Field(5, ge=1, le=1000)
    attachments: Int = Field(5, ge=0, le=20)
    attachment_mb: Int = Field(10, ge=1, le=50)
    text_chars: Int = Field(2000, ge=100, le=20000)


class SurveyDef(Part):
    items: list[Name] = ["服务态度", "办事效率", "廉洁自律", "有无推诿扯皮"]
    min_responses: Int = Field(30, ge=1, le=10000)


class ComplaintsDef(Part):
    deadlines: ComplaintDeadlinesDef = ComplaintDeadlinesDef()
    limits: ComplaintLimitsDef = ComplaintLimitsDef()
    survey: SurveyDef = SurveyDef()


# ── 年终考核 (assessment): the rubric, its rankings and grades ─────────────────────────────────────
# Item kinds are computed by zuofeng/assessment/items.py (one function per kind); "hand" is scored by
# the office with a reason. Kept as a literal here so a misspelt kind is refused at load time.
ITEM_KINDS = Literal[
    "milestone_on_time",
    "completion_rate",
    "overdue_measures",
    "paper_closeout",
    "findings_by_severity",
    "accountability_by_degree",
    "nomination_quota",
    "awards_won",
    "briefing_adopted",
    "complaints_on_time",
    "satisfaction",
    "project_milestones",
    "hand",
]
UNIT_KINDS = Literal["town", "street", "zone", "department", "subordinate", "section"]
Points = Annotated[float, Field(ge=-100, le=100)]


# Weighted kinds count records by their severity / degree, whose names are supervision.models.Severity's
# labels (tests/assessment keeps the two equal): a weight under any other name would never match.
WEIGHTED_KINDS = ("findings_by_severity", "accountability_by_degree")
SEVERITY_NAMES = ("一般", "较重", "严重")


class RubricItemDef(Part):
    key: Key
    name: Name
    kind: ITEM_KINDS
    points: Points = 0  # full marks of a rated item (rate × points), or of a met condition
    per_item: Points = 0  # for counted items: points for each record (negative: a deduction)
    cap: Points | None = None  # highest the item can reach (default: points, when points > 0)
    floor: Points | None = None  # lowest (a deduction's limit)
    milestone: Key | None = None  # milestone_on_time
    award: Key | None = None  # nomination_quota
    weights: dict[Name, Points] = {}  # by severity / degree: points for each record of that kind
    basis: Basis = ""
    note: Text = ""


class RubricGroupDef(Part):
    key: Key
    name: Name
    weight: Int = Field(ge=0, le=100)  # share of the 100-point total; a bonus group: its cap on top
    bonus: bool = False
    floor: Points = 0
    basis: Basis = ""
    note: Text = ""
    items: list[RubricItemDef] = Field(min_length=1)


class RubricDef(ListItem):
    groups: list[RubricGroupDef] = Field(min_length=1)


class RankingDef(ListItem):
    unit_kinds: list[UNIT_KINDS] = Field(min_length=1)
    rubric: Key


class GradeDef(Part):
    name: Name
    min_score: Points = 0
    max_share: Int | None = Field(None, ge=1, le=100)  # at most this % of a ranking (优秀 ≤ 30 %)


class AssessmentDef(Part):
    basis: Basis = ""
    objection_days: Int = Field(5, ge=1, le=30)  # 异议 within this many working days of the snapshot
    exclude_unit_codes: list[Short(32)] = []
    grades: list[GradeDef] = Field(min_length=1)
    rankings: list[RankingDef] = Field(min_length=1)
    rubrics: list[RubricDef] = Field(min_length=1)


CampaignDef.model_rebuild()


def _assessment(d: CampaignDef) -> Iterator[Problem]:
    a = d.assessment
    if a is None:
        return
    text = notice_text(d)
    if a.basis and "".join(a.basis.split()) not in text:
        yield "assessment.basis", f"依据「{a.basis}」在通知原文和实施意见中找不到"
    rubrics = {r.key for r in a.rubrics}
    seen_kinds: set[str] = set()
    for i, ranking in enumerate(a.rankings):
        if ranking.rubric not in rubrics:
            yield f"assessment.rankings[{i}].rubric", f"找不到考核细则「{ranking.rubric}」（rubrics 中没有这个标识）"
        for kind in ranking.unit_kinds:
            if kind in seen_kinds:
                yield f"assessment.rankings[{i}].unit_kinds", f"单位类型「{kind}」已在另一个排名序列中"
            seen_kinds.add(kind)
    mins = [g.min_score for g in a.grades]
    if mins != sorted(mins, reverse=True):
        yield "assessment.grades", "等次须按最低分从高到低排列"
    milestones = {m.key for m in d.milestones}
    awards = {w.key for w in d.awards}
    for r, rubric in enumerate(a.rubrics):
        at = f"assessment.rubrics[{r}]"
        weights = sum(g.weight for g in rubric.groups if not g.bonus)
        if weights != 100:
            yield f"{at}.groups", f"各组（加分组除外）权重合计必须为 100（现为 {weights}）"
        keys: set[str] = set()
        for g, group in enumerate(rubric.groups):
            for i, item in enumerate(group.items):
                where = f"{at}.groups[{g}].items[{i}]"
                if item.key in keys:
                    yield f"{where}.key", f"考核项标识「{item.key}」重复"
                keys.add(item.key)
                if item.kind == "milestone_on_time" and item.milestone not in milestones:
                    yield f"{where}.milestone", f"找不到时间节点「{item.milestone}」（milestones 中没有这个标识）"
                if item.kind == "nomination_quota" and item.award not in awards:
                    yield f"{where}.award", f"找不到奖项「{item.award}」（awards 中没有这个标识）"
                if item.kind in WEIGHTED_KINDS and (unknown := set(item.weights) - set(SEVERITY_NAMES)):
                    yield (
                        f"{where}.weights",
                        f"分值只能按{'、'.join(SEVERITY_NAMES)}设定（没有「{'」「'.join(sorted(unknown))}」）",
                    )
                if item.cap is not None and item.floor is not None and item.floor > item.cap:
                    yield f"{where}.floor", "下限不能高于上限"
                if item.basis and "".join(item.basis.split()) not in text:
                    yield f"{where}.basis", f"依据「{item.basis}」在通知原文和实施意见中找不到"
            if group.basis and "".join(group.basis.split()) not in text:
                yield f"{at}.groups[{g}].basis", f"依据「{group.basis}」在通知原文和实施意见中找不到"
