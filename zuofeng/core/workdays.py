"""Working days by the official Chinese holiday calendar (调休 included), not Monday–Friday.

Uses the `chinese_calendar` package, which carries the State Council's published schedule;
for years it does not yet know, it falls back to Monday–Friday and says so in the log.
"""

import datetime as dt
import functools
import logging

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool:
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return day.weekday() < 5


@functools.lru_cache(maxsize=64)
def _warn_unknown_year(year: int) -> None:
    # Once per year and process, not once per day looked up.
    log.warning("chinese_calendar has no holiday data for %s; using Monday–Friday", year)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] — the days of work between two dates."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
