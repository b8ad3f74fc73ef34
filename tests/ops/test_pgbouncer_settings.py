"""PGBOUNCER=1 makes the PostgreSQL connection safe for PgBouncer's transaction mode (docs/deploy.md, 7)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "from django.conf import settings as s; import django, json; django.setup(); d = s.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d.get('DISABLE_SERVER_SIDE_CURSORS', False), d.get('OPTIONS', {})]))"
)


def _database_settings(**env) -> list:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "zuofeng.settings",
                   "DATABASE_URL": "postgres://zuofeng@127.0.0.1:6432/zuofeng", **env}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=environment, capture_output=True, text=True,
                         check=True, timeout=60).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def test_behind_pgbouncer_no_persistent_connection_server_side_cursor_or_prepared_statement():
    assert _database_settings(PGBOUNCER="1") == [0, True, {"prepare_threshold": None}]


def test_without_pgbouncer_connections_persist_cursors_are_server_side_and_compiled_queries_are_prepared():
    assert _database_settings(PGBOUNCER="0", CONN_MAX_AGE="60") == [60, False, {"prepare_threshold": 5}]
