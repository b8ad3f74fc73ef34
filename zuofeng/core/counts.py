"""Several row counts in one round trip.

A home page shows a handful of small counts from different tables. On a busy server each query's round
trip and the ORM's compiling of it cost more than counting a few hundred rows, so the counts go out
as one `SELECT (SELECT count(*) FROM (…)), (SELECT count(*) FROM (…)), …`.
"""

# ruff: noqa: S608 - the statement is made of the querysets' own compiled SQL; values are parameters

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def counts_together(*querysets: QuerySet) -> list[int]:
    """The number of rows of each queryset, in order, from one query (`queryset.count()` each)."""
    parts, params = [], []
    for index, queryset in enumerate(querysets):
        try:
            sql, values = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # e.g. pk__in=[]: Django knows it is empty without asking
            parts.append("0")
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) counted_{index})")
        params.extend(values)
    if not querysets:
        return []
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return [int(n) for n in cursor.fetchone()]
