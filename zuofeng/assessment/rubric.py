"""The assessment section of a campaign definition, read from the campaign's stored definition.

A run keeps its own copy (`AssessmentRun.rubric`), so a reloaded definition changes the next
computation, never a snapshot already made.
"""

from django.db.models import Q

from zuofeng.campaigns.models import Campaign
from zuofeng.campaigns.schema import AssessmentDef, RankingDef, RubricDef
from zuofeng.organisation.models import Unit


class NoRubric(Exception):
    """The campaign's definition has no assessment section."""


def campaign_rubric(campaign: Campaign) -> AssessmentDef:
    raw = (campaign.definition or {}).get("assessment")
    if not raw:
        raise NoRubric("本活动的定义文件中没有年终考核细则（assessment），请作风办补充后重新载入")
    return AssessmentDef.model_validate(raw)


def run_rubric(raw: dict) -> AssessmentDef:
    return AssessmentDef.model_validate(raw)


def rubric_for(definition: AssessmentDef, ranking_key: str) -> RubricDef:
    ranking = next(r for r in definition.rankings if r.key == ranking_key)
    return next(r for r in definition.rubrics if r.key == ranking.rubric)


def ranking_of(definition: AssessmentDef, kind: str) -> RankingDef | None:
    return next((r for r in definition.rankings if kind in r.unit_kinds), None)


def assessed_units(definition: AssessmentDef) -> list[tuple[Unit, RankingDef]]:
    """Top-level active units of a ranked kind, in official order; each answers for its whole subtree."""
    kinds = [kind for r in definition.rankings for kind in r.unit_kinds]
    units = (
        Unit.objects.filter(parent__isnull=True, is_active=True, kind__in=kinds)
        .exclude(Q(code__in=definition.exclude_unit_codes))
        .order_by("sort_key")
    )
    return [(unit, ranking_of(definition, unit.kind)) for unit in units]
