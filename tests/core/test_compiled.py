"""A query compiled once gives, with any parameters, exactly what the ORM gives (converters too)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from zuofeng.core.compiled import CompiledModels, CompiledPerKey, CompiledValues
from zuofeng.organisation.models import Unit


def _children(parent_id: int):
    return Unit.objects.filter(parent_id=parent_id).order_by("order").values("pk", "name", "functions", "is_active")


def test_rows_equal_the_orms_for_every_parameter_and_the_sql_is_compiled_once(org):
    query = CompiledValues(_children, "parent_id")
    for parent in (org.dept_a, org.section_a1, org.dept_b, org.sub_a1x):
        assert query.run(parent_id=parent.pk) == list(_children(parent.pk))
        assert query.rows(parent_id=parent.pk) == [tuple(row.values()) for row in _children(parent.pk)]
    assert query.run(parent_id=org.section_a1.pk) == [
        {"pk": org.sub_a1x.pk, "name": "财政服务中心", "functions": ["service"], "is_active": True}
    ]
    assert len(query._compiled) == 1
    with CaptureQueriesContext(connection) as queries:
        query.run(parent_id=org.dept_a.pk)
    assert len(queries) == 1


def test_a_parameter_the_sql_does_not_carry_unchanged_is_refused(db):
    query = CompiledValues(lambda code: Unit.objects.filter(code__contains=code).values("pk"), "code")
    with pytest.raises(ValueError, match="code"):
        query.run(code="D01")


def test_only_values_querysets(db):
    with pytest.raises(TypeError):
        CompiledValues(lambda pk: Unit.objects.filter(pk=pk), "pk").run(pk=1)


def _with_parent(pk: int):
    return (
        Unit.objects.select_related("parent")
        .defer("functions")
        .annotate(child_count=Count("children"))
        .filter(pk=pk)
        .order_by()
    )


def _fields(unit) -> dict:
    return {name: value for name, value in vars(unit).items() if not name.startswith("_")}


def test_instances_equal_the_orms_with_related_rows_deferred_fields_and_annotations(org):
    query = CompiledModels(_with_parent, "pk")
    for unit in (org.dept_a, org.section_a1, org.sub_a1x):
        [compiled], [orm] = query.instances(pk=unit.pk), list(_with_parent(unit.pk))
        assert _fields(compiled) == _fields(orm)
        assert compiled.get_deferred_fields() == orm.get_deferred_fields() == {"functions"}
        parent = compiled.parent  # read with the row: no query
        assert parent is None if orm.parent is None else _fields(parent) == _fields(orm.parent)
    [section] = query.instances(pk=org.section_a1.pk)
    assert (section.name, section.parent.name, section.child_count) == ("预算科", "武进区财政局", 1)
    assert query.instances(pk=10**9) == []


def _named(parent_ids: list[int]):
    return Unit.objects.filter(parent_id__in=parent_ids).order_by("order").values_list("pk", "name", "functions")


def test_per_key_rows_equal_the_orms_lists_included_and_each_key_is_compiled_once(org):
    query = CompiledPerKey(_named)
    for ids in ([org.dept_a.pk], [org.section_a1.pk, org.dept_b.pk], []):
        assert query.rows(tuple(ids), parent_ids=ids) == list(_named(ids))
        assert query.rows(tuple(ids), parent_ids=["ignored: the key is compiled"]) == list(_named(ids))
    with CaptureQueriesContext(connection) as queries:
        query.rows((org.dept_a.pk,))
    assert len(queries) == 1


def test_per_key_keeps_the_most_recent_keys(org):
    query = CompiledPerKey(_named, keep=2)
    for pk in (org.dept_a.pk, org.dept_b.pk, org.section_a1.pk, org.dept_b.pk):
        query.rows(pk, parent_ids=[pk])
    assert query._compiled.keys() == [("default", org.section_a1.pk), ("default", org.dept_b.pk)]


def test_a_text_parameter_is_recognised_in_its_string_form(org):
    # A text field's lookup turns the sentinel into its decimal string (a session key's, for one).
    query = CompiledValues(lambda code: Unit.objects.filter(code=code).values("pk"), "code")
    assert query.run(code=org.dept_a.code) == [{"pk": org.dept_a.pk}]
    assert query.run(code="no such code") == []


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_compiled_query_becomes_a_prepared_statement_with_the_same_rows(org):
    query = CompiledValues(_children, "parent_id")
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold == 5
    parents = [org.dept_a, org.section_a1, org.dept_b, org.sub_a1x] * 2
    for parent in parents[: threshold + 1]:
        assert query.run(parent_id=parent.pk) == list(_children(parent.pk))
    sql = query._compiled["default"][0]
    assert [s for s in _prepared() if s == sql.replace("%s", "$1")] == [sql.replace("%s", "$1")]
    # and Django's own queries are not prepared: they bind parameters on the client
    for _ in range(threshold + 1):
        list(_children(org.dept_a.pk))
    assert all("organisation_unit" not in s or s == sql.replace("%s", "$1") for s in _prepared())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_with_preparing_off_as_behind_pgbouncer_nothing_is_prepared(org):
    query = CompiledValues(_children, "parent_id")
    connection.ensure_connection()
    connection.connection.prepare_threshold = None  # what PGBOUNCER=1 configures
    try:
        for _ in range(8):
            assert query.run(parent_id=org.dept_a.pk) == list(_children(org.dept_a.pk))
        assert not [s for s in _prepared() if "organisation_unit" in s]
    finally:
        connection.connection.prepare_threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]


def test_while_queries_are_logged_the_sql_is_logged_as_text(org):
    query = CompiledValues(_children, "parent_id")
    for _ in range(8):
        query.run(parent_id=org.dept_a.pk)
    with CaptureQueriesContext(connection) as queries:
        query.run(parent_id=org.dept_a.pk)
    assert str(org.dept_a.pk) in queries[0]["sql"]
