"""Two people of one unit file an objection to the same score at the same moment: exactly one stays
open, the other is told in Chinese (the partial unique constraint assessment_one_open_objection_per_score).

Each thread has its own connection, so this needs PostgreSQL (SQLite serialises writers and proves nothing).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.assessment.support import compute
from tests.factories import Role, make_user
from zuofeng.assessment.models import Objection, UnitScore
from zuofeng.assessment.workflow import objection_raise

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent objections need PostgreSQL"),
]


def test_two_simultaneous_objections_one_open(district):
    run = compute(district.people.office, district.campaign)
    score = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    leaders = [district.people.reviewer, make_user("leader_a2", role=Role.UNIT_LEADER, unit=district.org.dept_a)]
    start = threading.Barrier(2)
    outcomes = [""] * 2

    def raise_objection(i: int) -> None:
        try:
            start.wait()
            objection_raise(actor=leaders[i], score=score, text=f"异议{i}")
            outcomes[i] = "open"
        except ValidationError as error:
            outcomes[i] = error.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=raise_objection, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["open", "本单位已有一条待答复的异议，请等待作风办答复"]
    assert Objection.objects.filter(score=score, state="open").count() == 1
