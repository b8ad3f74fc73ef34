"""A realistic mid-campaign 整改清单 picture for the demo district (`manage.py demo_ledgers`).

Two parts. The 区财政局 and its 预算科, where the demo `leader` and `clerk` log in, are written
through the real services under `clock.frozen(...)`, so their history, audit trail and
notifications are exactly what the application itself writes. Every other unit is bulk-created
with the same shape of data (versions, LedgerEvents, bigrams, import keys, lights) because
hundreds of units through the services would take minutes.

Each unit's outcome comes from a random generator seeded with its code, so the picture is the
same on every machine; units that already have a list are left alone, so a second run changes
nothing. Lights are computed for today (the real clock), so dates are chosen around today.
"""

import datetime as dt
import hashlib
import random
import uuid
import zlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zuofeng.accounts.models import User
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.storage import private_storage
from zuofeng.organisation.management.commands.demo_district import head_title, unit_specs
from zuofeng.organisation.models import Person, Unit, UnitKind
from zuofeng.rectification import lights
from zuofeng.rectification.models import (
    Evidence,
    ItemReview,
    Ledger,
    LedgerEvent,
    LedgerState,
    Light,
    Measure,
    MeasureState,
    Problem,
    ProgressKind,
    ProgressUpdate,
)
from zuofeng.rectification.services.ledger import (
    ledger_get_or_create,
    measure_create,
    problem_create,
    problem_import_key,
)
from zuofeng.rectification.services.progress import closeout_decide, closeout_request, measure_reopen, progress_report
from zuofeng.rectification.services.review import ledger_review, ledger_submit
from zuofeng.rectification.services.search import measure_bigrams, problem_bigrams

