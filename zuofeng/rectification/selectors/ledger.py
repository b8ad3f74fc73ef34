"""Reads for the unit's list (整改清单) pages, always scoped to visible units (search: selectors/search.py)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.accounts.roles import assignments
from zuofeng.campaigns.models import Campaign
from zuofeng.campaigns.selectors import campaign_heavy_fields
from zuofeng.core.compiled import CompiledModels
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.models import Ledger, Measure, Problem
from zuofeng.rectification.selectors.ledger_cache import ledger_marked


def ledger_list(*, user, campaign: Campaign | None = None) -> QuerySet[Ledger]:
    ledgers = Ledger.objects.select_related("unit", "campaign").defer(*campaign_heavy_fields("campaign__"))
    if campaign is not None:
        ledgers = ledgers.filter(campaign=campaign)
    return scope_to_units(user, ledgers).order_by("-campaign__year", "unit__sort_key", "id")


def ledger_counts(*, ledgers: list[Ledger]) -> None:
    """Problem and measure counts for one page of ledgers (counting all of them at city scale is slow)."""
    ids = [lg.pk for lg in ledgers]
    problems = dict(
        Problem.objects.filter(ledger_id__in=ids).values_list("ledger_id").annotate(n=Count("id")).order_by()
    )
    measures = dict(
        Measure.objects.filter(problem__ledger_id__in=ids)
        .values_list("problem__ledger_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for ledger in ledgers:
        ledger.problem_count, ledger.measure_count = problems.get(ledger.pk, 0), measures.get(ledger.pk, 0)


def units_editable(*, user) -> list[Unit]:
    """The units whose own list the user fills in (the 'open my unit's list' buttons)."""
    units = {a.unit_id: a.unit for a in assignments(user) if a.role in (Role.SECTION_CLERK, Role.UNIT_LEADER)}
    return sorted(units.values(), key=lambda u: u.sort_key)


def _ledgers() -> QuerySet[Ledger]:
    return Ledger.objects.select_related("unit", "campaign").defer(*campaign_heavy_fields("campaign__"))


# Read by every list page and htmx answer: compiled once per process (core/compiled.py), as compiling
# it cost more CPU than the database's answer.
_LEDGER = CompiledModels(lambda pk: _ledgers().filter(pk=pk), "pk")
_LEDGER_MARKED = CompiledModels(lambda pk: ledger_marked(_ledgers()).filter(pk=pk), "pk")
_LARGEST_ID = 2**63 - 1


def ledger_get(*, user, pk: int, marked: bool = False) -> Ledger:
    """The ledger if the user may see it; otherwise 404, so its existence is not revealed.

    `marked` reads its page cache's marker with it (selectors/ledger_cache.py)."""
    found = (_LEDGER_MARKED if marked else _LEDGER).instances(pk=pk) if 0 < pk <= _LARGEST_ID else []
    ledger = found[0] if found else None
    if ledger is None or not may(user, "ledger.view", ledger):
        raise Http404("没有这份整改清单")
    return ledger


def _measures() -> QuerySet[Measure]:
    return Measure.objects.select_related("responsible_unit", "responsible_person", "key_area").order_by("order", "id")


def problem_get(*, ledger: Ledger, pk: int) -> Problem:
    problem = (
        ledger.problems.select_related("category", "symptom", "source", "ledger__unit", "ledger__campaign")
        .prefetch_related("benchmarks", Prefetch("measures", _measures()))
        .filter(pk=pk)
        .first()
    )
    if problem is None:
        raise Http404("没有这个问题")
    return problem


def measure_get(*, ledger: Ledger, pk: int) -> Measure:
    measure = (
        _measures()
        .select_related("problem__ledger__unit", "problem__ledger__campaign")
        .filter(pk=pk, problem__ledger=ledger)
        .first()
    )
    if measure is None:
        raise Http404("没有这条整改措施")
    return measure


# --- fast entry: what the next row starts from, and the 责任人 typeahead ---------------------------


def previous_problem(*, ledger: Ledger) -> Problem | None:
    """The last problem of the list: a new one starts from its 问题来源 and 查摆日期."""
    return ledger.problems.select_related("source").order_by("-order", "-id").first()


def previous_measure(*, ledger: Ledger, problem: Problem) -> Measure | None:
    """The measure just above a new one of `problem` (its own last, else the previous problem's last):
    a new measure starts from its 责任领导, 责任单位 and 开始日期."""
    return (
        Measure.objects.filter(problem__ledger=ledger, problem__order__lte=problem.order)
        .select_related("responsible_unit")
        .order_by("-problem__order", "-order", "-id")
        .first()
    )


def ledger_people(*, user, ledger: Ledger, q: str = "", unit: Unit | None = None, limit: int = 10) -> list[Person]:
    """People of the ledger's unit tree whom the user may see, matching a name or pinyin initials.

    `unit` narrows to that unit's own people. Initials match by prefix on an indexed column; the
    name by substring, which stays cheap because the unit tree is small."""
    people = Person.objects.filter(
        unit__path__startswith=ledger.unit.path, unit__is_active=True, is_active=True
    ).select_related("unit")
    people = scope_to_units(user, people)
    if unit is not None:
        people = people.filter(unit=unit)
    q = "".join(q.split())[:20]
    if q:
        people = people.filter(Q(name_initials__startswith=q.lower()) | Q(name__contains=q))
    return list(people.order_by("unit__sort_key", "order", "id")[:limit])
