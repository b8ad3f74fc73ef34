"""Reads for the unit's list (整改清单) pages, always scoped to visible units (search: selectors/search.py)."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.accounts.roles import assignments
from zuofeng.campaigns.models import Benchmark, Campaign
from zuofeng.organisation.models import Unit
from zuofeng.rectification.models import Ledger, Measure, Problem


def ledger_list(*, user, campaign: Campaign | None = None) -> QuerySet[Ledger]:
    ledgers = Ledger.objects.select_related("unit", "campaign")
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


def ledger_get(*, user, pk: int) -> Ledger:
    """The ledger if the user may see it; otherwise 404, so its existence is not revealed."""
    ledger = Ledger.objects.select_related("unit", "campaign").filter(pk=pk).first()
    if ledger is None or not may(user, "ledger.view", ledger):
        raise Http404("没有这份整改清单")
    return ledger


def _measures() -> QuerySet[Measure]:
    return Measure.objects.select_related("responsible_unit", "responsible_person", "key_area").order_by("order", "id")


def ledger_problems(*, ledger: Ledger) -> list[Problem]:
    """Problems in order with measures and benchmarks: a fixed number of queries however long the list."""
    return list(
        ledger.problems.select_related("category", "symptom", "source", "recorded_by")
        .prefetch_related(
            Prefetch("benchmarks", Benchmark.objects.order_by("order", "id")), Prefetch("measures", _measures())
        )
        .order_by("order", "id")
    )


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
