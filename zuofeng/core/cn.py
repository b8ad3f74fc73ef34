"""Chinese presentation helpers: official date form (2018年8月8日)."""

import datetime as dt

from django.utils import timezone


def cn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    # not through cn_date, which would convert the local time to local time again (a tracking page
    # draws 200 of these: ~10 % of its CPU went to the second conversion)
    return cn_local_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)


def cn_local_datetime(local: dt.datetime | None) -> str:
    """cn_datetime of a time already in the time zone to show (rows converted once for a whole page)."""
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" if local else ""
