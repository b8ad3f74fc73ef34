"""A ledger with a measure and uploaded evidence, committed (the backup reads from another connection)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.rectification.conftest import campaign, ledger, problem_with_measure  # noqa: F401 - fixtures
from tests.upload_files import pdf_bytes, png_bytes
from zuofeng.core import clock
from zuofeng.rectification.models import Evidence, MeasureState


@pytest.fixture
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT = root
    return root


@pytest.fixture
def evidence(problem_with_measure, people, private_root):  # noqa: F811 - the imported fixture
    from zuofeng.rectification.services.progress import progress_report
    from zuofeng.rectification.workflow import measure_transition

    _, measure = problem_with_measure
    with clock.frozen(dt.date(2018, 9, 16)):
        measure_transition(actor=people.reviewer, measure=measure, to=MeasureState.IN_PROGRESS)
    with clock.frozen(dt.date(2018, 10, 1)):
        progress_report(
            actor=people.own_clerk,
            measure=measure,
            reported_on=dt.date(2018, 10, 1),
            text="首问负责制已在三个窗口实行",
            percent=40,
            files=[
                SimpleUploadedFile("整改报告.pdf", pdf_bytes(), content_type="application/pdf"),
                SimpleUploadedFile("窗口照片.png", png_bytes(), content_type="image/png"),
            ],
        )
    return list(Evidence.objects.order_by("pk"))


@pytest.fixture(autouse=True)
def _schema_back(transactional_db):
    """A test that leaves the database empty (a refused restore) gets the schema back for the next one."""
    yield
    from django.core.management import call_command
    from django.db import connection

    if not connection.introspection.table_names():
        call_command("migrate", interactive=False, verbosity=0)
