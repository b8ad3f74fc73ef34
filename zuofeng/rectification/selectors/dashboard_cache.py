"""The key under which a computed dashboard board is cached, and the marker that ends it.

A board follows from (and only from): the units the person sees and the subtree asked for (the
scope), the campaign and its settings, the day, the day the roll-ups count 逾期 against, and the
figures. The key holds each of them:

- scope: "all" for people who see every unit, else a digest of exactly the unit ids they see
  (visible_unit_ids, the same set Scope._narrow filters by), so two people share a board only when
  they see the same units; plus the ?root= unit (already checked against the person);
- the campaign's id and updated_at (its light settings live on it); the day; RollupDay;
- the change marker: the sum of DashboardStamp, which triggers bump in the transaction of every
  write to measures, problems, lists and units (stamp_triggers.py).

The key is read BEFORE the board is computed: the board is then at least as new as its marker, and
a commit after it raises the marker, so nobody is served a board older than the writes they can see.
What no trigger watches (the campaign's categories, symptoms and sources) shows within CACHE_SECONDS;
the page says when its figures were computed.
"""

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db import connection

from zuofeng.accounts.permissions import ALL, visible_unit_ids
from zuofeng.rectification.stamp_triggers import MARKER

CACHE_SECONDS = 60
_READ = f"SELECT ({MARKER}), (SELECT overdue_before FROM rectification_rollupday WHERE id = 1)"  # noqa: S608 - fixed text


def dashboard_marker() -> tuple[int, object]:
    """The change marker and the roll-ups' 逾期 day, in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        changes, day = cursor.fetchone()
    return int(changes), day


def who_key(user) -> str:
    """The person's visible units as a key part: "all", else a digest of exactly their ids."""
    visible = visible_unit_ids(user)
    if visible is ALL:
        return "all"
    return hashlib.sha256(",".join(map(str, sorted(visible))).encode()).hexdigest()


def dashboard_cache_key(*, scope, today: dt.date) -> str:
    changes, day = dashboard_marker()
    campaign = scope.campaign
    root = scope.root.pk if scope.root is not None else 0
    stamp = campaign.updated_at.isoformat() if campaign.updated_at else ""
    return f"dashboard:1:{campaign.pk}:{stamp}:{root}:{who_key(scope.user)}:{today}:{day}:{changes}"


class MarkedCache:
    """Values that follow only from what the change marker covers (and the parts of their key), cached
    under the marker like the board: read before computing, so a value is never older than the writes
    its marker counts. The marker is read once per instance (one per request), however many values."""

    def __init__(self) -> None:
        self._marker: tuple[int, object] | None = None

    def get_or_set(self, name: str, parts: tuple, compute):
        if self._marker is None:
            self._marker = dashboard_marker()
        changes, day = self._marker
        key = f"marked:1:{name}:{':'.join(map(str, parts))}:{day}:{changes}"
        found = cache.get(key)
        if found is None:
            found = (compute(),)  # in a tuple, so that a computed None is kept too
            cache.set(key, found, CACHE_SECONDS)
        return found[0]
