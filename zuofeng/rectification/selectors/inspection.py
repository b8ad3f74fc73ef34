"""督查 on the home page (office, inspectors): the 9月15日 counts and first late units, the overdue
measures' total and first ten — cached under the dashboard's change marker (decisions §50).

Every figure here follows from what the marker's triggers watch (measures' state, deadline and unit;
problems; lists' state, which moves with their first submission; units' names, tree, activity, kind
and functions) and from the key's other parts: the campaign and its updated_at, the person's visible
units and roles, the day, RollupDay, and the milestone's id and due day (read fresh by the page). A
measure's text is not watched (the dashboard shows none), so the ten shown are cached as ids and
their texts read on every request: an edited text shows at once.
"""

import datetime as dt

from zuofeng.accounts.roles import roles_of
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.models import Measure
from zuofeng.rectification.selectors.dashboard import Scope, overdue_q, overdue_total
from zuofeng.rectification.selectors.dashboard_cache import MarkedCache, who_key
from zuofeng.rectification.selectors.milestone import milestone_tracking

INSPECTION_SHOWN = 10
# what the page shows of an overdue measure besides its text: its link, deadline and unit
_SHOWN = ("id", "deadline", "unit")


def inspection_figures(*, user, campaign, milestone, today: dt.date, marked: MarkedCache) -> dict:
    """The card's figures; `milestone`: the campaign's rectification milestone (None: it has none)."""
    stamp = campaign.updated_at.isoformat() if campaign.updated_at else ""
    roles = ",".join(sorted(roles_of(user)))
    due = f"{milestone.pk}@{milestone.due_on}" if milestone is not None else "-"
    parts = (campaign.pk, stamp, who_key(user), roles, today, due)
    figures = marked.get_or_set(
        "inspection", parts, lambda: _computed(user=user, campaign=campaign, milestone=milestone, today=today)
    )
    texts = dict(Measure.objects.filter(pk__in=[m.pk for m in figures["overdue"]]).values_list("pk", "text"))
    for measure in figures["overdue"]:
        measure.text = texts.get(measure.pk, "")
    # the milestone as read on this request: its name is not part of the key
    return {**figures, "milestone": milestone}


def _computed(*, user, campaign, milestone, today: dt.date) -> dict:
    tracking = milestone_tracking(user=user, campaign=campaign, today=today, milestone=milestone)
    scope = Scope(user=user, campaign=campaign)
    overdue = scope.measures().filter(overdue_q(today)).select_related("unit").only(*_SHOWN)
    late_units = tracking.chase_first(INSPECTION_SHOWN)
    shown = list(overdue.order_by("deadline", "id")[:INSPECTION_SHOWN])  # rect_measure_open_due_idx
    units_qualify([m.unit for m in shown] + late_units)
    return {
        "units": tracking.total,
        "late_total": tracking.chase_count,
        "late_units": late_units,
        "overdue_total": overdue_total(scope, today),
        "overdue": shown,
    }
