"""Campaign definitions (专项活动): readable by every role."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.http import Http404
from ninja import Router

from zuofeng.api.access import require
from zuofeng.api.schemas.campaigns import CampaignDetailOut, CampaignOut
from zuofeng.api.schemas.common import with_errors
from zuofeng.campaigns.models import (
    Award,
    Benchmark,
    Campaign,
    KeyArea,
    MainTask,
    Milestone,
    ObstructionCategory,
    Phase,
    ProblemSource,
    Symptom,
)
from zuofeng.campaigns.selectors import campaign_current

router = Router(tags=["专项活动"])


def _campaigns():
    current = campaign_current()
    is_current = Q(pk__in=[current.pk] if current else [])
    return Campaign.objects.annotate(is_current=ExpressionWrapper(is_current, output_field=BooleanField()))


@router.get(
    "/campaigns",
    response=with_errors(list[CampaignOut]),
    summary="专项活动列表",
    description="按年度倒序。",
)
def campaigns(request):
    require(request.auth, "campaign.view")
    return list(_campaigns().order_by("-year", "slug"))


@router.get(
    "/campaigns/{slug}",
    response=with_errors(CampaignDetailOut),
    summary="专项活动详情",
    description="活动的阶段、时间节点、中梗阻类别及表现、对照内容、问题来源、主要任务、攻坚重点、奖项（含名额和申报表）。"
    "只列出有效条目。",
)
def campaign_detail(request, slug: str):
    require(request.auth, "campaign.view")
    active = {"is_active": True}
    campaign = (
        _campaigns()
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("phases", Phase.objects.filter(**active)),
            Prefetch(
                "milestones", Milestone.objects.filter(**active).select_related("phase").order_by("due_on", "order")
            ),
            Prefetch(
                "categories",
                ObstructionCategory.objects.filter(**active).prefetch_related(
                    Prefetch("symptoms", Symptom.objects.filter(**active))
                ),
            ),
            Prefetch("benchmarks", Benchmark.objects.filter(**active)),
            Prefetch("sources", ProblemSource.objects.filter(**active)),
            Prefetch("tasks", MainTask.objects.filter(**active)),
            Prefetch("key_areas", KeyArea.objects.filter(**active)),
            Prefetch("awards", Award.objects.filter(**active)),
        )
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign
