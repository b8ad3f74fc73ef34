"""红黄绿灯 (traffic lights) for measures, from 序时进度 (pro-rata planned progress).

planned% by today = elapsed / total days from start to deadline (working days when the
campaign says deadlines count working days). behind = planned − reported percent.
  green  — on schedule
  yellow — behind by [yellow_behind, red_behind] points, or due within due_soon_days and not closed
  red    — behind by more than red_behind points, or past the deadline and not closed
Thresholds come from the campaign definition (its `settings`, or settings["lights"] in tests).

A unit's light (unit_light) is a rule on shares, not the worst of its measures: with 55 units each
holding a few dozen measures, "one red makes the unit red" painted the whole district red.
"""

import datetime as dt

from zuofeng.core import clock
from zuofeng.rectification.models import Light, Measure, MeasureState

DEFAULTS = {
    "yellow_behind": 10,
    "red_behind": 30,
    "due_soon_days": 7,
    "ongoing_report_days": 30,
    # 作风办设定 (not in the notice): shares in per cent of a unit's reviewed measures.
    "unit_red_share": 20,
    "unit_yellow_share": 20,
}


def thresholds(campaign) -> dict:
    """The campaign's light settings over the defaults. The YAML loader stores them flat in
    Campaign.settings; a "lights" sub-dict (older test campaigns) is read too."""
    settings = (campaign.settings or {}) if campaign is not None else {}
    flat = {key: settings[key] for key in DEFAULTS if key in settings}
    return {**DEFAULTS, **flat, **settings.get("lights", {})}


def unit_light(*, red: int, yellow: int, green: int, closed: int, limits: dict) -> str:
    """A unit's light from the shares of its reviewed measures (open ones by light, closed ones as done):
    red when more than unit_red_share % are red; yellow when more than unit_yellow_share % are red or
    yellow; else green. No reviewed measure: 已销号 if all are closed, else no light."""
    counted = red + yellow + green + closed
    if not red + yellow + green:
        return Light.CLOSED if closed else Light.NONE
    # integer arithmetic: exactly 20 % is not "more than 20 %"
    if 100 * red > limits["unit_red_share"] * counted:
        return Light.RED
    if 100 * (red + yellow) > limits["unit_yellow_share"] * counted:
        return Light.YELLOW
    return Light.GREEN


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
