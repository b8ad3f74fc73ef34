"""Two writers at once on PostgreSQL: does the second wait for the first's open transaction?"""

import threading

from django.db import connection, connections, transaction


def second_writer_does_not_wait(first, second) -> None:
    """Runs `first()` in a transaction held open in another thread, then `second()` in a transaction
    that fails after 2 s of waiting on a lock; raises what either raised."""
    holding, done, errors = threading.Event(), threading.Event(), []

    def hold() -> None:
        try:
            with transaction.atomic():
                first()
                holding.set()
                assert done.wait(10)  # keeps its transaction open until the other has committed
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10), errors
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting on the other's row fails here
            second()
    finally:
        done.set()
        thread.join()
    assert errors == []
