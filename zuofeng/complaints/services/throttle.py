"""Rate limits held by the database, so several worker processes count together.

A bucket's row for the current window is created once (the unique constraint decides a race) and
raised by `UPDATE … SET count = count + 1 WHERE count < limit`: the database serialises the
updates, so the limit is exact under concurrency, never "about".
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from zuofeng.complaints.models import Throttle
from zuofeng.core import clock


def _window(per: str) -> str:
    now = clock.now()
    return now.strftime("%Y%m%d%H") if per == "hour" else now.strftime("%Y%m%d")


def throttle_take(*, bucket: str, limit: int, per: str) -> bool:
    """Count one use of `bucket` in the current hour or day; False when the limit is reached."""
    window = _window(per)
    if not Throttle.objects.filter(bucket=bucket, window=window).exists():
        try:
            with transaction.atomic():
                Throttle.objects.create(bucket=bucket, window=window, count=0)
        except IntegrityError:
            pass  # another process created it a moment ago
    raised = Throttle.objects.filter(bucket=bucket, window=window, count__lt=limit).update(count=F("count") + 1)
    return raised == 1
