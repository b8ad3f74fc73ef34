"""公文 API: drafting and issuing (office), receipts scoped to the caller's units, signing, forwarding, 催办."""

import pytest

from tests.notices.conftest import copy_of, issue
from zuofeng.notices.models import Notice

BASE = "/api/notices"
FORBIDDEN = {"detail": "您的角色无权访问此项内容。"}
NOT_FOUND = {"detail": "未找到该记录，或您无权查看。"}
pytestmark = pytest.mark.django_db

DRAFT = {
    "issuer": "常州市武进区作风建设领导小组办公室",
    "number_prefix": "武作组办",
    "title": "关于开展督查的通知",
    "body": "一、督查内容",
    "signed_on": "2018-09-03",
    "printed_by": "常州市武进区作风建设领导小组办公室",
    "printed_on": "2018-09-03",
}


def test_office_drafts_and_issues(bearer_client, people, org):
    client = bearer_client(people.office)
    created = client.post(BASE, {**DRAFT, "addressees": [org.dept_a.pk]}, content_type="application/json")
    assert created.status_code == 200, created.json()
    notice_id = created.json()["id"]
    issued = client.post(f"{BASE}/{notice_id}/issue")
    assert (issued.json()["doc_number"], issued.json()["state"]) == ("武作组办〔2018〕1号", "issued")
    again = client.post(f"{BASE}/{notice_id}/issue")
    assert again.status_code == 400 and again.json()["detail"] == "该通知已印发，不能重复印发。"


def test_bad_draft_is_a_400_per_field(bearer_client, people, org):
    response = bearer_client(people.office).post(BASE, {**DRAFT, "title": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["请填写标题。"]}
    assert Notice.objects.count() == 0


def test_a_unit_may_not_draft(bearer_client, people):
    response = bearer_client(people.reviewer).post(BASE, DRAFT, content_type="application/json")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_receipts_are_scoped_and_acknowledged_by_the_own_unit(bearer_client, people, org):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    leader = bearer_client(people.reviewer)
    rows = leader.get(f"{BASE}/{notice.pk}/receipts").json()["items"]
    assert [r["unit"]["name"] for r in rows] == ["武进区财政局"]
    other = copy_of(notice, org.dept_b)
    assert leader.post(f"{BASE}/{notice.pk}/receipts/{other.pk}/acknowledge").status_code == 404
    own = copy_of(notice, org.dept_a)
    signed = leader.post(f"{BASE}/{notice.pk}/receipts/{own.pk}/acknowledge").json()
    assert signed["acknowledged_by"] == people.reviewer.display_name
    office_rows = bearer_client(people.office).get(f"{BASE}/{notice.pk}/receipts?unsigned=true").json()["items"]
    assert [r["unit"]["name"] for r in office_rows] == ["武进区商务局"]


def test_notice_of_another_unit_is_a_404(bearer_client, people, org):
    notice = issue(people.office, [org.dept_b])
    response = bearer_client(people.reviewer).get(f"{BASE}/{notice.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert bearer_client(people.reviewer).get(BASE).json()["items"] == []


def test_forward_and_chase(bearer_client, people, org):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    own = copy_of(notice, org.dept_a)
    response = bearer_client(people.reviewer).post(
        f"{BASE}/{notice.pk}/receipts/{own.pk}/forward",
        {"units": [org.section_a1.pk], "printed_by": "武进区财政局办公室"},
        content_type="application/json",
    )
    assert response.json()["delivered_to"] == 1
    outside = bearer_client(people.reviewer).post(
        f"{BASE}/{notice.pk}/receipts/{own.pk}/forward",
        {"units": [org.section_b1.pk], "printed_by": "办公室"},
        content_type="application/json",
    )
    assert outside.status_code == 400
    assert outside.json()["errors"] == {"units": ["只能转发给本单位的下属单位、内设科室或本单位审核的单位。"]}
    chased = bearer_client(people.office).post(f"{BASE}/{notice.pk}/chase", {}, content_type="application/json")
    assert chased.json() == {"chased": 2}  # 区商务局 and 预算科 (财政局 signed by forwarding)


def test_roles_without_business_data_are_refused(client_for, people, org):
    notice = issue(people.office, [org.dept_a])
    for user in (people.judge, people.sysadmin, people.auditor):
        response = client_for(user).get(f"{BASE}/{notice.pk}")
        assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_bulletin_published_through_the_api_shows_only_released_fields(bearer_client, people):
    from django.test import Client

    client = bearer_client(people.office)
    bulletin = client.post(
        "/api/bulletins", {"kind": "criticism", "title": "督查通报"}, content_type="application/json"
    ).json()
    with_item = client.post(
        f"/api/bulletins/{bulletin['id']}/items",
        {"unit": "武进区财政局", "person": "张某某", "text": "推诿扯皮。"},
        content_type="application/json",
    ).json()
    item_id = with_item["items"][0]["id"]
    published = client.post(
        f"/api/bulletins/{bulletin['id']}/publish",
        {"released": {item_id: ["unit", "text"]}},
        content_type="application/json",
    ).json()
    assert (published["state"], published["items"][0]["released"]) == ("published", ["unit", "text"])
    html = Client().get(f"/notices/public/{bulletin['id']}/").content.decode()
    assert "推诿扯皮。" in html and "张某某" not in html
    assert bearer_client(people.reviewer).get("/api/bulletins").status_code == 403
