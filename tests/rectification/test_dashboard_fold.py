"""The office's lines summed in the database (dashboard_fold) equal the lines folded in Python."""

import datetime as dt
import random

import pytest

from tests.rectification.test_dashboard_data import TODAY, build
from tests.rectification.test_rollups import Script
from zuofeng.core import clock
from zuofeng.organisation.models import Unit
from zuofeng.rectification.selectors.dashboard import _fold_in_python, dashboard_scope
from zuofeng.rectification.selectors.dashboard_fold import fold

pytestmark = pytest.mark.django_db


def both(user, campaign, root=None, today=TODAY):
    scope = dashboard_scope(user=user, campaign=campaign, root_id=root)
    return fold(scope, today), _fold_in_python(scope, today)


def comparable(folded) -> dict:
    data = vars(folded).copy()
    # the Python fold keeps every unit's list state; the page reads only the lines'
    data["ledger_states"] = {pk: s for pk, s in folded.ledger_states.items() if pk in folded.line_ids}
    data["ledger_counts"] = {state: n for state, n in folded.ledger_counts.items() if n}
    return data


@pytest.mark.parametrize("seed", [1, 2])
def test_database_fold_equals_python_fold_for_every_level_and_day(seed, campaign, org, people):
    build(campaign, org)
    script = Script(random.Random(seed), campaign, org, people)
    with clock.frozen(TODAY):
        for _ in range(40):
            script.step()
    roots = [None, *Unit.objects.values_list("pk", flat=True)]
    for today in (TODAY, TODAY + dt.timedelta(days=40), TODAY - dt.timedelta(days=30)):
        for root in roots:
            in_sql, in_python = both(people.office, campaign, root, today)
            assert in_sql is not None
            assert comparable(in_sql) == comparable(in_python), (root, today)


def test_python_fold_answers_when_a_unit_is_inactive_or_units_are_hidden(campaign, org, people):
    build(campaign, org)
    assert both(people.reviewer, campaign)[0] is None  # sees one department, not every unit
    org.section_b1.is_active = False
    org.section_b1.save()
    assert both(people.office, campaign)[0] is None
