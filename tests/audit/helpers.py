"""Simulating tampering: the guard triggers are lifted only for the statement under test."""

from django.db import connection

from zuofeng.audit import db_guard


def tamper(sql: str, params: list | None = None) -> None:
    """Run raw SQL against the audit tables as an intruder with database access would."""
    with db_guard.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
