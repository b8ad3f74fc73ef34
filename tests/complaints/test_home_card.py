"""「我的工作」's 群众反映 card: how many cases wait for the office or the unit and how many of them are
red — counted in the database, agreeing with each case's own light (complaint_light)."""

import datetime as dt
import itertools

from tests.conftest import login
from zuofeng.complaints.models import Complaint, ComplaintKind, ComplaintState
from zuofeng.complaints.selectors.cases import complaint_light, complaints_for, complaints_work
from zuofeng.core import clock

TODAY = dt.date(2018, 10, 15)
DAYS = (None, TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=5))
_numbers = itertools.count(1)


def case(campaign, unit, state, *, deadline=None, sign_due=None) -> Complaint:
    n = next(_numbers)
    return Complaint.objects.create(
        campaign=campaign, code=f"C{n:05d}", secret_hash="x", submission_key=f"k{n}", kind=ComplaintKind.COMPLAINT,
        state=state, unit=unit, text_original="来回跑了三趟", text="来回跑了三趟",
        received_at=dt.datetime(2018, 10, 1, 9, 0, tzinfo=dt.UTC), deadline=deadline, sign_due=sign_due,
    )  # fmt: skip


def test_red_counted_in_the_database_agrees_with_each_cases_light(campaign, org, people):
    for state in ComplaintState:
        for deadline, sign_due in itertools.product(DAYS, DAYS):
            case(campaign, org.dept_a, state, deadline=deadline, sign_due=sign_due)
    with clock.frozen(TODAY):
        for user in (people.office, people.reviewer):
            card = complaints_work(user=user)
            waiting = [c for c in complaints_for(user) if c.state in _waiting_states(user)]
            assert card["waiting"] == card["total"] == len(waiting)
            assert card["red"] == sum(1 for c in waiting if complaint_light(c)[0] == "red")


def _waiting_states(user) -> set[str]:
    if user.username == "office":
        return {"received", "return_requested", "extension_requested", "replied", "rated"}
    return {ComplaintState.DISPATCHED, ComplaintState.HANDLING}


def test_the_card_names_the_exact_numbers(campaign, org, people):
    yesterday, later = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=5)
    case(campaign, org.dept_a, ComplaintState.DISPATCHED, deadline=later, sign_due=yesterday)  # 超时未签收: red
    case(campaign, org.dept_a, ComplaintState.HANDLING, deadline=yesterday)  # 已超期: red
    case(campaign, org.dept_a, ComplaintState.HANDLING, deadline=later)  # green
    case(campaign, org.dept_b, ComplaintState.HANDLING, deadline=yesterday)  # another unit's
    case(campaign, None, ComplaintState.RECEIVED)  # waits for the office
    with clock.frozen(TODAY):
        unit = login(people.reviewer).get("/").content.decode()
        office = login(people.office).get("/").content.decode()
    assert (
        '派给本单位、待签收或办理的群众反映 <strong>3</strong> 件，其中红灯 <strong class="zf-late">2</strong> 件'
        in unit
    )
    assert "待作风办受理、审批或审核的群众反映 <strong>1</strong> 件。" in office
