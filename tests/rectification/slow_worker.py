"""A real `db_worker` whose ledger export pauses before each row, so a test can kill it mid-job.

Run as a script by tests/rectification/test_job_recovery.py; SLOW_ROW_SECONDS sets the pause. Only
the row source is slowed: claiming, progress, heartbeat and file handling are the real ones.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from zuofeng.rectification.services import export  # noqa: E402

pause = float(os.environ.get("SLOW_ROW_SECONDS", "1"))
rows = export.ledger_export_records


def slow_rows(measures):
    for record in rows(measures):
        time.sleep(pause)
        yield record


export.ledger_export_records = slow_rows
export.PROGRESS_EVERY = 1
call_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2")
