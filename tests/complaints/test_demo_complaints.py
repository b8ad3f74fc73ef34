"""`manage.py demo_complaints`: cases at every step for the demo's 区财政局, filed through the services; idempotent."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from zuofeng.audit.models import AuditEntry
from zuofeng.complaints.models import Complaint, Reporter, SurveyPeriod
from zuofeng.complaints.selectors.survey import survey_results
from zuofeng.core import clock

pytestmark = pytest.mark.django_db


def test_demo_builds_the_cases_once(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("demo_district", stdout=io.StringIO())
    call_command("load_campaign", "campaigns/wujin-2018.yaml", "--default", stdout=io.StringIO())
    out = io.StringIO()
    with clock.frozen(dt.datetime(2018, 10, 15, 9, 0)):
        call_command("demo_complaints", stdout=out)
        assert out.getvalue() == "演示群众反映已生成：7 件，办理步骤 18 步；满意度测评 36 份。\n"
        states = Counter(Complaint.objects.values_list("state", flat=True))
        assert states == {
            "dispatched": 1, "handling": 1, "replied": 1, "rated": 1, "concluded": 1, "received": 1, "declined": 1
        }  # fmt: skip
        assert Reporter.objects.count() == 4
        [other, finance] = survey_results(SurveyPeriod.objects.get())  # by name: 区人社局, 区财政局
        assert (finance.name, finance.counted, finance.set_aside, finance.published) == ("区财政局", 30, 2, True)
        assert (other.name, other.counted, other.published) == ("区人社局", 4, False)
        audits = AuditEntry.objects.count()
        again = io.StringIO()
        call_command("demo_complaints", stdout=again)
    assert again.getvalue().startswith("演示群众反映已存在")
    assert Complaint.objects.count() == 7 and AuditEntry.objects.count() == audits
