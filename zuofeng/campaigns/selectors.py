"""Reads of campaign definitions. Campaign data is visible to every signed-in user.

Only active rows (is_active) are shown: rows whose key left the definition file stay in the
database for the data attached to them, but are no longer part of the campaign.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from zuofeng.campaigns.models import Award, Campaign, Milestone, ObstructionCategory, Phase, Symptom
from zuofeng.core import clock
from zuofeng.core.compiled import CompiledModels

# The definition file as loaded and the opinion's sections: most of the row (~100 KB of JSON at
# Wujin's size, read and parsed on every page that asks for the current campaign or joins its list's
# campaign). The few readers (supervision's and assessment's sections of the definition) load them
# on first use, one query.
HEAVY_FIELDS = ("definition", "opinion_body")


def campaign_heavy_fields(prefix: str = "") -> list[str]:
    """For `.defer()`: the heavy fields, under `prefix` when the campaign is joined ("campaign__")."""
    return [prefix + name for name in HEAVY_FIELDS]


# The default campaign first (at most one: one_default_campaign), then the newest: one statement,
# compiled once per process (core/compiled.py), since nearly every page asks for it and Django's
# compiler cost more than the database's answer.
_CURRENT = CompiledModels(
    lambda: Campaign.objects.defer(*campaign_heavy_fields()).order_by("-is_default", "-year", "-id")[:1]
)


def campaign_current() -> Campaign | None:
    """The default campaign, else the newest loaded."""
    found = _CURRENT.instances()
    return found[0] if found else None


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-is_default", "-year", "slug").prefetch_related(
        Prefetch("phases", Phase.objects.filter(is_active=True))
    )


def campaign_get(*, slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise Http404("没有这个专项活动")
    return campaign


def days_left_label(days_left: int) -> str:
    if days_left < 0:
        return f"已过期 {-days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"还剩 {days_left} 天"


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    days_left: int

    @property
    def is_late(self) -> bool:
        return self.days_left < 0

    @property
    def label(self) -> str:
        return days_left_label(self.days_left)


def milestone_statuses(*, campaign: Campaign, today: dt.date | None = None) -> list[MilestoneStatus]:
    today = today or clock.today()
    return [
        MilestoneStatus(milestone=m, days_left=(m.due_on - today).days)
        for m in campaign.milestones.filter(is_active=True).select_related("phase").order_by("due_on", "order")
    ]


@dataclass(frozen=True)
class AwardStatus:
    award: Award
    days_left: int | None  # None: no deadline

    @property
    def is_closed(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def label(self) -> str:
        return "" if self.days_left is None else days_left_label(self.days_left)


def award_statuses(*, campaign: Campaign, today: dt.date | None = None) -> list[AwardStatus]:
    today = today or clock.today()
    return [
        AwardStatus(
            award=a, days_left=None if a.deadline is None else (timezone.localtime(a.deadline).date() - today).days
        )
        for a in campaign.awards.filter(is_active=True)
    ]


def phase_current(phases: list[Phase], today: dt.date) -> Phase | None:
    for phase in phases:
        if phase.starts_on and phase.starts_on <= today and (phase.ends_on is None or today <= phase.ends_on):
            return phase
    return None


@dataclass(frozen=True)
class Bar:
    phase: Phase
    left: float  # percent of the timeline width
    width: float
    is_current: bool


@dataclass(frozen=True)
class Mark:
    status: MilestoneStatus
    left: float


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    bars: list[Bar]
    marks: list[Mark]
    ticks: list[tuple[str, float]]
    today: dt.date
    today_left: float
    today_where: str  # "before" | "during" | "after" the drawn range


OPEN_PHASE_DAYS = 31  # how much of an open-ended phase (持续深化) to draw
TICK_LIMIT = 95  # a month label at the very right edge would run off the bar


def campaign_timeline(*, campaign: Campaign, today: dt.date | None = None) -> Timeline:
    """Phases as bars and milestones as marks on one date axis, with today's position."""
    today = today or clock.today()
    phases = [p for p in campaign.phases.filter(is_active=True) if p.starts_on]
    statuses = milestone_statuses(campaign=campaign, today=today)
    starts = [p.starts_on for p in phases] + [s.milestone.due_on for s in statuses]
    start = min(starts, default=campaign.issued_on)
    ends = [p.ends_on or p.starts_on + dt.timedelta(days=OPEN_PHASE_DAYS) for p in phases]
    end = max([*ends, *(s.milestone.due_on for s in statuses), start + dt.timedelta(days=1)])
    span = (end - start).days

    def at(day: dt.date) -> float:
        return round(100 * min(max((day - start).days, 0), span) / span, 2)

    current = phase_current(phases, today)
    bars = [
        Bar(
            phase=p,
            left=at(p.starts_on),
            width=round(at(p.ends_on or end) - at(p.starts_on), 2),
            is_current=p == current,
        )
        for p in phases
    ]
    ticks = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start and at(month) < TICK_LIMIT:
            ticks.append(
                (f"{month.year}年{month.month}月" if not ticks or month.month == 1 else f"{month.month}月", at(month))
            )
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    where = "before" if today < start else "after" if today > end else "during"
    return Timeline(
        start=start,
        end=end,
        bars=bars,
        marks=[Mark(status=s, left=at(s.milestone.due_on)) for s in statuses],
        ticks=ticks,
        today=today,
        today_left=at(today),
        today_where=where,
    )


def campaign_detail(*, campaign: Campaign, today: dt.date | None = None) -> dict:
    """Everything the campaign page shows, active rows only, in file order."""
    today = today or clock.today()
    active_symptoms = Prefetch("symptoms", Symptom.objects.filter(is_active=True))
    awards = award_statuses(campaign=campaign, today=today)
    phases = list(campaign.phases.filter(is_active=True))
    return {
        "campaign": campaign,
        "today": today,
        "notice_paragraphs": [line.strip() for line in campaign.notice_body.splitlines() if line.strip()],
        "timeline": campaign_timeline(campaign=campaign, today=today),
        "phases": phases,
        "current_phase": phase_current(phases, today),
        "milestones": milestone_statuses(campaign=campaign, today=today),
        "categories": ObstructionCategory.objects.filter(campaign=campaign, is_active=True).prefetch_related(
            active_symptoms
        ),
        "benchmarks": campaign.benchmarks.filter(is_active=True),
        "sources": campaign.sources.filter(is_active=True),
        "tasks": campaign.tasks.filter(is_active=True),
        "key_areas": campaign.key_areas.filter(is_active=True),
        "awards": awards,
        "attachments": sorted(
            (s.award for s in awards if s.award.form.get("attachment")), key=lambda a: a.form["attachment"]
        ),
    }


def award_with_form(*, campaign: Campaign, key: str) -> Award:
    award = campaign.awards.filter(key=key, is_active=True).first()
    if award is None or not award.form:
        raise Http404("没有这个申报表")
    return award
