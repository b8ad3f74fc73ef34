"""The internal API: the same scope and moves as the pages; an invisible case is a 404, a refused role a 403,
a move missing what it needs a 400 naming the field in Chinese."""

import json

import pytest

from tests.complaints.conftest import file_report
from tests.conftest import login
from zuofeng.complaints.models import ComplaintState as S
from zuofeng.complaints.workflow import complaint_transition

pytestmark = pytest.mark.django_db


def _post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def dispatched(campaign, org, people, monday):
    complaint, _ = file_report(photo=False)
    complaint_transition(actor=people.office, complaint=complaint, to=S.DISPATCHED, unit=org.section_a1)
    return complaint


def test_who_sees_the_case_in_the_api(dispatched, people):
    expected = {
        people.office: (200, 200),
        people.own_clerk: (200, 200),
        people.reviewer: (200, 200),
        people.sibling_clerk: (200, 404),
        people.other_leader: (200, 404),
        people.judge: (403, 403),
        people.inspector: (403, 403),
        people.sysadmin: (403, 403),
        people.auditor: (403, 403),
    }
    for user, (list_status, detail_status) in expected.items():
        client = login(user)
        listing = client.get("/api/complaints")
        assert listing.status_code == list_status, user.username
        if list_status == 200:
            codes = [row["code"] for row in listing.json()["items"]]
            assert codes == ([dispatched.code] if detail_status == 200 else []), user.username
        assert client.get(f"/api/complaints/{dispatched.pk}").status_code == detail_status, user.username


def test_the_unit_signs_and_replies_through_the_api(dispatched, people):
    clerk = login(people.own_clerk)
    signed = _post(clerk, f"/api/complaints/{dispatched.pk}/moves", {"to": "handling"})
    assert signed.status_code == 200 and signed.json()["state_label"] == "办理中"
    refused = _post(clerk, f"/api/complaints/{dispatched.pk}/moves", {"to": "replied", "reply": "好"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reply": ["请填写答复内容，至少 10 个字。"]}
    other = _post(login(people.other_leader), f"/api/complaints/{dispatched.pk}/moves", {"to": "replied"})
    assert other.status_code == 404


def test_only_the_office_reads_the_reporter_through_the_api(dispatched, people):
    assert login(people.reviewer).get(f"/api/complaints/{dispatched.pk}/reporter").status_code == 403
    assert login(people.office).get(f"/api/complaints/{dispatched.pk}/reporter").json()["named"] is True
