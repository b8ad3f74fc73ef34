"""红黄绿灯 (traffic lights) for measures, from 序时进度 (pro-rata planned progress).

planned% by today = elapsed / total days from start to deadline (working days when the
campaign says deadlines count working days). behind = planned − reported percent.
  green  — on schedule
  yellow — behind by [yellow_behind, red_behind] points, or due within due_soon_days and not closed
  red    — behind by more than red_behind points, or past the deadline and not closed
Thresholds come from the campaign definition (Campaign.settings["lights"]).
"""

import datetime as dt

from zuofeng.core import clock
from zuofeng.rectification.models import Light, Measure, MeasureState

DEFAULTS = {"yellow_behind": 10, "red_behind": 30, "due_soon_days": 7, "ongoing_report_days": 30}


def thresholds(campaign) -> dict:
    configured = (campaign.settings or {}).get("lights", {}) if campaign is not None else {}
    return {**DEFAULTS, **configured}


def _days(start: dt.date, end: dt.date, working_days: bool) -> int:
    if end <= start:
        return 0
    if not working_days:
        return (end - start).days
    from zuofeng.core.workdays import working_days_between

    return working_days_between(start, end)


def planned_percent(*, starts_on: dt.date, deadline: dt.date, today: dt.date, working_days: bool = False) -> float:
    if today <= starts_on:
        return 0.0
    if today >= deadline:
        return 100.0
    total = _days(starts_on, deadline, working_days)
    if total <= 0:
        return 100.0
    return 100.0 * _days(starts_on, today, working_days) / total


def light_for(
    *,
    state: str,
    percent: int,
    starts_on: dt.date,
    deadline: dt.date | None,
    is_ongoing: bool,
    last_progress_on: dt.date | None,
    today: dt.date,
    limits: dict,
    working_days: bool = False,
) -> str:
    if state == MeasureState.CLOSED:
        return Light.CLOSED
    if state == MeasureState.PLANNED:
        return Light.NONE
    if is_ongoing or deadline is None:
        # 长期坚持: judged by whether progress is reported periodically.
        since = (today - (last_progress_on or starts_on)).days
        if since > 2 * limits["ongoing_report_days"]:
            return Light.RED
        if since > limits["ongoing_report_days"]:
            return Light.YELLOW
        return Light.GREEN
    if today > deadline:
        return Light.RED
    behind = planned_percent(starts_on=starts_on, deadline=deadline, today=today, working_days=working_days) - percent
    if behind > limits["red_behind"]:
        return Light.RED
    if behind >= limits["yellow_behind"] or (deadline - today).days <= limits["due_soon_days"]:
        return Light.YELLOW
    return Light.GREEN


def measure_light(measure: Measure, *, today: dt.date | None = None) -> str:
    campaign = measure.campaign
    return light_for(
        state=measure.state,
        percent=measure.percent,
        starts_on=measure.starts_on,
        deadline=measure.deadline,
        is_ongoing=measure.is_ongoing,
        last_progress_on=measure.last_progress_on,
        today=today or clock.today(),
        limits=thresholds(campaign),
        working_days=bool((campaign.settings or {}).get("working_days")),
    )


def measure_refresh_light(*, measure: Measure, today: dt.date | None = None) -> str:
    light = measure_light(measure, today=today)
    if light != measure.light:
        Measure.objects.filter(pk=measure.pk).update(light=light)
        measure.light = light
    return light
