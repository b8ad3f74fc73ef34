"""Database triggers that keep the audit trail append-only even against raw SQL.

The model and queryset refuse changes too, but only code that goes through the ORM; these
triggers also stop `UPDATE audit_auditentry …` typed into a database shell. AuditHead may only
move forward, so the newest entries cannot be deleted and the head wound back to hide it.

On PostgreSQL TRUNCATE is refused as well. The migration installs them; keep the statements
stable, an existing database has them.
"""

import contextlib
from collections.abc import Iterator

from zuofeng.core.triggers import statements_run

ENTRY_TABLE = "audit_auditentry"
HEAD_TABLE = "audit_audithead"

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '审计日志只能追加，不能修改或删除' USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()
    """,
    """
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()
    """,
    """
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()
    """,
    """
    CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR NEW.last_id < OLD.last_id OR NEW.count < OLD.count THEN
            RAISE EXCEPTION '审计链头只能前进，不能回退或删除' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_audithead",
    "DROP FUNCTION IF EXISTS audit_head_forward_only()",
]

SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END
    """,
    """
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END
    """,
    """
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
    BEGIN SELECT RAISE(ABORT, '审计链头不能删除'); END
    """,
    """
    CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_audithead
    WHEN NEW.last_id < OLD.last_id OR NEW.count < OLD.count
    BEGIN SELECT RAISE(ABORT, '审计链头只能前进，不能回退'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
]


def install(connection) -> None:
    statements_run(connection, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(connection) -> None:
    statements_run(connection, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


@contextlib.contextmanager
def suspended(connection) -> Iterator[None]:
    """Lift the guard for a block: `flush`, and tests that simulate tampering."""
    if ENTRY_TABLE not in connection.introspection.table_names():
        yield
        return
    remove(connection)
    try:
        yield
    finally:
        install(connection)
