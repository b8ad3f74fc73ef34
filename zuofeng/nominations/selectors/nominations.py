"""What a unit sees of its own nominations: which units it nominates for, its standing per award."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.accounts.roles import assignments
from zuofeng.campaigns.models import AWARD_COUNTER, Award, Campaign
from zuofeng.core import clock
from zuofeng.nominations.models import ACTIVE_STATES, Nomination, NominationState
from zuofeng.nominations.workflow import submission_closes_at
from zuofeng.organisation.models import Unit


def nominating_units(user) -> list[Unit]:
    """The top-level units this person fills nominations for (as their administrator or clerk)."""
    units = {
        a.unit.pk: a.unit
        for a in assignments(user)
        if a.role in (Role.UNIT_LEADER, Role.SECTION_CLERK) and a.unit_id and a.unit.parent_id is None
    }
    return sorted((u for u in units.values() if u.is_active), key=lambda u: u.sort_key)


def awards_open(campaign: Campaign | None) -> QuerySet[Award]:
    if campaign is None:
        return Award.objects.none()
    return campaign.awards.filter(is_active=True).exclude(form={}).order_by("order", "id")


@dataclass(frozen=True)
class Standing:
    award: Award
    active: int
    drafts: int

    @property
    def counter(self) -> str:
        return AWARD_COUNTER.get(self.award.kind, "个")

    @property
    def full(self) -> bool:
        return self.award.quota_max is not None and self.active >= self.award.quota_max

    @property
    def short(self) -> bool:
        return self.active < self.award.quota_min

    @property
    def label(self) -> str:
        """本单位已申报 1/1 — shown at the top of the form before anyone types."""
        award = self.award
        if award.quota_max is not None:
            text = f"本单位已申报 {self.active}/{award.quota_max}"
            if award.quota_min and self.short:
                text += f"，至少 {award.quota_min} {self.counter}"
            return text
        if award.quota_min:
            return f"本单位已申报 {self.active}，至少 {award.quota_min} {self.counter}"
        return f"本单位已申报 {self.active}"


def quota_standing(*, award: Award, unit: Unit) -> Standing:
    rows = Nomination.objects.filter(award=award, unit=unit).values_list("state", flat=True)
    states = list(rows)
    return Standing(
        award=award,
        active=sum(1 for s in states if s in ACTIVE_STATES),
        drafts=sum(1 for s in states if s in (NominationState.DRAFT, NominationState.WITHDRAWN)),
    )


def nominations_of_unit(*, user, unit: Unit, award: Award | None = None) -> QuerySet[Nomination]:
    qs = scope_to_units(user, Nomination.objects.filter(unit=unit)).select_related("award", "unit")
    if award is not None:
        qs = qs.filter(award=award)
    return qs.order_by("award__order", "-updated_at")


def nomination_get(*, user, pk: int, action: str = "nomination.view") -> Nomination:
    nomination = Nomination.objects.select_related("award__campaign", "unit", "submitted_by").filter(pk=pk).first()
    if nomination is None or not may(user, action, nomination):
        raise Http404("没有这个申报")
    return nomination


def unit_award_overview(*, user, unit: Unit, campaign: Campaign | None) -> list[dict]:
    """我的申报: per award, the standing, the closing time for this unit and the unit's nominations."""
    mine = list(nominations_of_unit(user=user, unit=unit))
    overview = []
    for award in awards_open(campaign):
        closes_at = submission_closes_at(award=award, unit=unit)
        overview.append(
            {
                "award": award,
                "standing": quota_standing(award=award, unit=unit),
                "closes_at": closes_at,
                "closed": closes_at is not None and clock.now() > closes_at,
                "nominations": [n for n in mine if n.award_id == award.pk],
            }
        )
    return overview
