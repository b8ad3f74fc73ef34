"""Running a computation in a test: the task runs at once (immediate backend, tests/conftest.py)."""

import datetime as dt

from django.test import TestCase

from zuofeng.assessment.models import AssessmentRun, UnitScore
from zuofeng.assessment.services.scores import run_request

CUTOFF = dt.date(2018, 12, 31)


def compute(office, campaign, *, cutoff=CUTOFF, reason="") -> AssessmentRun:
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = run_request(actor=office, campaign=campaign, cutoff=cutoff, reason=reason)
    run.refresh_from_db()
    return run


def items_of(run, unit) -> dict:
    score = UnitScore.objects.get(run=run, unit=unit)
    return {i.key: i for i in score.items.all()}
