"""Reads of campaign definitions. Campaign data is visible to every signed-in user."""

import datetime as dt
from dataclasses import dataclass

from zuofeng.campaigns.models import Campaign, Milestone
from zuofeng.core import clock


def campaign_current() -> Campaign | None:
    """The default campaign, else the newest loaded."""
    return Campaign.objects.filter(is_default=True).first() or Campaign.objects.order_by("-year", "-id").first()


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    days_left: int

    @property
    def is_late(self) -> bool:
        return self.days_left < 0

    @property
    def label(self) -> str:
        if self.days_left < 0:
            return f"已过期 {-self.days_left} 天"
        if self.days_left == 0:
            return "今天截止"
        return f"还剩 {self.days_left} 天"


def milestone_statuses(*, campaign: Campaign, today: dt.date | None = None) -> list[MilestoneStatus]:
    today = today or clock.today()
    return [
        MilestoneStatus(milestone=m, days_left=(m.due_on - today).days)
        for m in campaign.milestones.filter(is_active=True).order_by("due_on", "order")
    ]
