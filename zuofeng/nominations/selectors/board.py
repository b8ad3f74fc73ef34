"""The office's board: per award, who submitted, who has drafts only, who is short of the minimum."""

from collections import Counter
from dataclasses import dataclass, field

from zuofeng.accounts.models import Role
from zuofeng.campaigns.models import Award, Campaign
from zuofeng.nominations.models import ACTIVE_STATES, DeadlineExtension, Nomination, NominationState
from zuofeng.nominations.selectors.nominations import awards_open
from zuofeng.organisation.models import Unit

DRAFT_STATES = (NominationState.DRAFT, NominationState.WITHDRAWN)


def nominating_unit_list() -> list[Unit]:
    """Units that nominate: the top-level active units (departments, towns, streets, zones), in official
    order — except the campaign office's own unit, which collects the nominations rather than making them."""
    office_units = Unit.objects.filter(people__account__role_assignments__role=Role.OFFICE).values("pk")
    return list(
        Unit.objects.filter(parent__isnull=True, is_active=True).exclude(pk__in=office_units).order_by("sort_key")
    )


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    active: int
    drafts: int


@dataclass
class AwardBoard:
    award: Award
    submitted: int = 0
    drafts: int = 0
    units_total: int = 0
    missing: list[UnitRow] = field(default_factory=list)  # units below the minimum
    over: list[UnitRow] = field(default_factory=list)  # above the maximum — the database should never allow it
    with_drafts: list[UnitRow] = field(default_factory=list)  # drafts only, nothing submitted
    none_submitted: list[UnitRow] = field(default_factory=list)  # nothing submitted (optional awards: for information)
    extensions: list = field(default_factory=list)


def award_board(*, award: Award, units: list[Unit] | None = None) -> AwardBoard:
    units = nominating_unit_list() if units is None else units
    active, drafts = Counter(), Counter()
    for unit_id, state in Nomination.objects.filter(award=award).values_list("unit_id", "state"):
        if state in ACTIVE_STATES:
            active[unit_id] += 1
        elif state in DRAFT_STATES:
            drafts[unit_id] += 1
    board = AwardBoard(award=award, units_total=len(units))
    board.submitted, board.drafts = sum(active.values()), sum(drafts.values())
    for unit in units:
        row = UnitRow(unit=unit, active=active[unit.pk], drafts=drafts[unit.pk])
        if award.quota_min and row.active < award.quota_min:
            board.missing.append(row)
        if award.quota_max is not None and row.active > award.quota_max:
            board.over.append(row)
        if row.drafts and not row.active:
            board.with_drafts.append(row)
        if not row.active:
            board.none_submitted.append(row)
    board.extensions = list(DeadlineExtension.objects.filter(award=award).select_related("unit", "granted_by"))
    return board


def campaign_board(*, campaign: Campaign | None) -> list[AwardBoard]:
    units = nominating_unit_list()
    return [award_board(award=award, units=units) for award in awards_open(campaign)]


def units_to_chase(*, award: Award) -> list[Unit]:
    """Units that have not met the minimum, or hold drafts they have not submitted."""
    board = award_board(award=award)
    chase = {row.unit.pk: row.unit for row in [*board.missing, *board.with_drafts]}
    return sorted(chase.values(), key=lambda u: u.sort_key)
