"""The key under which the shared part of a unit's list page is cached, and the marker that ends it.

The shared part (views/ledger.py: the heading with its buttons, the table of problems and measures,
the history, the unit's full name) follows from the list's rows, the names they show, who may do what
with the list (the buttons, edit links, locks and 只读 follow the viewer's rights), the campaign and
the day. The key holds each of them:

- the list's LedgerStamp row and row 0 (shown names), read in the same statement as the list itself
  (selectors/ledger.ledger_get with marked=True), before anything is drawn: the part cached under a
  marker is never older than the commits that marker counts, and any later commit raises it;
- the rights that change the drawing (can_edit, editable, can_add, can_review), worked out on every
  request by accounts/permissions; two people with the same rights on a list see the same part, so
  they share it;
- the campaign's id and updated_at (its title is in the heading), and today.

Nothing of the person or the request is in the part: the navigation and messages are drawn on every
request, and the forms' CSRF token is a slot each request fills with its own (core/pieces.py).
"""

import datetime as dt

from django.db.models import BigIntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from zuofeng.rectification.ledger_stamp_triggers import NAMES
from zuofeng.rectification.models import Ledger, LedgerStamp

# Everything is watched (ledger_stamp_triggers.WATCHED): the limit only frees memory of lists not opened.
CACHE_SECONDS = 600
RIGHTS = ("can_edit", "editable", "can_add", "can_review")


def _changes(ledger_id) -> Coalesce:
    stamp = LedgerStamp.objects.filter(ledger_id=ledger_id).values("changes")[:1]
    return Coalesce(Subquery(stamp), Value(0), output_field=BigIntegerField())


def ledger_marked(ledgers):
    """The ledgers with their marker (`changes`, `names_changed`) read in the same statement."""
    return ledgers.annotate(changes=_changes(OuterRef("pk")), names_changed=_changes(NAMES))


def ledger_page_key(*, ledger: Ledger, access: dict, today: dt.date) -> str:
    campaign = ledger.campaign
    stamp = campaign.updated_at.isoformat() if campaign.updated_at else ""
    rights = "".join("1" if access[name] else "0" for name in RIGHTS)
    marker = f"{ledger.changes}:{ledger.names_changed}"
    return f"ledger:1:{ledger.pk}:{marker}:{campaign.pk}:{stamp}:{today}:{rights}"