# ── what units write: (category key, symptom key, problem, [(measure, 整改标准), …]) by kind of unit ──
WINDOW, SECTION, LEAD = "window", "section", "lead"
ITEMS: dict[str, list[tuple[str, str, str, list[tuple[str, str]]]]] = {
    WINDOW: [
        ("thinking", "thinking-02", "窗口服务“冷热不均”，群众反映办事要跑多次，一次性告知不到位",
         [("推行首问负责制和一次性告知制度，编制办事指南在窗口和网上同步公开",
           "办事指南公开率100%，“跑多次”投诉同比下降50%"),
          ("每月开展窗口人员业务和服务礼仪培训", "每月培训不少于1次，考核合格率100%")]),
        ("execution", "execution-12", "部分事项要求群众提供“其他材料”等兜底材料，材料层层加码",
         [("全面清理办事材料，取消兜底条款，公布材料清单", "清单外不得要求提供任何材料"),
          ("建立材料要求负面清单，定期开展明察暗访", "每季度暗访不少于2次，发现问题当月整改")]),
        ("responsibility", "responsibility-05", "涉及多个科室的联办事项相互推诿，企业反映“来回跑、多头找”",
         [("建立联办事项牵头负责和限时办结制度", "联办事项平均办理时限压缩30%"),
          ("设立综合受理窗口，实行“一窗受理、内部流转”", "联办事项全部纳入综合窗口受理")]),
        ("prohibition", "prohibition-07", "个别窗口工作人员对群众咨询不耐烦，解释政策态度生硬",
         [("全面推行政务服务“好差评”，差评件逐件回访", "差评件回访整改率100%"),
          ("将服务态度纳入窗口人员月度考评", "考评结果每月公示")]),
        ("execution", "execution-19", "对重点企业上门服务少，帮办代办机制尚未建立",
         [("建立重点项目帮办代办专员制度", "每个重点项目明确1名帮办专员"),
          ("每季度走访重点企业，收集办事堵点", "每季度走访企业不少于10家")]),
        ("prohibition", "prohibition-11", "个别审批环节存在预审“体外循环”，预审要求不公开",
         [("所有预审事项纳入审批系统流转，全程留痕", "审批系统外无预审环节")]),
        ("execution", "execution-07", "午间和节假日延时服务落实不到位，群众反映“下班办不了事”",
         [("落实午间不断档和周末预约服务", "公示预约电话，预约事项办结率100%"),
          ("在醒目位置公示延时服务时间和值班人员", "公示信息准确率100%")]),
    ],
    SECTION: [
        ("thinking", "thinking-01", "部分干部安于现状，满足于完成上级交办任务，主动谋划工作不够",
         [("制定科室年度重点工作清单，实行月度点评", "每月召开1次工作点评会"),
          ("开展“我为发展献一策”活动", "每人提出改进建议不少于2条")]),
        ("responsibility", "responsibility-02", "科室内部岗位职责交叉，部分工作“都管都不管”",
         [("梳理岗位职责清单，明确AB岗", "岗位职责清单上墙公示，每项工作明确责任人")]),
        ("thinking", "thinking-03", "部分调研报告和工作总结照搬照抄，基础数据多年未更新",
         [("建立业务基础数据台账，按季度更新", "数据台账每季度更新1次"),
          ("材料实行分管领导审核把关", "退回重写率逐季下降")]),
        ("execution", "execution-08", "对重点工作只布置不检查，督促落实不到位",
         [("建立重点工作督办台账，实行销号管理", "按月通报进度，逾期事项说明原因"),
          ("将督办结果纳入科室年度考核", "考核细则9月底前印发")]),
        ("execution", "execution-17", "深入基层调研少，政策制定与企业实际需求有脱节",
         [("科室负责人每季度到基层和企业调研不少于2次", "每次调研形成调研报告"),
          ("建立政策出台前征求企业意见制度", "涉企政策征求意见率100%")]),
        ("thinking", "thinking-04", "面对新政策新业务学习不够，业务能力跟不上工作要求",
         [("开展“每周一学”业务学习", "全年集中学习不少于40学时"),
          ("组织业务知识测试", "每半年测试1次，合格率100%")]),
        ("responsibility", "responsibility-06", "文件办理时间偏长，部分请示件流转超过10个工作日",
         [("建立公文限时办结制度", "一般公文3个工作日内办结"),
          ("每月通报公文办理时效", "超时件逐件说明原因")]),
        ("execution", "execution-10", "会议多、材料多，存在以会议落实会议现象",
         [("精简会议和文件，推行短会、实会", "会议数量同比减少20%")]),
    ],
    LEAD: [
        ("execution", "execution-01", "推进重大项目中强调客观困难，部分项目进度滞后于序时",
         [("建立重大项目班子成员挂钩联系制度", "每个重大项目明确1名挂钩领导"),
          ("滞后项目每月专题研究、限期赶超", "滞后项目年底前全部追上序时进度")]),
        ("responsibility", "responsibility-04", "对上级交办的跨部门任务拈轻怕重，牵头协调不够有力",
         [("建立交办任务牵头责任制和周报制度", "交办任务按期办结率100%")]),
        ("prohibition", "prohibition-01", "公务接待、公务用车管理制度执行不够严格",
         [("修订公务接待和公务用车管理办法", "制度10月底前印发"),
          ("开展公务接待和公车使用专项检查", "每半年专项检查1次，问题全部整改")]),
        ("execution", "execution-14", "招商引资工作存在等靠要思想，主动出击不够",
         [("实行招商任务分解到人、按月考核", "全年新引进项目完成目标任务"),
          ("组织专题招商活动", "全年不少于4次")]),
        ("responsibility", "responsibility-11", "班子成员之间沟通协调不够，集体观念有待加强",
         [("完善班子议事规则，落实民主集中制", "重大事项集体研究率100%")]),
        ("execution", "execution-18", "领导干部深入基层少，群众反映的问题“上面不知道”",
         [("建立班子成员基层联系点和接访制度", "每名班子成员每月接访不少于1次"),
          ("对群众反映问题实行交办督办", "交办件按期办结率100%")]),
        ("prohibition", "prohibition-10", "重点岗位廉政风险防控不到位，廉洁教育针对性不强",
         [("开展廉政风险点排查，完善防控措施", "排查覆盖所有重点岗位"),
          ("开展警示教育", "全年不少于2次")]),
    ],
}  # fmt: skip
PUBLIC_CHANNELS = [
    "12345政务服务热线工单",
    "企业座谈会上企业反映",
    "群众来信来访",
    "政风行风热线听众反映",
    "网络问政留言",
]
RETURN_COMMENTS = [
    "整改措施不够具体，请明确量化标准和完成时限。",
    "问题描述过于笼统，请结合本单位实际具体查摆。",
    "责任人不明确，请落实到具体责任人。",
    "对照内容未勾选，请补充后重新提交。",
]
PROGRESS_TEXTS = [
    "已召开专题会议研究部署，制定实施方案。",
    "相关制度已起草完成，正在征求意见。",
    "已完成前期摸底排查，形成问题清单。",
    "制度已印发执行，正在跟踪落实情况。",
    "已组织开展专项培训，参训人员全覆盖。",
    "已完成阶段性任务，正在开展“回头看”。",
]
CLOSE_TEXTS = ["整改措施已全部落实到位，相关制度已印发执行。", "已按整改标准完成，群众反映问题已解决。"]
SOURCE_WEIGHTS = {"self": 40, "leader": 20, "public": 20, "organisation": 20}
PLAN_WEIGHTS = {"none": 6, "draft": 9, "returned": 8, "submitted": 10, "approved": 67}
# The 区财政局 sections the demo leader reviews get fixed outcomes so the queue always has work.
FORCED = {"D20S01": "approved", "D20S03": "submitted", "D20S04": "submitted", "D20S05": "closing"}
FINANCE, BUDGET = "D20", "D20S02"


