"""The bare reference views of `make bench-http` read what the product pages they are compared with read."""

from django.test import RequestFactory

from bench.reference import urls as reference
from zuofeng.rectification.models import LedgerState, Light, MeasureState
from zuofeng.rectification.selectors.review import review_queue


def _text(response) -> str:
    return response.content.decode()


def test_the_reference_review_queue_holds_the_lists_and_close_requests_the_leaders_queue_holds(
    people, ledger, problem_with_measure
):
    _problem, measure = problem_with_measure
    ledger.state = LedgerState.SUBMITTED
    ledger.save()
    measure.state = MeasureState.CLOSE_REQUESTED
    measure.save()
    queue = review_queue(user=people.reviewer)
    assert [lg.pk for lg in queue["ledgers"]] == [ledger.pk]
    assert [m.pk for m in queue["closes"]] == [measure.pk]
    page = _text(reference.review(RequestFactory().get("/"), people.reviewer.pk))
    assert f"<td>{ledger.pk}</td>" in page
    assert f"<td>{measure.pk}</td><td>{measure.unit.name}</td><td>实行首问负责制，一次告知办理要求</td>" in page
    assert f"<td>{ledger.pk}</td>" not in _text(reference.review(RequestFactory().get("/"), people.other_leader.pk))


def test_the_reference_red_light_list_holds_open_red_measures_only(problem_with_measure):
    _problem, measure = problem_with_measure
    measure.light = Light.RED
    measure.save()
    assert _text(reference.red_lights(RequestFactory().get("/"))).startswith("<p>1</p><table><tr>")
    measure.state = MeasureState.CLOSED
    measure.save()
    assert _text(reference.red_lights(RequestFactory().get("/"))) == "<p>0</p><table></table>"
