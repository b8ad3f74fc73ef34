"""The published OpenAPI document is what the API does: schemathesis generates requests for every
operation (valid and invalid ones) and checks that none is a server error, that each status code is
documented and that each body matches its documented schema — as the office and as a clerk, with a
bearer token made by the token service.

Bounded so it stays about a minute per database on a 2-core machine (docs/decisions.md):
EXAMPLES cases per operation and caller, derandomized so a run is repeatable, no example database.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from zuofeng.api.api import api

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = 10

# The document exactly as /api/openapi.json serves it (round-tripped through JSON like a client).
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)))
schema.app = get_wsgi_application()
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
)
# 400 is the API's documented "a business rule refused this" (e.g. an empty 问题描述, Chinese
# messages per field); a schema-valid request must still never get a 422 or a 5xx.
schema.config.checks.positive_data_acceptance.expected_statuses = ["2xx", "400", "401", "403", "404", "409"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals would close the database
    connection (and the test's transaction) once CONN_MAX_AGE passes; the test Client does the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["office", "own_clerk"])
def bearer(request, people, problem_with_measure_home, token_for) -> dict:
    return {"Authorization": f"Bearer {token_for(getattr(people, request.param))}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_matches_its_documented_responses(case, bearer):
    case.call_and_validate(headers=bearer)