# ── small valid evidence files ─────────────────────────────────────────────


def demo_pdf(text: str) -> bytes:
    """A one-page PDF saying `text`, in a standard CJK font the reader supplies (no embedding)."""
    hex_text = text.encode("utf-16-be").hex().upper()
    stream = f"BT /F1 20 Tf 72 760 Td <{hex_text}> Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_png(width: int = 48, height: int = 32, rgb: tuple[int, int, int] = (200, 220, 240)) -> bytes:
    """A plain-colour PNG (a stand-in for a photo of the site)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# ── the context shared by every unit ───────────────────────────────────────


@dataclass
class Demo:
    campaign: object
    today: dt.date
    now: dt.datetime
    categories: dict
    symptoms: dict
    sources: dict
    benchmarks: list
    key_areas: list
    people: dict[int, list[Person]]
    ledgers: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    benchmark_links: list = field(default_factory=list)  # (problem, [benchmark, …])
    measures: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    evidence: list = field(default_factory=list)  # (evidence, bytes)
    events: list = field(default_factory=list)

    def day(self, month: int, day: int) -> dt.date:
        return dt.date(self.campaign.year, month, day)

    def at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A working-hours moment on `day`, never in the future."""
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59))))
        return min(moment, self.now)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def flavour(unit: Unit) -> str:
    if unit.parent_id is None:
        return LEAD
    if unit.kind == UnitKind.SUBORDINATE and {"approval", "service"} & set(unit.functions or []):
        return WINDOW
    return SECTION


def _source_detail(demo: Demo, unit: Unit, kind: str, rng: random.Random) -> tuple[str, dt.date | None]:
    """What the 来源说明 column says, and the meeting date for 组织议."""
    top = unit.parent or unit
    if kind == "leader":
        if unit.parent is None:
            return rng.choice(["区委主要领导调研时指出", "分管副区长督查时指出", "区委巡察组反馈"]), None
        return rng.choice([f"分管副{head_title(top.name)}", f"{top.display_name}主要负责同志"]), None
    if kind == "public":
        return rng.choice(PUBLIC_CHANNELS), None
    if kind == "organisation":
        held = _between(rng, demo.day(8, 20), demo.day(9, 8))
        body = "镇党委会" if top.kind == "town" else ("党工委会" if top.kind in ("street", "zone") else "局党组会")
        if not top.name.endswith("局") and top.kind == UnitKind.DEPARTMENT:
            body = "党组（党委）会"
        return f"{held.month}月{held.day}日{body}", held
    return "", None


def _leader_of(demo: Demo, unit: Unit, rng: random.Random) -> str:
    """责任领导: a deputy of the unit above for sections, the unit's own head for a department or town."""
    staff = demo.people.get(unit.parent_id or unit.pk) or demo.people.get(unit.pk) or []
    if not staff:
        return ""
    deputies = [p for p in staff if p.position.startswith("副")] if unit.parent_id else staff[:1]
    person = rng.choice(deputies or staff[:1])
    return f"{person.name}（{person.position}）"


def _responsible(demo: Demo, unit: Unit, rng: random.Random) -> Person | None:
    staff = demo.people.get(unit.pk) or []
    return rng.choice(staff[1:] or staff) if staff else None


# ── one unit, bulk ─────────────────────────────────────────────────────────


