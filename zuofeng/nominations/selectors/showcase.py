"""先进典型: the selected nominations of a campaign, per award, for every signed-in user.

Only what is published: name or case title, unit, the deeds / practice text and the photo —
never phone numbers or birth dates.
"""

from dataclasses import dataclass, field

from zuofeng.campaigns.models import AWARD_COUNTER, Award, AwardKind
from zuofeng.core.strokes import name_key
from zuofeng.nominations.models import Nomination, NominationState

TEXT_KEYS = ("main_text", "deeds", "practice")
TITLE_KEYS = ("case_name", "project_name", "name", "collective_name")


@dataclass
class ShowcaseEntry:
    nomination: Nomination
    title: str
    text: str
    has_photo: bool


@dataclass
class ShowcaseGroup:
    award: Award
    counter: str
    entries: list[ShowcaseEntry] = field(default_factory=list)


def _first(data: dict, keys: tuple[str, ...], default: str = "") -> str:
    return next((str(data[k]) for k in keys if data.get(k)), default)


def showcase_groups(*, campaign, ordering: str = "unit") -> list[ShowcaseGroup]:
    """Awards in definition order, each with its selected nominations in official unit order."""
    if campaign is None:
        return []
    awards = Award.objects.filter(campaign=campaign).order_by("order", "id")
    selected = (
        Nomination.objects.filter(campaign=campaign, state=NominationState.SELECTED)
        .select_related("unit")
        .order_by("unit__sort_key", "id")
    )
    groups = {a.pk: ShowcaseGroup(award=a, counter=AWARD_COUNTER.get(a.kind, "个")) for a in awards}
    for n in selected:
        data = n.data or {}
        entry = ShowcaseEntry(n, _first(data, TITLE_KEYS, n.title), _first(data, TEXT_KEYS), bool(n.photo))
        groups[n.award_id].entries.append(entry)
    result = [g for g in groups.values() if g.entries]
    if ordering == "strokes":
        _stroke_order(result)
    return result


def _stroke_order(groups: list[ShowcaseGroup]) -> None:
    """Surname-stroke order (姓氏笔画) for lists of people; cases and collectives keep the unit order."""
    for group in groups:
        if group.award.kind == AwardKind.INDIVIDUAL:
            group.entries.sort(key=lambda e: name_key(e.title))
