"""Reads for the measure page and evidence downloads, scoped to what the user may see."""

from django.db.models import Prefetch, QuerySet

from zuofeng.accounts.permissions import may
from zuofeng.audit.labels import action_label
from zuofeng.rectification.models import Evidence, LedgerEvent, Measure, ProgressUpdate


def may_see_measure(user, measure: Measure) -> bool:
    """Whoever may see the unit's ledger, and the responsible person (责任人) even from another unit."""
    return may(user, "ledger.view", measure) or may(user, "measure.report_progress", measure)


def measure_visible(*, user, pk: int) -> Measure:
    """The measure if the user may see it; Measure.DoesNotExist otherwise."""
    measure = Measure.objects.select_related(
        "unit", "campaign", "problem__ledger__unit", "problem__category", "responsible_person", "key_area"
    ).get(pk=pk)
    if not may_see_measure(user, measure):
        raise Measure.DoesNotExist
    return measure


def measure_progress(*, measure: Measure) -> QuerySet[ProgressUpdate]:
    evidence = Evidence.objects.order_by("id")
    return (
        measure.progress_updates.select_related("reporter__person")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("-reported_on", "-id")
    )


def measure_evidence(*, measure: Measure) -> QuerySet[Evidence]:
    return measure.evidence.select_related("uploaded_by__person", "progress").order_by("-created_at", "-id")


def measure_events(*, measure: Measure) -> list[LedgerEvent]:
    """The measure's history, each step with a label a person reads."""
    events = list(LedgerEvent.objects.filter(measure=measure).select_related("actor__person").order_by("-at", "-id"))
    for event in events:
        event.label = action_label(event.action, event.to_state)
    return events


def evidence_visible(*, user, pk: int) -> Evidence:
    """The evidence if the user may see its measure; Evidence.DoesNotExist otherwise."""
    evidence = Evidence.objects.select_related("measure__unit").get(pk=pk)
    if not may_see_measure(user, evidence.measure):
        raise Evidence.DoesNotExist
    return evidence