class _Unit:
    """Builds one unit's list in memory, keeping versions and history consistent."""

    def __init__(self, demo: Demo, unit: Unit, rng: random.Random):
        self.demo, self.unit, self.rng = demo, unit, rng
        self.ledger = Ledger(campaign=demo.campaign, unit=unit, state=LedgerState.DRAFT)
        self.problems: list[Problem] = []
        self.measures: dict[int, list[Measure]] = {}  # by problem position
        demo.ledgers.append(self.ledger)

    def event(self, action: str, frm: str, to: str, at: dt.datetime, problem=None, measure=None, comment=""):
        self.demo.events.append(
            LedgerEvent(
                ledger=self.ledger, problem=problem, measure=measure, action=action, from_state=frm, to_state=to,
                comment=comment, at=at,
            )
        )  # fmt: skip

    def write_problems(self) -> None:
        demo, rng, unit = self.demo, self.rng, self.unit
        catalogue = ITEMS[flavour(unit)]
        for order, (category, symptom, text, measures) in enumerate(
            rng.sample(catalogue, rng.randint(2, min(6, len(catalogue)))), start=1
        ):
            kind = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
            detail, held = _source_detail(demo, unit, kind, rng)
            problem = Problem(
                ledger=self.ledger, unit=unit, order=order, category=demo.categories[category],
                symptom=demo.symptoms.get(symptom), source=demo.sources[kind], source_detail=detail,
                description=text, found_on=held or _between(rng, demo.day(9, 1), demo.day(9, 8)),
            )  # fmt: skip
            problem.search_bigrams = problem_bigrams(problem)
            problem.import_key = problem_import_key(problem)
            self.problems.append(problem)
            demo.problems.append(problem)
            demo.benchmark_links.append((problem, rng.sample(demo.benchmarks, rng.randint(1, 2))))
            chosen = measures[: rng.randint(1, len(measures))]
            self.measures[order] = [self._measure(problem, m_order, *m) for m_order, m in enumerate(chosen, start=1)]

    def _measure(self, problem: Problem, order: int, text: str, standard: str) -> Measure:
        demo, rng = self.demo, self.rng
        person = _responsible(demo, self.unit, rng)
        ongoing = rng.random() < 0.12
        measure = Measure(
            problem=problem, unit=self.unit, campaign=demo.campaign, order=order, text=text, standard=standard,
            responsible_leader=_leader_of(demo, self.unit, rng), responsible_unit=self.unit,
            responsible_person=person, responsible_name=person.name if person else "",
            starts_on=_between(rng, demo.day(9, 16), demo.day(9, 30)), is_ongoing=ongoing,
            deadline=None if ongoing else _between(rng, demo.day(10, 15), demo.day(12, 31)),
            key_area=rng.choice(demo.key_areas) if demo.key_areas and rng.random() < 0.3 else None,
        )  # fmt: skip
        measure.search_bigrams = measure_bigrams(measure)
        demo.measures.append(measure)
        return measure

    # the list's journey
    def submit(self, day: dt.date) -> None:
        at = self.demo.at(day, self.rng)
        frm = self.ledger.state
        self.ledger.state, self.ledger.submitted_at = LedgerState.SUBMITTED, at
        self.ledger.first_submitted_at = self.ledger.first_submitted_at or at
        self.ledger.version += 1
        for problem in self.problems:
            if problem.review == ItemReview.RETURNED:
                problem.review = ItemReview.PENDING
        self.event("ledger.submit", frm, LedgerState.SUBMITTED, at)

    def review(self, day: dt.date, returned: set[int] = frozenset()) -> None:
        """Decide every pending item; `returned` holds the positions sent back."""
        at = self.demo.at(day, self.rng)
        notes = []
        for position, problem in enumerate(self.problems, start=1):
            if problem.review != ItemReview.PENDING:
                continue
            decision = ItemReview.RETURNED if position in returned else ItemReview.APPROVED
            comment = self.rng.choice(RETURN_COMMENTS) if decision == ItemReview.RETURNED else ""
            problem.review, problem.review_comment = decision, comment
            problem.version += 1
            self.event(f"problem.{decision}", ItemReview.PENDING, decision, at, problem=problem, comment=comment)
            if decision == ItemReview.RETURNED:
                notes.append(f"第{problem.order}项：{comment}")
                continue
            for measure in self.measures[position]:
                measure.state = MeasureState.IN_PROGRESS
                measure.version += 1
                self.event("ledger.review", MeasureState.PLANNED, MeasureState.IN_PROGRESS, at, problem, measure)
        to = LedgerState.RETURNED if notes else LedgerState.APPROVED
        self.ledger.state = to
        self.ledger.version += 1
        if to == LedgerState.APPROVED:
            self.ledger.approved_at = at
        self.event("ledger.review", LedgerState.SUBMITTED, to, at, comment="\n".join(notes))

    def carry_out(self, since: dt.date, force_close_request: bool = False) -> None:
        for measures in self.measures.values():
            for measure in measures:
                if measure.state == MeasureState.IN_PROGRESS:
                    _carry_out(self, measure, since, force_close_request)
                    force_close_request = False


