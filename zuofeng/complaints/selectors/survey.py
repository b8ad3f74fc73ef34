"""满意度测评 results: per unit, counted answers only, published from the period's minimum count up.

`survey_unit_scores(period)` is what the year-end assessment reads for its satisfaction item: a unit's
share (%) of 满意 and 基本满意 over all items, only for units at or above the minimum count."""

import dataclasses
from collections import defaultdict

from django.db.models import Count, Q

from zuofeng.complaints.models import Rating, ResponseStatus, SurveyPeriod, SurveyResponse
from zuofeng.organisation.selectors import unit_qualified_names

GOOD = (Rating.SATISFIED, Rating.BASICALLY)


@dataclasses.dataclass
class UnitResult:
    unit_id: int
    name: str
    counted: int
    set_aside: int
    items: dict  # item → % 满意 + 基本满意
    overall: float | None
    published: bool


def survey_results(period: SurveyPeriod, until=None) -> list[UnitResult]:
    """Per unit results of a period; with `until` (a datetime), only the answers submitted by then."""
    responses = SurveyResponse.objects.filter(period=period)
    if until is not None:
        responses = responses.filter(submitted_at__lte=until)
    counts = responses.values("unit").annotate(
        counted=Count("pk", filter=Q(status=ResponseStatus.COUNTED)),
        set_aside=Count("pk", filter=Q(status=ResponseStatus.SET_ASIDE)),
    )
    good: dict = defaultdict(lambda: defaultdict(int))
    for unit_id, scores in responses.filter(status=ResponseStatus.COUNTED).values_list("unit", "scores"):
        for item, rating in scores.items():
            good[unit_id][item] += rating in GOOD
    names = unit_qualified_names(ids=[c["unit"] for c in counts]) if counts else {}
    results = []
    for c in counts:
        n, published = c["counted"], c["counted"] >= period.min_responses
        items = {item: round(100 * good[c["unit"]][item] / n, 1) for item in period.items} if n else {}
        overall = round(sum(items.values()) / len(items), 1) if items else None
        results.append(UnitResult(c["unit"], names.get(c["unit"], ""), n, c["set_aside"], items, overall, published))
    return sorted(results, key=lambda r: r.name)


def survey_unit_scores(period: SurveyPeriod) -> dict[int, float]:
    return {r.unit_id: r.overall for r in survey_results(period) if r.published and r.overall is not None}


def survey_published_until(*, campaign, until) -> dict[int, tuple[SurveyPeriod, UnitResult]]:
    """Each unit's newest published result (at or above the period's minimum count) among the campaign's
    periods opened by `until` (a datetime), counting answers submitted by then: the year-end reading."""
    found: dict[int, tuple[SurveyPeriod, UnitResult]] = {}
    for period in SurveyPeriod.objects.filter(campaign=campaign, created_at__lte=until).order_by("created_at", "id"):
        for result in survey_results(period, until=until):
            if result.published and result.overall is not None:
                found[result.unit_id] = (period, result)
    return found


def survey_latest_published():
    """The newest period with results to show on the public statistics page."""
    period = SurveyPeriod.objects.order_by("-created_at", "-id").first()
    if period is None:
        return None, []
    return period, [r for r in survey_results(period) if r.published]
