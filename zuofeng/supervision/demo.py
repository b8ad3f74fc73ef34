"""Demo 督查问责 data for the demo district: one round over 区财政局预算科 and a seeded draw, with findings
(one confirmed into the list), and a 回头看 over closed measures. Idempotent: nothing is added twice."""

import datetime as dt
from dataclasses import dataclass

from zuofeng.accounts.models import Role, User
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import MeasureState
from zuofeng.supervision.models import FindingState, InspectionRound, RecheckSample, Severity
from zuofeng.supervision.services.findings import finding_record
from zuofeng.supervision.services.rechecks import recheck_create
from zuofeng.supervision.services.rounds import round_create, sample_units
from zuofeng.supervision.workflow import finding_transition

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
    return result
