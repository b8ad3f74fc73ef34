"""Dates and times in the official Chinese form, in the site's time zone (Asia/Shanghai)."""

import datetime as dt

from zuofeng.core.cn import cn_date, cn_datetime

UTC = dt.UTC


def test_a_date_and_an_aware_time_in_official_form_in_local_time():
    assert cn_date(dt.date(2018, 8, 8)) == "2018年8月8日"
    assert cn_date(dt.datetime(2018, 9, 14, 17, 30, tzinfo=UTC)) == "2018年9月15日"  # 01:30 in Beijing
    assert cn_datetime(dt.datetime(2018, 9, 14, 17, 30, tzinfo=UTC)) == "2018年9月15日 01:30"
    assert cn_datetime(dt.datetime(2018, 9, 15, 8, 5, tzinfo=UTC)) == "2018年9月15日 16:05"


def test_a_naive_time_is_taken_as_it_is_and_none_is_empty():
    assert cn_datetime(dt.datetime(2018, 12, 31, 23, 59)) == "2018年12月31日 23:59"
    assert cn_date(None) == cn_datetime(None) == ""


def test_a_time_already_local_is_written_as_it_is():
    from zuofeng.core.cn import cn_local_datetime

    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert cn_local_datetime(dt.datetime(2018, 9, 15, 1, 30, tzinfo=shanghai)) == "2018年9月15日 01:30"
    assert cn_local_datetime(None) == ""