def _carry_out(owner: _Unit, measure: Measure, since: dt.date, force_close_request: bool) -> None:
    """Progress, close-out request or close for one measure, with dates that give the intended light."""
    demo, rng = owner.demo, owner.rng
    today = demo.today
    first_report = max(since, measure.starts_on) + dt.timedelta(days=5)
    roll = 0.0 if force_close_request else rng.random()
    if roll < 0.06 and first_report < today:
        measure.percent = rng.choice([60, 70, 80])
        _reports(owner, measure, first_report, today - dt.timedelta(days=3))
        _close_request(owner, measure, today - dt.timedelta(days=rng.randint(0, 2)))
    elif roll < 0.2 and first_report + dt.timedelta(days=10) < today:
        measure.percent = rng.choice([50, 60, 80])
        requested = _between(rng, first_report + dt.timedelta(days=7), today - dt.timedelta(days=3))
        _reports(owner, measure, first_report, requested - dt.timedelta(days=2))
        _close_request(owner, measure, requested)
        closed = min(today, requested + dt.timedelta(days=rng.randint(1, 3)))
        measure.state, measure.closed_on, measure.version = MeasureState.CLOSED, closed, measure.version + 1
        owner.event("measure.close", MeasureState.CLOSE_REQUESTED, MeasureState.CLOSED, demo.at(closed, rng),
                    measure.problem, measure, comment="经核实，整改到位，同意销号。")  # fmt: skip
    else:
        _in_progress(owner, measure, first_report)
    measure.light = lights.measure_light(measure, today=today)


