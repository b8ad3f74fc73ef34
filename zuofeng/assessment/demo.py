"""Demo data for 年终考核 and 系统性问题 (`manage.py demo_assessment`, after demo_ledgers).

Forty-odd units across the district each list, in their own words, that approvals have too many
steps and ask for the same papers again (审批环节多、材料重复提交): the problem the 系统性问题 page
exists for. A few year-end outcomes the other demos leave open are added so every computed item has
something to show: 纸面销号 found on a 回头看, an accountability decision, 活动信息 adopted into a 简报.
Then one clustering and one score snapshot (as of today) are computed, as the office would. A second
run changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from zuofeng.accounts.models import Role, User
from zuofeng.assessment.models import AssessmentRun, ClusterRun
from zuofeng.campaigns.models import Campaign, ObstructionCategory, ProblemSource, Symptom
from zuofeng.core import clock
from zuofeng.rectification.models import Ledger, Problem
from zuofeng.rectification.services.ledger import problem_import_key
from zuofeng.rectification.services.search import problem_bigrams

DETAIL = "企业座谈会上企业反映（作风办汇总）"
UNITS = 43
WORDINGS = [
    "审批环节多，企业办事需要重复提交材料",
    "审批环节过多，材料重复提交现象仍然存在",
    "行政审批环节繁琐，群众反映材料需多次重复提交",
    "部分审批事项环节多、材料多，重复提交问题突出",
    "审批流程环节多，同一材料在不同科室重复提交",
    "项目审批环节较多，企业需重复提供相同材料",
    "审批环节多、要件多，办事群众反复提交材料",
    "审批材料重复提交，审批环节未能有效精简",
    "涉企审批环节偏多，申报材料重复报送",
    "审批链条长、环节多，办事材料多次重复递交",
    "审批事项办理环节多，材料重复提交，企业意见较大",
]


@dataclass
class DemoResult:
    problems: int = 0
    outcomes: int = 0
    cluster_run: ClusterRun | None = None
    assessment_run: AssessmentRun | None = None


def demo_assessment_build() -> DemoResult:
    campaign = Campaign.objects.filter(is_default=True).first()
    office = User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).order_by("id").first()
    result = DemoResult()
    if campaign is None or office is None:
        return result
    result.problems = _seed_problems(campaign)
    result.outcomes = _seed_outcomes(campaign, office)
    from zuofeng.assessment.services.clusters import cluster_run_execute, cluster_run_request
    from zuofeng.assessment.services.scores import run_execute, run_request

    # The work is done here and now, not left to a worker the demo may not start; the queued task
    # then finds nothing to claim (core/jobs.job_claim) when a worker does run.
    if not ClusterRun.objects.filter(campaign=campaign).exists():
        result.cluster_run = cluster_run_request(actor=office, campaign=campaign)
        cluster_run_execute(run_id=result.cluster_run.pk)
    if not AssessmentRun.objects.filter(campaign=campaign).exists() and "assessment" in (campaign.definition or {}):
        result.assessment_run = run_request(actor=office, campaign=campaign, cutoff=clock.today())
        run_execute(run_id=result.assessment_run.pk)
    return result


@transaction.atomic
def _seed_problems(campaign: Campaign) -> int:
    if Problem.objects.filter(ledger__campaign=campaign, source_detail=DETAIL).exists():
        return 0
    category = ObstructionCategory.objects.filter(campaign=campaign, key="execution").first()
    symptom = Symptom.objects.filter(campaign=campaign, key="execution-12").first()
    source = ProblemSource.objects.filter(campaign=campaign, kind="public").first()
    if category is None or source is None:
        return 0
    # one list in each of many top-level units (their first list in official order), so the cluster
    # spans the district rather than one unit's sections
    chosen, tops = [], set()
    for ledger in Ledger.objects.filter(campaign=campaign).select_related("unit").order_by("unit__sort_key"):
        top = ledger.unit.path.strip("/").split("/")[0]
        if top not in tops:
            tops.add(top)
            chosen.append(ledger)
        if len(chosen) == UNITS:
            break
    problems = []
    for i, ledger in enumerate(chosen):
        problem = Problem(
            ledger=ledger,
            unit=ledger.unit,
            order=ledger.problems.count() + 1,
            category=category,
            symptom=symptom,
            source=source,
            source_detail=DETAIL,
            description=WORDINGS[i % len(WORDINGS)],
            found_on=clock.today(),
        )
        problem.search_bigrams = problem_bigrams(problem)
        problem.import_key = problem_import_key(problem)
        problems.append(problem)
    Problem.objects.bulk_create(problems)
    return len(problems)


OUTCOMES = "年终回头看（演示）"


@transaction.atomic
def _seed_outcomes(campaign: Campaign, office: User) -> int:
    """Records the year-end items read: two 纸面销号, a decided case, adopted 活动信息 (once)."""
    from zuofeng.notices.models import InfoItem, InfoState
    from zuofeng.organisation.models import Unit
    from zuofeng.rectification.models import Measure, MeasureState
    from zuofeng.supervision.models import (
        AccountabilityCase,
        CaseOrigin,
        CaseState,
        RecheckItem,
        RecheckSample,
        Severity,
        Verdict,
    )

    if RecheckSample.objects.filter(campaign=campaign, name=OUTCOMES).exists():
        return 0
    now, today = clock.now(), clock.today()
    # measures of assessed units (作风办 D00 itself is not ranked)
    closed = list(
        Measure.objects.filter(campaign=campaign, state=MeasureState.CLOSED)
        .exclude(unit__code__startswith="D00")
        .order_by("id")[:2]
    )
    sample = RecheckSample.objects.create(
        campaign=campaign, name=OUTCOMES, scope="district", size=len(closed), seed=2018, created_by=office
    )
    for measure in closed:
        RecheckItem.objects.create(
            sample=sample,
            measure=measure,
            unit=measure.unit,
            verdict=Verdict.NOT_FIXED,
            checked_by=office,
            checked_at=now,
        )
    count = len(closed)
    towns = list(Unit.objects.filter(parent__isnull=True, is_active=True, kind="town").order_by("sort_key")[:3])
    if towns:
        AccountabilityCase.objects.create(
            campaign=campaign,
            unit=towns[0],
            origin=CaseOrigin.OTHER,
            facts="窗口工作人员多次推诿，群众反复跑腿",
            degree=Severity.SERIOUS,
            measure="circular",
            state=CaseState.DECIDED,
            decided_on=today,
            deciding_body="区作风建设领导小组",
            created_by=office,
        )
        count += 1
    for i, unit in enumerate(towns):
        for n in range(3 - i):
            InfoItem.objects.create(
                campaign=campaign,
                unit=unit,
                title=f"{unit.name}开展作风效能专项活动（{n + 1}）",
                text="结合实际开展对标找差、岗位建功活动。",
                happened_on=today,
                state=InfoState.ADOPTED,
                reported_by=office,
                reported_at=now,
                decided_by=office,
                decided_at=now,
            )
            count += 1
    return count
