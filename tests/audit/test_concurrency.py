"""Several app processes writing at once, simulated with threads (each has its own connection)."""

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from tests.factories import make_user
from zuofeng.accounts.models import LoginAttempt
from zuofeng.accounts.services import LoginRefused, login_authenticate
from zuofeng.audit.services import audit_record
from zuofeng.audit.verify import audit_verify

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _run_together(work, n: int) -> None:
    start = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_concurrent_writers_form_one_chain():
    _run_together(lambda i: audit_record(actor=None, action="test.parallel", detail=str(i)), 8)
    assert audit_verify().message == "审计链完整：共 8 条"


def test_concurrent_failed_logins_are_all_counted():
    make_user("target")

    def fail(i: int) -> None:
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=f"10.0.0.{i + 1}")
        with pytest.raises(LoginRefused):
            login_authenticate(request=request, username="target", password="wrong")

    _run_together(fail, 5)
    attempt = LoginAttempt.objects.get(username="target")
    assert attempt.failures == 5
    assert attempt.locked_until is not None
    assert audit_verify().ok