def _in_progress(owner: _Unit, measure: Measure, first_report: dt.date) -> None:
    demo, rng, today = owner.demo, owner.rng, owner.demo.today
    target = rng.choices(["green", "yellow", "red"], weights=[55, 25, 20])[0]
    if measure.is_ongoing:
        ago = {"green": (3, 25), "yellow": (35, 55), "red": (65, 80)}[target]
        last = today - dt.timedelta(days=rng.randint(*ago))
        measure.percent = rng.choice([30, 40, 50, 60])
        _reports(owner, measure, first_report, last)
        return
    if target == "red" and rng.random() < 0.5 and first_report < today - dt.timedelta(days=1):
        measure.deadline = max(measure.starts_on, _between(rng, demo.day(10, 8), today - dt.timedelta(days=1)))
        percent = rng.randint(40, 85)
    else:
        if target == "yellow" and rng.random() < 0.4:
            measure.deadline = today + dt.timedelta(days=rng.randint(2, 6))
        elif measure.deadline <= today + dt.timedelta(days=7):
            measure.deadline = today + dt.timedelta(days=rng.randint(10, 45))
        planned = lights.planned_percent(starts_on=measure.starts_on, deadline=measure.deadline, today=today)
        behind = {"green": -rng.randint(0, 8), "yellow": rng.randint(12, 25), "red": rng.randint(35, 50)}[target]
        percent = planned - behind
    measure.deadline = max(measure.deadline, measure.starts_on)
    measure.percent = max(0, min(95, int(percent) // 5 * 5))
    _reports(owner, measure, first_report, today - dt.timedelta(days=rng.randint(0, 6)))


def _reports(owner: _Unit, measure: Measure, start: dt.date, last: dt.date) -> None:
    """1–3 progress reports between `start` and `last`, rising to the measure's percent."""
    demo, rng = owner.demo, owner.rng
    last = min(last, demo.today)
    if measure.percent == 0 or last < start:
        measure.percent = 0 if last < start else measure.percent
        return
    count = rng.randint(1, 3)
    days = sorted({_between(rng, start, last) for _ in range(count - 1)} | {last})
    for n, day in enumerate(days, start=1):
        percent = measure.percent * n // len(days) // 5 * 5 or 5
        if n == len(days):
            percent = measure.percent
        demo.updates.append(ProgressUpdate(measure=measure, reported_on=day, text=rng.choice(PROGRESS_TEXTS),
                                           percent=percent))  # fmt: skip
        measure.version += 1
        owner.event("measure.report_progress", measure.state, measure.state, demo.at(day, rng), measure.problem,
                    measure, comment=f"{percent}% {demo.updates[-1].text}")  # fmt: skip
    measure.last_progress_on = days[-1]


def _close_request(owner: _Unit, measure: Measure, day: dt.date) -> None:
    demo, rng = owner.demo, owner.rng
    text = rng.choice(CLOSE_TEXTS)
    update = ProgressUpdate(measure=measure, kind=ProgressKind.CLOSE_REQUEST, reported_on=day, text=text, percent=100)
    demo.updates.append(update)
    if rng.random() < 0.7:
        name, kind, content = "整改佐证材料.pdf", "application/pdf", demo_pdf(f"演示佐证材料 {owner.unit.display_name}")
    else:
        name, kind, content = "整改现场照片.png", "image/png", demo_png()
    evidence = Evidence(measure=measure, progress=update, original_name=name, content_type=kind, size=len(content))
    demo.evidence.append((evidence, content))
    measure.percent, measure.last_progress_on = 100, day
    measure.state, measure.version = MeasureState.CLOSE_REQUESTED, measure.version + 1
    owner.event("measure.request_close", MeasureState.IN_PROGRESS, MeasureState.CLOSE_REQUESTED, demo.at(day, rng),
                measure.problem, measure, comment=text)  # fmt: skip


def build_unit(demo: Demo, unit: Unit, plan: str, rng: random.Random) -> None:
    """One unit's list following `plan`: draft / submitted / returned / approved / closing."""
    owner = _Unit(demo, unit, rng)
    owner.write_problems()
    if plan == "draft":
        return
    late = rng.random() < 0.2
    first = _between(rng, demo.day(9, 16), demo.day(9, 26)) if late else _between(rng, demo.day(9, 8), demo.day(9, 15))
    owner.submit(first)
    bounced = plan == "returned" or (plan in ("submitted", "approved") and rng.random() < 0.25)
    if bounced:
        owner.review(first + dt.timedelta(days=2), returned={rng.randint(1, len(owner.problems))})
    if plan == "returned":
        owner.carry_out(first + dt.timedelta(days=2))
        return
    again = first + dt.timedelta(days=rng.randint(4, 6)) if bounced else first
    if bounced:
        owner.submit(again)
    if plan == "submitted":
        owner.carry_out(first + dt.timedelta(days=2))
        return
    approved = again + dt.timedelta(days=rng.randint(1, 3))
    owner.review(approved)
    owner.carry_out(approved, force_close_request=plan == "closing")


def save_bulk(demo: Demo) -> None:
    """Insert what the builders made, parents first (both databases return new ids)."""
    Ledger.objects.bulk_create(demo.ledgers, batch_size=500)
    Problem.objects.bulk_create(demo.problems, batch_size=500)
    through = Problem.benchmarks.through
    through.objects.bulk_create(
        [through(problem_id=p.pk, benchmark_id=b.pk) for p, marks in demo.benchmark_links for b in marks],
        batch_size=1000,
    )
    Measure.objects.bulk_create(demo.measures, batch_size=500)
    ProgressUpdate.objects.bulk_create(demo.updates, batch_size=1000)
    storage = private_storage()
    rows = []
    for evidence, content in demo.evidence:
        day = evidence.progress.reported_on
        suffix = "pdf" if evidence.content_type == "application/pdf" else "png"
        evidence.file.name = storage.save(
            f"evidence/{day:%Y}/{day:%m}/{uuid.uuid4().hex}.{suffix}", ContentFile(content)
        )
        evidence.sha256 = hashlib.sha256(content).hexdigest()
        rows.append(evidence)
    Evidence.objects.bulk_create(rows, batch_size=500)
    LedgerEvent.objects.bulk_create(demo.events, batch_size=1000)


# ── the two units the demo accounts work in, through the real services ─────


def _upload(name: str, content: bytes, kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


def _moment(demo: Demo, month: int, day: int, hour: int = 10) -> dt.datetime:
    return min(timezone.make_aware(dt.datetime.combine(demo.day(month, day), dt.time(hour))), demo.now)


def _fill(demo: Demo, *, actor, unit: Unit, picks: list[int], rng: random.Random) -> Ledger:
    ledger = ledger_get_or_create(actor=actor, unit=unit, campaign=demo.campaign)
    for pick in picks:
        category, symptom, text, measures = ITEMS[flavour(unit)][pick]
        kind = list(SOURCE_WEIGHTS)[pick % 4]
        detail, held = _source_detail(demo, unit, kind, rng)
        problem = problem_create(
            actor=actor, ledger=ledger, category=demo.categories[category], symptom=demo.symptoms.get(symptom),
            source=demo.sources[kind], source_detail=detail, description=text,
            found_on=held or demo.day(9, 3 + pick), benchmarks=demo.benchmarks[pick % len(demo.benchmarks) :][:1],
        )  # fmt: skip
        for m_text, standard in measures:
            person = _responsible(demo, unit, rng)
            measure_create(
                actor=actor, problem=problem, text=m_text, standard=standard,
                responsible_leader=_leader_of(demo, unit, rng), responsible_unit=unit, responsible_person=person,
                starts_on=demo.day(9, 17), deadline=demo.day(12, 20) if pick % 3 else None, is_ongoing=not pick % 3,
            )  # fmt: skip
    return ledger


def build_with_services(demo: Demo, finance: Unit, budget: Unit) -> None:
    """区财政局 (leader edits, office reviews) and its 预算科 (clerk edits, leader reviews)."""
    leader, clerk = User.objects.get(username="leader"), User.objects.get(username="clerk")
    office = User.objects.filter(username="office").first()
    rng = random.Random("demo-ledgers:services")  # noqa: S311 - demo data
    made = []
    if not Ledger.objects.filter(campaign=demo.campaign, unit=budget).exists():
        made.append(_services_budget(demo, budget, leader=leader, clerk=clerk, rng=rng))
    if office is not None and not Ledger.objects.filter(campaign=demo.campaign, unit=finance).exists():
        made.append(_services_finance(demo, finance, leader=leader, office=office, rng=rng))
    # The services lit each measure on its (frozen) event day; light them for today.
    for measure in Measure.objects.filter(problem__ledger__in=made):
        lights.measure_refresh_light(measure=measure, today=demo.today)


def _services_budget(demo: Demo, budget: Unit, *, leader, clerk, rng) -> Ledger:
    """预算科: the clerk fills and submits; the leader approves two items and returns one."""
    with clock.frozen(_moment(demo, 9, 6)):
        ledger = _fill(demo, actor=clerk, unit=budget, picks=[1, 3, 6], rng=rng)
    with clock.frozen(_moment(demo, 9, 12, 16)):
        ledger_submit(actor=clerk, ledger=ledger)
    first, second, third = ledger.problems.order_by("order")
    with clock.frozen(_moment(demo, 9, 14, 11)):
        ledger_review(actor=leader, ledger=ledger, decisions={
            first.pk: (ItemReview.APPROVED, ""), second.pk: (ItemReview.RETURNED, RETURN_COMMENTS[0]),
            third.pk: (ItemReview.APPROVED, "措施可行，请抓好落实。"),
        })  # fmt: skip
    measure = first.measures.order_by("order").first()
    with clock.frozen(_moment(demo, 10, 20, 15)):
        progress_report(actor=clerk, measure=measure, reported_on=clock.today(), text=PROGRESS_TEXTS[1], percent=40)
    return ledger


def _services_finance(demo: Demo, finance: Unit, *, leader, office, rng) -> Ledger:
    """区财政局: the leader fills and submits; the office approves, closes two measures and reopens one."""
    with clock.frozen(_moment(demo, 9, 5)):
        ledger = _fill(demo, actor=leader, unit=finance, picks=[0, 2, 5], rng=rng)
    with clock.frozen(_moment(demo, 9, 13, 17)):
        ledger_submit(actor=leader, ledger=ledger)
    with clock.frozen(_moment(demo, 9, 15, 9)):
        ledger_review(
            actor=office, ledger=ledger, decisions={p.pk: (ItemReview.APPROVED, "") for p in ledger.problems.all()}
        )
    closing, reopened = list(Measure.objects.filter(problem__ledger=ledger).order_by("problem__order", "order"))[:2]
    pdf = demo_pdf("演示佐证材料 区财政局")
    for measure, requested, closed in ((closing, (10, 22), (10, 26)), (reopened, (10, 12), (10, 15))):
        with clock.frozen(_moment(demo, requested[0], requested[1] - 2)):
            progress_report(
                actor=leader, measure=measure, reported_on=clock.today(), text=PROGRESS_TEXTS[3], percent=80
            )
        with clock.frozen(_moment(demo, *requested)):
            closeout_request(actor=leader, measure=measure, text=CLOSE_TEXTS[0],
                             files=[_upload("整改佐证材料.pdf", pdf, "application/pdf")])  # fmt: skip
        with clock.frozen(_moment(demo, *closed)):
            closeout_decide(actor=office, measure=measure, approve=True, comment="经核实，整改到位，同意销号。")
    with clock.frozen(_moment(demo, 11, 5)):
        measure_reopen(
            actor=office,
            measure=reopened,
            reason="区作风办督查发现部分窗口仍存在要求提供兜底材料的情况，重新打开整改。",
        )
    return ledger


# ── entry point ────────────────────────────────────────────────────────────


def _context(campaign) -> Demo:
    people: dict[int, list[Person]] = {}
    for person in Person.objects.filter(is_active=True).order_by("unit_id", "order", "id"):
        people.setdefault(person.unit_id, []).append(person)
    return Demo(
        campaign=campaign,
        today=clock.today(),
        now=clock.now(),
        categories={c.key: c for c in campaign.categories.all()},
        symptoms={s.key: s for s in campaign.symptoms.all()},
        sources={s.kind: s for s in campaign.sources.all()},
        benchmarks=list(campaign.benchmarks.order_by("order")),
        key_areas=list(campaign.key_areas.order_by("order")),
        people=people,
    )


def _counts(campaign) -> dict[str, int]:
    return {
        "整改清单": Ledger.objects.filter(campaign=campaign).count(),
        "问题": Problem.objects.filter(ledger__campaign=campaign).count(),
        "措施": Measure.objects.filter(campaign=campaign).count(),
        "进展报告": ProgressUpdate.objects.filter(measure__campaign=campaign).count(),
        "佐证材料": Evidence.objects.filter(measure__campaign=campaign).count(),
    }


def plan_for(unit: Unit, rng: random.Random) -> str:
    return FORCED.get(unit.code) or rng.choices(list(PLAN_WEIGHTS), weights=list(PLAN_WEIGHTS.values()))[0]


@transaction.atomic
def demo_ledgers(*, campaign) -> dict[str, int]:
    """Write the demo lists; return what was created (all zero on a second run)."""
    demo = _context(campaign)
    codes = [spec.code for spec in unit_specs()]
    units = [u for u in Unit.objects.filter(code__in=codes, is_active=True).select_related("parent") if u.in_scope]
    taken = set(Ledger.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    by_code = {u.code: u for u in units}
    for unit in sorted(units, key=lambda u: u.sort_key):
        if unit.pk in taken or unit.code in (FINANCE, BUDGET):
            continue
        rng = random.Random(f"demo-ledgers:{unit.code}")  # noqa: S311 - demo data, not secrets
        plan = plan_for(unit, rng)
        if plan != "none":
            build_unit(demo, unit, plan, rng)
    before = _counts(campaign)
    save_bulk(demo)
    if FINANCE in by_code and BUDGET in by_code and User.objects.filter(username__in=["leader", "clerk"]).count() == 2:
        build_with_services(demo, by_code[FINANCE], by_code[BUDGET])
    after = _counts(campaign)
    created = {label: after[label] - before[label] for label in after}
    if any(created.values()):
        audit_record(actor=None, action="rectification.demo_ledgers", after=created, detail="生成演示整改清单")
    return created


def demo_summary(*, campaign) -> str:
    from django.db.models import Count

    states = dict(Ledger.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("id")))
    lit = dict(Measure.objects.filter(campaign=campaign).values_list("light").annotate(n=Count("id")))
    parts = [f"{LedgerState(s).label} {states.get(s, 0)}" for s in LedgerState.values]
    colours = [f"{Light(c).label} {lit.get(c, 0)}" for c in Light.values]
    return f"整改清单：{'，'.join(parts)}\n整改措施亮灯：{'，'.join(colours)}"
