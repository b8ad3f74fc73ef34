"""Demo nominations for the default campaign (`manage.py demo_nominations`), after demo_district and load_campaign.

Everything goes through the services and the one transition function, so the history, the
audit trail, the quotas and the notifications look exactly as if people had done it. When
today is past the deadline, each step runs with the clock frozen at a plausible moment
(zuofeng.core.clock.frozen): drafts and submissions inside the submission window, the
extension the day after the deadline, opinions and judging in the days after. Before the
deadline, submissions happen now and there is no extension or judging yet.

Each unit needs its administrator (单位管理员, UNIT_LEADER) to submit: where a unit has none,
an account `demo-admin-<code>` is created for it with an unusable password (no one can log in
with it). People, deeds and cases are fictitious (演示数据中的人员均为虚构).
Idempotent: when the campaign already has nominations, nothing is done.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.campaigns.models import Award, AwardKind, Campaign
from zuofeng.core import clock
from zuofeng.core.wordcount import word_count
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.nominations.selectors.judging import judge_nominations
from zuofeng.nominations.services import judging
from zuofeng.nominations.services.forms import form_fields
from zuofeng.nominations.services.lifecycle import deadline_extension_grant, nomination_create_draft, nomination_submit
from zuofeng.nominations.services.opinion import opinion_give
from zuofeng.nominations.workflow import submission_closes_at
from zuofeng.organisation.demo_data import FEMALE_CHARS, MALE_CHARS, OFFICE_CODE, SURNAMES
from zuofeng.organisation.models import Person, Unit, UnitKind

S = NominationState
MIN_CHARS, MAX_CHARS = 300, 480
EXTENSION_REASON = "该单位主要负责人参加市委党校集中学习，申报表未能按时审定盖章，经申请同意延期报送。"
OPEN_EXTENSION_REASON = "该单位申报表尚在履行党组审定程序，经申请同意延期报送。"
OPEN_EXTENSION_DAYS = 7

POSITIONS = ["窗口服务科科员", "政务服务中心副主任", "综合科科长", "便民服务中心主任", "审批科副科长", "执法大队中队长"]
STAR_LINES = [
    "{name}同志自{year}年起在{unit}{post}岗位工作，始终把“让群众少跑腿、让企业多省心”作为工作目标。",
    "面对群众反映的办事环节多、材料重复交的问题，{name}主动梳理本岗位{n1}项事项，逐项提出精简意见，其中{n2}项材料实现免于提交。",
    "{name}坚持“首问负责、一次告知”，对来电来访逐一登记、跟踪办结，近三年累计接待办事群众{n8}余人次，未发生一起有效投诉。",
    "在服务企业中，{name}推行“预约办、上门办、延时办”，为{n4}家企业提供全程代办，帮助项目提前{n5}个工作日开工。",
    "针对老年人办事不便，{name}牵头设立“帮办代办”专窗，编写通俗易懂的办事指南，手把手帮助群众完成线上申报。",
    "{name}注重钻研业务，熟练掌握相关政策法规，主动承担业务培训任务，带出了一支业务精、作风好的窗口服务团队。",
    "在专项活动中，{name}对照“五比五看”查找自身不足，带头破除“中梗阻”，推动本单位办事时限平均压缩{n6}%。",
    "工作之余，{name}经常利用休息时间走访服务对象，收集意见建议{n7}条，推动解决了一批群众关心的实际问题。",
    "{name}廉洁自律、作风务实，从不利用岗位便利谋取私利，多次婉拒服务对象的感谢礼品，得到群众和企业的一致好评。",
    "{name}所在窗口多次获得服务对象书面表扬，群众评价其“办事热心、说话暖心、解决问题用心”。",
]
CASE_LINES = [
    "围绕{case}事项中群众反映集中的堵点，{unit}{section}牵头梳理办事流程，将原先分散在{n1}个科室的环节整合为“一窗受理、内部流转”。",
    "通过推行“一张表单、一次提交”，申请材料由原来的{n2}份精简为{n3}份，办理时限由{n4}个工作日压缩至{n5}个工作日。",
    "依托政务服务网和“我的常州”移动端，实现线上申报、线上审核、结果快递送达，群众办事“最多跑一次”。",
    "建立容缺受理机制，对非核心材料缺失的申请先行受理、限时补正，全年容缺办理{n6}件，没有发生一起差错。",
    "设立“办不成事”反映窗口，由分管负责人每周坐班，现场协调解决群众和企业反映的疑难事项{n7}件。",
    "针对企业开办、项目审批等高频事项，组建帮办代办队伍，主动上门服务，实现“企业点单、部门跟单、全程帮单”。",
    "事例实施以来，群众满意率由{p1}%提高到{p2}%，相关做法被市级媒体专题报道，并在全区推广。",
]
CASE_CLOSING = "下一步，{unit}将持续深化“放管服”改革，把事例中形成的好做法固化为制度，推动服务效能持续提升。"
CASE_TITLES = ["企业开办“一日办结”", "不动产登记“一窗受理”", "社保业务“就近办”", "项目审批“全程代办”",
               "便民服务“帮办代办”", "证照办理“不见面审批”", "民生诉求“马上就办”", "惠企政策“免申即享”"]  # fmt: skip
HONOURS = [("优秀共产党员", "中共常州市武进区委"), ("服务标兵", "常州市武进区人民政府"), ("岗位能手", "常州市总工会"),
           ("优秀公务员", "常州市武进区人民政府"), ("巾帼建功标兵", "常州市妇女联合会")]  # fmt: skip


@dataclass
class DemoResult:
    created: bool
    drafts: int = 0
    submitted: int = 0
    opinions: int = 0
    judging: int = 0
    scores: int = 0
    missing: list[str] = field(default_factory=list)
    extension_unit: str = ""
    open_unit: str = ""
    accounts: int = 0


def placeholder_pdf() -> bytes:
    """A one-page PDF reading 演示扫描件 (STSong-Light is a standard CJK font every PDF reader provides)."""
    text = "演示扫描件".encode("utf-16-be").hex().upper()
    stream = f"BT /F1 36 Tf 160 600 Td <{text}> Tj ET BT /F2 12 Tf 190 570 Td (DEMO SCAN) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 8 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def scan_file(name: str) -> ContentFile:
    return ContentFile(placeholder_pdf(), name=name)


def _numbers(rng: random.Random) -> dict:
    return {
        "n1": rng.randint(6, 18), "n2": rng.randint(8, 15), "n3": rng.randint(2, 6), "n4": rng.randint(30, 60),
        "n5": rng.randint(3, 10), "n6": rng.randint(25, 60), "n7": rng.randint(20, 90),
        "n8": rng.randint(12, 60) * 100, "p1": rng.randint(86, 92), "p2": rng.randint(96, 99),
        "year": rng.randint(2005, 2015),
    }  # fmt: skip


def compose(lines: list[str], rng: random.Random, closing: str = "", **values) -> str:
    """The first sentence, others in a shuffled order, then the closing one: 300–480 字 counted like Word."""
    values = {**_numbers(rng), **values}
    text, tail = lines[0].format(**values), closing.format(**values)
    for line in rng.sample(lines[1:], len(lines) - 1):
        sentence = line.format(**values)
        if word_count(text + sentence + tail) > MAX_CHARS:
            continue
        text += sentence
        if word_count(text + tail) >= MIN_CHARS and rng.random() < 0.3:
            break
    return text + tail


def person_name(rng: random.Random) -> tuple[str, str]:
    gender = rng.choice(["男", "女"])
    chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
    given = "".join(rng.choice(chars) for _ in range(rng.choice([1, 2])))
    return rng.choice(SURNAMES) + given, gender


def _value(f, rng: random.Random, unit: Unit, campaign: Campaign, ctx: dict):
    key, kind = f.key, f.type
    if key in ("name", "leader"):
        return ctx["name"]
    if kind == "gender" or key == "gender":
        return ctx["gender"]
    if kind == "month" or key.startswith("birth"):
        return f"{campaign.year - rng.randint(26, 52)}-{rng.randint(1, 12):02d}"
    if kind == "political_status" or key == "political_status":
        return rng.choice(["中共党员", "中共党员", "中共党员", "中共党员", "群众", "民盟盟员", "无党派人士"])
    if kind == "phone" or key == "phone":
        return f"139{rng.randint(0, 99_999_999):08d}"
    if key == "honours":
        rows = [
            {"year": campaign.year - i, "honour": honour, "body": body}
            for i, (honour, body) in enumerate(rng.sample(HONOURS, rng.randint(1, 2)))
        ]
        return rows if kind == "honours" else "\n".join(f"{r['year']}年 {r['honour']}（{r['body']}）" for r in rows)
    if key == "position":
        return ctx["position"]
    if key == "lead_section":
        return ctx["section"]
    if key == "case_name":
        return ctx["case"]
    if key == "main_text":
        return ctx["text"]
    if kind == "choice" and f.choices:
        return rng.choice(f.choices)
    return ""


def nomination_data(award: Award, unit: Unit, rng: random.Random, sections: list[str]) -> dict:
    name, gender = person_name(rng)
    section = rng.choice(sections) if sections else "综合科"
    topic = rng.choice(CASE_TITLES)
    ctx = {"name": name, "gender": gender, "section": section, "case": f"{unit.display_name}{topic}"}
    ctx["position"] = rng.choice(POSITIONS)
    if award.kind == AwardKind.CASE:
        ctx["text"] = compose(CASE_LINES, rng, CASE_CLOSING, case=topic, unit=unit.display_name, section=section)
    else:
        ctx["text"] = compose(STAR_LINES, rng, name=name, unit=unit.display_name, post=ctx["position"])
    return {f.key: _value(f, rng, unit, award.campaign, ctx) for f in form_fields(award)}


# ── who acts ───────────────────────────────────────────────────────────────


def unit_admin(unit: Unit, result: DemoResult) -> User:
    existing = (
        User.objects.filter(is_active=True, role_assignments__role=Role.UNIT_LEADER, role_assignments__unit=unit)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    person = Person.objects.filter(unit=unit, account__isnull=True).order_by("order", "pk").first()
    user = User(username=f"demo-admin-{unit.code.lower()}", person=person)
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.UNIT_LEADER, unit=unit)
    result.accounts += 1
    return user


def office_user() -> User:
    return User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE).order_by("pk").first()


def judge_user() -> User | None:
    judges = User.objects.filter(is_active=True, role_assignments__role=Role.JUDGE).order_by("pk")
    return judges.filter(username="judge").first() or judges.first()


# ── the scenario ───────────────────────────────────────────────────────────

COMMENTS = [
    "事迹材料翔实，群众认可度高。",
    "做法有创新，成效可量化。",
    "服务意识强，示范作用明显。",
    "材料较为规范，亮点可进一步提炼。",
]


@dataclass
class Plan:
    """What happens to one unit, decided from its position so reruns and tests see the same district."""

    unit: Unit
    missing: bool
    star_draft: bool
    late: bool
    case_draft: bool
    second_case: bool
    keeps_open: bool = False  # the demo leader's unit: its 十佳 stays an editable draft with time left


def plans(units: list, open_unit=None) -> list[Plan]:
    """`open_unit` (the demo leader's unit) keeps a 十佳 draft to finish today, whatever its position."""
    result = []
    late_chosen = False
    for i, unit in enumerate(units):
        if unit == open_unit:
            result.append(Plan(unit, False, True, False, False, i % 4 == 0, keeps_open=True))
            continue
        star_draft = i % 11 == 3
        late = star_draft and not late_chosen
        late_chosen = late_chosen or late
        result.append(Plan(unit, i % 13 == 6, star_draft and not late, late, i % 9 == 4, i % 4 == 0))
    return result


def leader_unit() -> Unit | None:
    """The unit of the demo's 单位管理员 login (`leader`), so that person has a form to finish today."""
    leader = User.objects.filter(username="leader", is_active=True).first()
    assignment = leader and leader.role_assignments.filter(role=Role.UNIT_LEADER).select_related("unit").first()
    return assignment.unit if assignment else None


def nominating_units() -> list[Unit]:
    return list(Unit.objects.filter(parent__isnull=True, is_active=True).exclude(code=OFFICE_CODE).order_by("sort_key"))


def pick_awards(campaign: Campaign) -> tuple[Award | None, Award | None]:
    """The one-per-unit individual award (十佳) and the at-least-one case award (优质服务事例) of the campaign."""
    awards = Award.objects.filter(campaign=campaign, is_active=True).exclude(form={}).order_by("order")
    star = next((a for a in awards if a.kind == AwardKind.INDIVIDUAL and a.quota_max == 1), None)
    case = next((a for a in awards if a.kind == AwardKind.CASE and a.quota_min >= 1), None)
    return star, case


class Timeline:
    """Moments for each step: inside the window when the deadline has passed, else now."""

    def __init__(self, award: Award, rng: random.Random):
        self.now, self.rng = clock.now(), rng
        self.deadline = award.deadline or self.now
        self.past = self.now > self.deadline
        opens = award.opens_on or (self.deadline - dt.timedelta(days=60)).date()
        self.opens = dt.datetime.combine(opens, dt.time(9, 0), tzinfo=self.deadline.tzinfo)

    def in_window(self) -> dt.datetime:
        moment = self.deadline - dt.timedelta(days=self.rng.randint(1, 25), hours=self.rng.randint(7, 14))
        return max(min(moment, self.now), self.opens)

    def after(self, moment: dt.datetime, days: int) -> dt.datetime:
        return min(moment + dt.timedelta(days=days, hours=self.rng.randint(0, 5)), self.now)

    def late(self, days: int) -> dt.datetime:
        return min(self.deadline + dt.timedelta(days=days), self.now)

    def before(self, moment: dt.datetime, closes_at: dt.datetime) -> dt.datetime:
        """`moment`, pulled back inside the submission window: no stamped paper is dated after its deadline."""
        return min(moment, max(closes_at - dt.timedelta(hours=2), self.opens))

    @property
    def can_submit(self) -> bool:
        return self.now >= self.opens


def _create(award: Award, plan: Plan, rng, sections, when, result: DemoResult) -> Nomination:
    admin = unit_admin(plan.unit, result)
    with clock.frozen(when):
        nomination = nomination_create_draft(
            actor=admin, award=award, unit=plan.unit, data=nomination_data(award, plan.unit, rng, sections)
        )
    result.drafts += 1
    return nomination


def _submit(nomination: Nomination, when, result: DemoResult) -> None:
    with clock.frozen(when):
        nomination_submit(
            actor=unit_admin(nomination.unit, result), nomination=nomination, stamped_scan=scan_file("申报表.pdf")
        )
    result.drafts -= 1
    result.submitted += 1


def _opinion(nomination: Nomination, office: User, when, result: DemoResult) -> None:
    with clock.frozen(when):
        opinion_give(
            actor=office,
            nomination=nomination,
            text="经审核，申报材料真实、完整，同意推荐。",
            signed_on=clock.today(),
            stamped_scan=scan_file("审核意见.pdf"),
        )
    result.opinions += 1


def demo_nominations_build() -> DemoResult:
    campaign = Campaign.objects.filter(is_default=True).first()
    if campaign is None or Nomination.objects.filter(campaign=campaign).exists():
        return DemoResult(created=False)
    star, case = pick_awards(campaign)
    office = office_user()
    if star is None or case is None or office is None:
        return DemoResult(created=False)
    rng = random.Random(f"{campaign.slug}-{campaign.year}")  # noqa: S311 - repeatable demo data, not secrets
    timeline = Timeline(star, rng)
    result = DemoResult(created=True)
    submitted: list[tuple[Nomination, dt.datetime]] = []
    with transaction.atomic():
        unit_plans = plans(nominating_units(), leader_unit())
        for plan in unit_plans:
            if plan.missing:
                result.missing.append(plan.unit.display_name)
                continue
            sections = list(
                Unit.objects.filter(parent=plan.unit, kind=UnitKind.SECTION).values_list("name", flat=True)[:8]
            )
            work = [(star, plan.star_draft or plan.late), (case, plan.case_draft)]
            if plan.second_case:
                work.append((case, False))
            for award, stays_draft in work:
                when = timeline.in_window()
                nomination = _create(award, plan, rng, sections, when, result)
                if plan.late and award == star:
                    late_star = nomination
                elif not stays_draft and timeline.can_submit:
                    moment = timeline.after(when, 0)
                    _submit(nomination, moment, result)
                    submitted.append((nomination, moment))
            if plan.late:
                result.extension_unit = plan.unit.display_name
                if timeline.past:
                    with clock.frozen(timeline.late(1)):
                        deadline_extension_grant(
                            actor=office,
                            award=star,
                            unit=plan.unit,
                            until=clock.now() + dt.timedelta(days=3),
                            reason=EXTENSION_REASON,
                        )
                    _submit(late_star, timeline.late(2), result)
                    submitted.append((late_star, timeline.late(2)))
        for nomination, moment in submitted:
            if rng.random() < 0.7:
                when = timeline.after(moment, rng.randint(1, 3))
                closes_at = submission_closes_at(award=nomination.award, unit=nomination.unit)
                if closes_at is not None:
                    when = max(timeline.before(when, closes_at), moment)
                _opinion(nomination, office, when, result)
        if timeline.past:
            _judging(star, office, timeline, rng, result)
            for plan in unit_plans:
                if plan.keeps_open:
                    _keep_open(star, plan.unit, office, result)
    return result


def _keep_open(award: Award, unit: Unit, office: User, result: DemoResult) -> None:
    """After the deadline the leader's unit gets an extension from today, so its draft can still be sent."""
    deadline_extension_grant(
        actor=office,
        award=award,
        unit=unit,
        until=clock.now() + dt.timedelta(days=OPEN_EXTENSION_DAYS),
        reason=OPEN_EXTENSION_REASON,
    )
    result.open_unit = unit.display_name


def _judging(award: Award, office: User, timeline: Timeline, rng: random.Random, result: DemoResult) -> None:
    judge = judge_user()
    if judge is None:
        return
    with clock.frozen(timeline.late(4)):
        judging.judge_assign(actor=office, award=award, judges=[judge])
    with clock.frozen(timeline.late(5)):
        result.judging = judging.judging_open(actor=office, award=award)
    with clock.frozen(timeline.late(6)):
        for nomination in judge_nominations(user=judge, award=award):
            if rng.random() < 0.4:
                scores = [
                    (i, Decimal(rng.randint(140, 196)) / 2, rng.choice(COMMENTS)) for i in range(len(award.criteria))
                ]
                judging.score_save(actor=judge, nomination=nomination, scores=scores)
                result.scores += 1
