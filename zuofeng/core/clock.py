"""One "now" for the whole application, so tests can fix the date.

Business code calls clock.now() / clock.today() instead of timezone.now(); tests use
clock.frozen(...) to pin it.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localtime(now()).date()


@contextlib.contextmanager
def frozen(moment: dt.datetime | dt.date) -> Iterator[None]:
    global _frozen
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
