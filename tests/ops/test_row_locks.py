"""A write to one unit's list must not lock the campaign row every other write refers to.

PostgreSQL checks a foreign key by taking a KEY SHARE lock on the referenced row (at COMMIT, as
Django's constraints are deferred). If a write holds the campaign row FOR UPDATE, every insert that
refers to the campaign, in any unit, waits on it — and with the audit chain's head row locked in
between, the two wait on each other: the deadline-day surge (bench/surge.py) answered HTTP 500
"deadlock detected" on /rectification/ledgers/…/measures/…/edit/ and /nominations/new/…/.
"""

import psycopg
import pytest
from django.db import connection

from zuofeng.core import clock
from zuofeng.rectification.models import LedgerState, MeasureState
from zuofeng.rectification.services import ledger as services

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _other_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                           host=s["HOST"] or None, port=s["PORT"] or None)  # fmt: skip


def test_saving_a_measure_waits_for_no_other_transaction_holding_the_campaign_key(people, problem_with_measure_home):
    measure = problem_with_measure_home
    ledger = measure.problem.ledger
    ledger.state = LedgerState.DRAFT
    ledger.save(update_fields=["state"])
    measure.state = MeasureState.PLANNED
    measure.save(update_fields=["state"])
    data = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
    data["text"] = "首问负责，一次告知"
    with _other_connection() as other:
        # What any concurrent insert that refers to the campaign holds until it commits.
        other.execute("SELECT 1 FROM campaigns_campaign WHERE id = %s FOR KEY SHARE", [measure.campaign_id])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        try:
            with clock.frozen(clock.now()):
                services.measure_update(actor=people.own_clerk, measure=measure, version=measure.version, data=data)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    measure.refresh_from_db()
    assert measure.text == "首问负责，一次告知"
