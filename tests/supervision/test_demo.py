"""demo_supervision on the demo district: a round with findings (one in the list), a 回头看, the 财政 line, a
case and a 自查自纠 report; running it again changes nothing."""

import pytest
from django.core.management import call_command

from zuofeng.supervision.models import (
    AccountabilityCase,
    Finding,
    InspectionRound,
    LineLink,
    RecheckSample,
    SelfInspectionReport,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (InspectionRound, Finding, RecheckSample, LineLink, AccountabilityCase, SelfInspectionReport)
    ]


def test_demo_supervision_is_complete_and_idempotent(settings):
    call_command("demo_district", verbosity=0)
    call_command("load_campaign", str(settings.BASE_DIR / "campaigns" / "wujin-2018.yaml"), "--default", verbosity=0)
    call_command("demo_ledgers", verbosity=0)
    call_command("demo_supervision", verbosity=0)
    first = _counts()
    assert first[:2] == [1, 3]
    assert first[2] == 1
    assert first[3] == 16
    assert first[4:] == [1, 1]
    assert Finding.objects.filter(problem__origin="督查发现").count() == 1
    call_command("demo_supervision", verbosity=0)
    assert _counts() == first
