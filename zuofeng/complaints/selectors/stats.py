"""Counts for the public statistics page; nothing here can name a reporter (counts only)."""

import dataclasses

from django.db.models import Count, F, Q

from zuofeng.complaints.config import complaints_config
from zuofeng.complaints.models import Complaint, ComplaintState, Rating
from zuofeng.organisation.selectors import unit_qualified_names


@dataclasses.dataclass
class UnitRow:
    name: str
    rated: int
    satisfied: int
    basically: int
    unsatisfied: int

    @property
    def satisfied_pct(self) -> str:
        return f"{100 * (self.satisfied + self.basically) / self.rated:.1f}%"


@dataclasses.dataclass
class Stats:
    received: int = 0
    dispatched: int = 0
    concluded: int = 0
    replied: int = 0
    on_time: int = 0
    min_ratings: int = 0
    units: list = dataclasses.field(default_factory=list)
    hidden_units: int = 0

    @property
    def on_time_pct(self) -> str:
        return f"{100 * self.on_time / self.replied:.1f}%" if self.replied else "—"


def public_stats(campaign) -> Stats:
    if campaign is None:
        return Stats()
    cases = Complaint.objects.filter(campaign=campaign)
    totals = cases.aggregate(
        received=Count("pk"),
        dispatched=Count("pk", filter=Q(dispatched_on__isnull=False) | Q(unit__isnull=False)),
        concluded=Count("pk", filter=Q(state=ComplaintState.CONCLUDED)),
        replied=Count("pk", filter=Q(replied_on__isnull=False)),
        on_time=Count("pk", filter=Q(replied_on__isnull=False, replied_on__lte=F("deadline"))),
    )
    s = Stats(**totals, min_ratings=complaints_config(campaign).survey.min_responses)
    by_unit = (
        cases.exclude(rating="")
        .values("unit")
        .annotate(
            rated=Count("pk"),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basically=Count("pk", filter=Q(rating=Rating.BASICALLY)),
            unsatisfied=Count("pk", filter=Q(rating=Rating.UNSATISFIED)),
        )
    )
    shown = [r for r in by_unit if r["unit"] and r["rated"] >= s.min_ratings]
    s.hidden_units = sum(1 for r in by_unit if r["unit"] and r["rated"] < s.min_ratings)
    names = unit_qualified_names(ids=[r["unit"] for r in shown]) if shown else {}
    s.units = sorted(
        (
            UnitRow(names.get(r["unit"], ""), r["rated"], r["satisfied"], r["basically"], r["unsatisfied"])
            for r in shown
        ),
        key=lambda row: row.name,
    )
    return s
