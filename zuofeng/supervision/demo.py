"""Demo 督查问责 data for the demo district: one round over 区财政局预算科 and a seeded draw, with findings
(one confirmed into the list), a 回头看 over closed measures, 区财政局's 财政 line to each town's 经济发展局,
an accountability case and 区财政局's 自查自纠 report. Idempotent: nothing is added twice."""

import datetime as dt
from dataclasses import dataclass

from zuofeng.accounts.models import Role, User
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.models import MeasureState
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.models import (
    AccountabilityCase,
    CaseOrigin,
    Finding,
    FindingState,
    InspectionRound,
    LineLink,
    RecheckSample,
    ReportState,
    SelfInspectionReport,
    Severity,
)
from zuofeng.supervision.services.cases import case_open
from zuofeng.supervision.services.findings import finding_record
from zuofeng.supervision.services.lines import line_links_import
from zuofeng.supervision.services.rechecks import recheck_create
from zuofeng.supervision.services.rounds import round_create, sample_units
from zuofeng.supervision.services.self_inspection import report_get_or_start, report_save
from zuofeng.supervision.workflow import finding_transition, report_transition

ROUND_NAME = "2018年第一轮专项督查（找差整改）"
RECHECK_NAME = "已销号措施回头看（第一批）"
SEED = 20181008
FINDINGS = [
    ("responsibility", Severity.SERIOUS, "窗口对材料不全的办事群众未一次性告知所缺材料，群众反映跑了两趟。"),
    ("thinking", Severity.GENERAL, "整改清单中两项措施无完成时限，未逐项列表。"),
    ("execution", Severity.GRAVE, "已销号的“限时办结”措施无任何佐证材料。"),
]


@dataclass
class DemoResult:
    round_created: bool = False
    findings: int = 0
    confirmed: int = 0
    recheck_items: int = 0
    line_links: int = 0
    case: bool = False
    report: bool = False


def demo_supervision_build() -> DemoResult | None:
    campaign = campaign_current()
    office = User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).order_by("id").first()
    inspector = User.objects.filter(username="inspector").first() or (
        User.objects.filter(role_assignments__role=Role.INSPECTOR, is_active=True).order_by("id").first()
    )
    budget = Unit.objects.filter(code="D20S02").first()
    if campaign is None or office is None or inspector is None or budget is None:
        return None
    result = DemoResult()
    today = clock.today()
    round_ = InspectionRound.objects.filter(name=ROUND_NAME, campaign=campaign).first()
    if round_ is None:
        units = [budget, *[u for u in sample_units(seed=SEED, per_kind=1) if u.pk != budget.pk]]
        round_ = round_create(
            actor=office,
            campaign=campaign,
            name=ROUND_NAME,
            focus="rectify",
            starts_on=today - dt.timedelta(days=3),
            ends_on=today + dt.timedelta(days=4),
            team=[inspector],
            units=units,
        )
        result.round_created = True
        categories = {c.key: c for c in campaign.categories.all()}
        default = next(iter(categories.values()))
        for number, (key, severity, text) in enumerate(FINDINGS):
            finding = finding_record(
                actor=inspector,
                round=round_,
                unit=budget,
                category=categories.get(key, default),
                severity=severity,
                text=text,
                found_on=today - dt.timedelta(days=2),
                checklist={"listed": "yes" if number else "no", "evidence": "no" if number == 2 else "yes"},
            )
            result.findings += 1
            if number == 0:
                finding_transition(actor=office, finding=finding, to=FindingState.CONFIRMED)
                result.confirmed += 1
    if not RecheckSample.objects.filter(name=RECHECK_NAME, campaign=campaign).exists():
        from zuofeng.rectification.models import Measure

        if Measure.objects.filter(campaign=campaign, state=MeasureState.CLOSED).exists():
            sample = recheck_create(
                actor=office,
                campaign=campaign,
                name=RECHECK_NAME,
                scope="district",
                size=10,
                seed=SEED,
                team=[inspector],
            )
            result.recheck_items = sample.items.count()
    result.line_links = _lines(office)
    result.case = _case(office, campaign, budget)
    result.report = _report(campaign)
    return result


def _lines(office) -> int:
    """区财政局 guides each town's 经济发展局 (the demo district has no 财政所 of its own)."""
    finance = Unit.objects.filter(code="D20").first()
    if finance is None or LineLink.objects.filter(department=finance).exists():
        return 0
    rows = "\n".join(f"D20,{u.code},财政" for u in Unit.objects.filter(code__regex=r"^G\d+S02$").order_by("code"))
    return line_links_import(actor=office, text=rows) if rows else 0


def _case(office, campaign, budget) -> bool:
    if AccountabilityCase.objects.filter(campaign=campaign).exists():
        return False
    person = Person.objects.filter(unit=budget).order_by("id").first()
    finding = Finding.objects.filter(unit=budget, state=FindingState.CONFIRMED).first()
    case_open(
        actor=office,
        campaign=campaign,
        unit=budget,
        person=person,
        origin=CaseOrigin.FINDING if finding else CaseOrigin.OTHER,
        finding=finding,
        facts="督查发现窗口对材料不全的群众未一次性告知，群众往返两次，造成不良影响。",
        degree=Severity.GENERAL,
    )
    return True


def _report(campaign) -> bool:
    """区财政局 has written its 自查自纠 report and reported it."""
    finance = Unit.objects.filter(code="D20").first()
    leader = User.objects.filter(username="leader").first()
    if (
        finance is None
        or leader is None
        or SelfInspectionReport.objects.filter(campaign=campaign, unit=finance).exists()
    ):
        return False
    questions = supervision_def(campaign).self_inspection.questions
    if not questions:
        return False
    report = report_get_or_start(campaign=campaign, unit=finance)
    answers = {q.key: DEMO_ANSWERS.get(q.key, "已按要求开展。") for q in questions}
    report = report_save(actor=leader, report=report, answers=answers, people_handled=2, version=report.version)
    report_transition(actor=leader, report=report, to=ReportState.SUBMITTED)
    return True


DEMO_ANSWERS = {
    "scope": "局机关各科室和直属单位，重点查资金拨付、政府采购审核两个环节，采取个别谈话、调阅台账、服务对象回访。",
    "found": "资金拨付审核环节存在层层签字、重复提交材料的问题；个别科室对基层咨询答复不及时。",
    "handling": "合并两道审核签字，材料一次提交、内部流转；建立基层咨询限时答复制度（2个工作日）。",
    "people": "对2名答复不及时的工作人员进行提醒谈话。",
}
