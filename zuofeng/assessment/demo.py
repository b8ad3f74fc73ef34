"""Demo data for 年终考核 and 系统性问题 (`manage.py demo_assessment`, after demo_ledgers).

Forty-odd units across the district each list, in their own words, that approvals have too many
steps and ask for the same papers again (审批环节多、材料重复提交): the problem the 系统性问题 page
exists for. Then one clustering and one score snapshot (as of today) are computed, as the office
would. A second run changes nothing.
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
    cluster_run: ClusterRun | None = None
    assessment_run: AssessmentRun | None = None


def demo_assessment_build() -> DemoResult:
    campaign = Campaign.objects.filter(is_default=True).first()
    office = User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).order_by("id").first()
    result = DemoResult()
    if campaign is None or office is None:
        return result
    result.problems = _seed_problems(campaign)
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
