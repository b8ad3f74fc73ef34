import datetime as dt
import logging

from zuofeng.core.workdays import add_working_days, is_working_day, working_days_between


def test_working_days_follow_the_official_calendar_with_adjusted_weekends():
    assert not is_working_day(dt.date(2018, 10, 1))  # 国庆
    assert is_working_day(dt.date(2018, 9, 29))  # Saturday made a working day (调休)
    assert working_days_between(dt.date(2018, 9, 28), dt.date(2018, 10, 10)) == 5
    assert add_working_days(dt.date(2018, 9, 28), 3) == dt.date(2018, 10, 8)


def test_working_days_beyond_the_calendar_fall_back_to_weekdays_and_warn_once(caplog):
    with caplog.at_level(logging.WARNING, logger="zuofeng.core.workdays"):
        assert working_days_between(dt.date(2099, 3, 1), dt.date(2099, 3, 31)) == 22
    assert [r.getMessage() for r in caplog.records] == [
        "chinese_calendar has no holiday data for 2099; using Monday–Friday"
    ]
