"""`manage.py demo_ledgers`: the demo district's mid-campaign 整改清单, on a fixed date."""

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from zuofeng.accounts.models import User
from zuofeng.audit.models import AuditEntry
from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.rectification import demo as demo_module
from zuofeng.rectification.lights import measure_light
from zuofeng.rectification.models import (
    Evidence,
    ItemReview,
    Ledger,
    LedgerEvent,
    LedgerState,
    Light,
    Measure,
    MeasureState,
    Problem,
    ProgressKind,
    ProgressUpdate,
)
from zuofeng.rectification.selectors.review import review_queue
from zuofeng.rectification.services.search import measure_bigrams, problem_bigrams

CAMPAIGN = Path(__file__).resolve().parents[2] / "campaigns" / "wujin-2018.yaml"
TODAY = dt.datetime(2026, 11, 10, 10, 0)


def _run() -> str:
    out = io.StringIO()
    with clock.frozen(TODAY):
        call_command("demo_ledgers", stdout=out)
    return out.getvalue()


@pytest.fixture
def district(db, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    with clock.frozen(TODAY):
        call_command("load_campaign", str(CAMPAIGN), "--year", "2026", "--default", stdout=io.StringIO())
        call_command("demo_district", stdout=io.StringIO())
    return Campaign.objects.get(is_default=True)


@pytest.fixture
def demo(district):
    output = _run()
    return district, output


def _snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in (Ledger, Problem, Measure, ProgressUpdate, Evidence, LedgerEvent)
    }


def test_demo_ledgers_states_by_plan(demo):
    campaign, output = demo
    states = dict(Ledger.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("id")))
    assert states == {
        LedgerState.APPROVED: 335,
        LedgerState.SUBMITTED: 57,
        LedgerState.RETURNED: 42,
        LedgerState.DRAFT: 43,
    }
    assert "整改清单：起草中 43，待审核 57，已退回 42，已通过 335" in output
    in_scope = [u for u in demo_module.Unit.objects.all() if u.in_scope]
    not_started = len(in_scope) - Ledger.objects.count()
    assert not_started == 33
    late = Ledger.objects.filter(first_submitted_at__date__gt=dt.date(2026, 9, 15)).count()
    on_time = Ledger.objects.filter(first_submitted_at__date__lte=dt.date(2026, 9, 15)).count()
    assert (late, on_time) == (86, 348)


def test_demo_ledgers_every_light_and_source_present(demo):
    campaign, _ = demo
    lights = Counter(Measure.objects.filter(campaign=campaign).values_list("light", flat=True))
    assert set(lights) == set(Light.values)
    assert all(lights[c] >= 20 for c in (Light.GREEN, Light.YELLOW, Light.RED, Light.CLOSED))
    kinds = set(Problem.objects.values_list("source__kind", flat=True))
    assert kinds == {"self", "leader", "public", "organisation"}
    assert Problem.objects.filter(source__kind="organisation", source_detail__regex=r"^[89]月\d+日").count() > 0
    assert Measure.objects.filter(is_ongoing=True, deadline__isnull=True).count() > 0
    assert set(Measure.objects.exclude(is_ongoing=True).values_list("deadline__month", flat=True)) >= {10, 11, 12}


