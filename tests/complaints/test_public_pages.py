"""The reporter follows the case with code and secret (no account) and rates the reply; the public
status API by code; the statistics page shows a unit's satisfaction only from the minimum count up."""

import pytest
from django.test import Client

from tests.complaints.conftest import file_report
from zuofeng.complaints.models import Complaint
from zuofeng.complaints.models import ComplaintState as S
from zuofeng.complaints.workflow import complaint_transition

pytestmark = pytest.mark.django_db


def _answered(org, people):
    client = Client()
    complaint, secret = file_report(client, photo=False)
    complaint_transition(actor=people.office, complaint=complaint, to=S.DISPATCHED, unit=org.dept_a)
    complaint_transition(actor=people.reviewer, complaint=complaint, to=S.HANDLING)
    complaint_transition(
        actor=people.reviewer, complaint=complaint, to=S.REPLIED, reply="已责成窗口一次性告知所需材料。"
    )
    return complaint, secret


def test_the_reporter_opens_the_case_with_code_and_secret_and_rates_the_reply(campaign, org, people, monday):
    complaint, secret = _answered(org, people)
    visitor = Client()
    assert visitor.get(f"/complaints/track/{complaint.code}/").status_code == 404  # not without the secret
    response = visitor.post("/complaints/track/", {"code": complaint.code.lower(), "secret": secret})
    assert response.status_code == 302
    page = visitor.get(f"/complaints/track/{complaint.code}/").content.decode()
    assert "答复待审核" in page and "已责成窗口" not in page  # the office checks the reply first
    complaint_transition(actor=people.office, complaint=complaint, to=S.ANSWERED)
    page = visitor.get(f"/complaints/track/{complaint.code}/").content.decode()
    assert "已责成窗口一次性告知所需材料。" in page and "提交评价" in page
    bad = visitor.post(f"/complaints/track/{complaint.code}/rate", {"rating": ""})
    assert bad.context["rate_form"].errors["rating"] == ["请选择评价。"]
    visitor.post(f"/complaints/track/{complaint.code}/rate", {"rating": "unsatisfied", "comment": "还要跑"})
    complaint.refresh_from_db()
    assert (complaint.state, complaint.rating, complaint.rating_comment) == (S.RATED, "unsatisfied", "还要跑")


def test_a_wrong_secret_is_refused_and_guessing_is_limited(campaign, org, people):
    complaint, secret = file_report(photo=False)
    visitor = Client()
    response = visitor.post("/complaints/track/", {"code": complaint.code, "secret": "00000000"})
    assert response.context["form"].non_field_errors() == ["查询码或查询密码不正确。"]
    for _ in range(29):
        visitor.post("/complaints/track/", {"code": complaint.code, "secret": "00000000"})
    response = visitor.post("/complaints/track/", {"code": complaint.code, "secret": secret})
    assert response.context["form"].non_field_errors() == ["查询过于频繁，请一小时后再试。"]


def test_the_public_status_api_answers_by_code_without_login(campaign, org, people, monday):
    complaint, _ = _answered(org, people)
    body = Client().get(f"/api/public/complaints/{complaint.code}").json()
    assert body == {
        "service_request_id": complaint.code,
        "service_name": "投诉",
        "status": "open",
        "status_notes": "答复待审核",
        "agency_responsible": "区财政局",
        "requested_datetime": "2018-10-15T01:00:00Z",  # 09:00 in Beijing
        "expected_datetime": "2018-10-29",
        "updated_datetime": body["updated_datetime"],
    }
    assert Client().get("/api/public/complaints/QXXXXXXXXX").status_code == 404


def test_statistics_show_a_unit_only_from_the_minimum_count(campaign, org, people, monday, settings):
    campaign.definition = {"complaints": {"survey": {"min_responses": 2}}}
    campaign.save()
    first, _ = _answered(org, people)
    complaint_transition(actor=people.office, complaint=first, to=S.ANSWERED)
    complaint_transition(actor=None, complaint=first, to=S.RATED, rating="satisfied")
    page = Client().get("/complaints/stats/").content.decode()
    assert "另有 1 个单位评价数不足 2 件，暂不公布。" in page and '<td data-label="单位">区财政局</td>' not in page
    second, _ = _answered(org, people)
    complaint_transition(actor=people.office, complaint=second, to=S.ANSWERED)
    complaint_transition(actor=None, complaint=second, to=S.RATED, rating="unsatisfied")
    page = Client().get("/complaints/stats/").content.decode()
    assert (
        '<td data-label="单位">区财政局</td><td data-label="评价数">2</td><td data-label="满意">1</td>'
        '<td data-label="基本满意">0</td><td data-label="不满意">1</td><td data-label="满意率">50.0%</td>'
    ) in page
    assert Complaint.objects.count() == 2


def test_a_new_case_in_the_office_list_says_it_has_no_deadline_yet(campaign, org, people, client_for):
    # Not yet with a unit, it has no light: the phone layout showed a bare "期限：" with nothing after it.
    complaint, _ = file_report(photo=False)
    html = client_for(people.office).get("/complaints/office/").content.decode()
    assert complaint.code in html and '<td data-label="期限">—</td>' in html
