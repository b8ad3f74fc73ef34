"""Two units called 办公室 under different parents are told apart wherever they are named out of the tree:
review queue, dashboard items, exports and notifications."""

import datetime as dt
import io

import openpyxl
import pytest

from tests.conftest import login
from tests.factories import Role, make_unit, make_user
from tests.rectification.test_dashboard_data import TODAY, make_measure, make_problem
from zuofeng.core import clock
from zuofeng.organisation.models import UnitKind
from zuofeng.rectification.models import Ledger, LedgerState, Light, MeasureState
from zuofeng.rectification.workflow import ledger_transition
from zuofeng.reminders.models import Reminder


@pytest.fixture
def offices(campaign, org):
    units = [
        make_unit(name="办公室", kind=UnitKind.SECTION, parent=org.dept_a, order=9),
        make_unit(name="办公室", kind=UnitKind.SECTION, parent=org.dept_b, order=9),
    ]
    for unit in units:
        problem = make_problem(
            campaign, unit, ledger_state=LedgerState.DRAFT, category="duty", symptom="tuiwei", source="self",
            description="推诿",
        )  # fmt: skip
        make_measure(problem, "首问负责", state=MeasureState.PLANNED, light=Light.NONE, deadline=dt.date(2018, 12, 1))
    return units


def test_notifications_and_review_queue_name_the_parent(offices, people, org):
    clerk = make_user("clerk_office_a", role=Role.SECTION_CLERK, unit=offices[0])
    ledger = Ledger.objects.get(unit=offices[0])
    ledger_transition(actor=clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    assert list(Reminder.objects.filter(recipient=people.reviewer).values_list("title", flat=True)) == [
        "区财政局·办公室提交了整改清单，请审核"
    ]
    Ledger.objects.filter(unit=offices[1]).update(state=LedgerState.SUBMITTED, submitted_at=clock.now())
    assert "区财政局·办公室" in login(people.reviewer).get("/rectification/review/").content.decode()
    assert "区商务局·办公室" in login(people.other_leader).get("/rectification/review/").content.decode()


def test_dashboard_items_and_export_name_the_parent(offices, people):
    with clock.frozen(TODAY):
        page = login(people.office).get("/rectification/dashboard/items/?flag=open").content.decode()
        content = b"".join(login(people.office).post("/rectification/dashboard/export/").streaming_content)
    assert page.count("区财政局·办公室") == 1 and page.count("区商务局·办公室") == 1
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[2]) for r in rows] == [("区财政局·办公室", "起草中"), ("区商务局·办公室", "起草中")]


def test_ledger_list_and_page_name_the_parent(offices, people):
    listing = login(people.office).get("/rectification/ledgers/").content.decode()
    assert listing.count("区财政局·办公室") == 1 and listing.count("区商务局·办公室") == 1
    ledger = Ledger.objects.get(unit=offices[0])
    page = login(people.office).get(f"/rectification/ledgers/{ledger.pk}/").content.decode()
    assert "<title>区财政局·办公室整改清单" in page
    assert '<h1 class="h4 mb-1">区财政局·办公室整改清单</h1>' in page