def test_demo_ledgers_data_is_consistent(demo):
    with clock.frozen(TODAY):
        for measure in Measure.objects.select_related("campaign"):
            assert measure.light == measure_light(measure), measure.pk
    per_ledger = Problem.objects.values("ledger").annotate(n=Count("id")).values_list("n", flat=True)
    assert min(per_ledger) >= 2 and max(per_ledger) <= 6
    per_problem = Measure.objects.values("problem").annotate(n=Count("id")).values_list("n", flat=True)
    assert min(per_problem) >= 1 and max(per_problem) <= 3
    for problem in Problem.objects.all()[:200]:
        assert problem.search_bigrams == problem_bigrams(problem)
        assert problem.unit_id == Ledger.objects.get(pk=problem.ledger_id).unit_id
    for measure in Measure.objects.select_related("responsible_person")[:200]:
        assert measure.search_bigrams == measure_bigrams(measure)
        if measure.responsible_person_id:
            assert measure.responsible_person.unit_id == measure.unit_id
    # Approved problems' measures are carried out, others wait; no measure runs before its list is reviewed.
    assert not Measure.objects.exclude(problem__review=ItemReview.APPROVED).exclude(state=MeasureState.PLANNED).exists()
    assert not Measure.objects.filter(problem__review=ItemReview.APPROVED, state=MeasureState.PLANNED).exists()
    for measure in Measure.objects.filter(state=MeasureState.IN_PROGRESS).exclude(percent=0)[:300]:
        latest = measure.progress_updates.filter(kind=ProgressKind.PROGRESS).order_by("-reported_on", "-id").first()
        assert (latest.percent, latest.reported_on) == (measure.percent, measure.last_progress_on)
    assert not ProgressUpdate.objects.filter(reported_on__gt=TODAY.date()).exists()
    assert not LedgerEvent.objects.filter(at__gt=clock.timezone.make_aware(TODAY)).exists()
    returned = Ledger.objects.filter(state=LedgerState.RETURNED)
    assert all(lg.problems.filter(review=ItemReview.RETURNED).exclude(review_comment="").exists() for lg in returned)


def test_demo_ledgers_closed_items_have_evidence(demo):
    closed = Measure.objects.filter(state__in=[MeasureState.CLOSED, MeasureState.CLOSE_REQUESTED])
    with_evidence = Measure.objects.filter(evidence__isnull=False).distinct()
    assert not closed.exclude(pk__in=with_evidence).exists()
    # the one reopened measure keeps the evidence of its earlier close-out
    assert list(with_evidence.exclude(pk__in=closed).values_list("unit__code", flat=True)) == ["D20"]
    assert not Measure.objects.filter(state=MeasureState.CLOSED, closed_on__isnull=True).exists()
    evidence = Evidence.objects.order_by("pk").first()
    from zuofeng.rectification.services.evidence import evidence_open

    with evidence_open(evidence) as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-") or content.startswith(b"\x89PNG")
    assert len(content) == evidence.size
    pdf = Evidence.objects.filter(content_type="application/pdf").first()
    with evidence_open(pdf) as handle:
        assert "演示佐证材料".encode("utf-16-be").hex().upper().encode() in handle.read()
    reopened = LedgerEvent.objects.filter(from_state=MeasureState.CLOSED, to_state=MeasureState.IN_PROGRESS)
    assert reopened.count() == 1
    assert reopened.get().measure.unit.code == "D20"


def test_demo_ledgers_clerk_and_leader_have_work(demo):
    clerk, leader = User.objects.get(username="clerk"), User.objects.get(username="leader")
    ledger = Ledger.objects.get(unit__code="D20S02")
    assert ledger.state == LedgerState.RETURNED
    assert list(ledger.problems.values_list("review", flat=True)) == ["approved", "returned", "approved"]
    actions = list(ledger.events.order_by("at", "id").values_list("action", "actor__username"))
    assert actions[0] == ("ledger.submit", "clerk")
    assert ("ledger.review", "leader") in actions
    assert AuditEntry.objects.filter(action="ledger.submitted", actor_id=clerk.pk).count() == 1
    with clock.frozen(TODAY):
        queue = review_queue(user=leader)
    assert {lg.unit.code for lg in queue["ledgers"]} == {"D20S03", "D20S04", "D20S09"}
    assert sorted(m.unit.code for m in queue["closes"]) == ["D20S05", "D20X01"]
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    assert client.get(f"/rectification/ledgers/{ledger.pk}/").status_code == 200


def test_demo_ledgers_second_run_changes_nothing(demo):
    before, audit = _snapshot(), AuditEntry.objects.count()
    output = _run()
    assert "演示整改清单已存在，未作修改。" in output
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit


def test_demo_ledgers_without_default_campaign_refuses(db):
    with pytest.raises(CommandError, match="load_campaign"):
        call_command("demo_ledgers", stdout=io.StringIO())


def test_demo_pdf_and_png_are_valid_files():
    pdf = demo_module.demo_pdf("演示佐证材料")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:].startswith(b"xref")
    png = demo_module.demo_png(4, 2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")
