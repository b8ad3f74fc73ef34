"""Eight notices issued at the same moment under one 机关代字 get eight different numbers, 1 to 8.

Each thread has its own connection; the sequence row lock and the unique constraint hold only on
PostgreSQL (SQLite serialises writers and proves nothing).
"""

import threading

import pytest
from django.db import connection, connections

from tests.factories import Role, make_unit, make_user
from tests.notices.conftest import draft
from zuofeng.notices.models import Notice
from zuofeng.notices.workflow import notice_transition

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent issuing needs PostgreSQL"),
]


def test_simultaneous_issues_take_distinct_consecutive_numbers():
    unit = make_unit(name="武进区财政局", code="D01")
    office = make_user("office", role=Role.OFFICE)
    drafts = [draft(office, [unit], title=f"通知{i}") for i in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def run(notice):
        try:
            barrier.wait()
            notice_transition(actor=office, notice=notice, to="issued")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Notice.objects.values_list("number", flat=True)) == list(range(1, 9))
