"""公文 API, the rest of the page actions: 附件 in and out, deleting a draft, 通报表扬 from the
nomination results, 活动信息 报送/采用/不采用 and 简报 — the same services, refusals and Chinese
messages as the pages."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.notices.conftest import draft, issue
from tests.upload_files import pdf_bytes, png_bytes
from zuofeng.api.services import api_token_create
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.notices.models import Briefing, BulletinItem, InfoItem, Notice, NoticeAttachment
from zuofeng.notices.services.bulletins import bulletin_create
from zuofeng.notices.services.info import info_report

BASE = "/api/notices"
FORBIDDEN = {"detail": "您的角色无权访问此项内容。"}
pytestmark = pytest.mark.django_db
DAY = dt.date(2018, 8, 20)


def bearer(user) -> Client:
    """A Client that sends the user's own API token, made through the service as the user would."""
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=user, user=user, name='测试').raw}"})


def _json(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def _pdf(name="申报表.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_office_adds_downloads_and_removes_an_attachment(people, org, private_root):
    notice = draft(people.office, [org.dept_a])
    office = bearer(people.office)
    url = f"{BASE}/{notice.pk}/attachments"
    added = office.post(url, {"title": "“十佳优秀服务明星”申报表", "file": _pdf()})
    assert added.status_code == 200, added.json()
    [attachment] = added.json()["attachments"]
    assert (attachment["order"], attachment["title"], attachment["file_name"]) == (
        1,
        "“十佳优秀服务明星”申报表",
        "申报表.pdf",
    )
    download = office.get(attachment["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    removed = office.delete(f"{url}/{attachment['id']}")
    assert removed.status_code == 200 and removed.json()["attachments"] == []
    assert NoticeAttachment.objects.count() == 0


def test_bad_attachment_is_refused_per_field_and_nothing_is_saved(people, org, private_root):
    notice = draft(people.office, [org.dept_a])
    office = bearer(people.office)
    url = f"{BASE}/{notice.pk}/attachments"
    empty = office.post(url, {"title": ""})
    assert empty.status_code == 400
    assert empty.json()["errors"] == {
        "title": ["请填写附件名称（如：“十佳优秀服务明星”申报表）。"],
        "file": ["请选择要上传的附件文件。"],
    }
    fake = SimpleUploadedFile("申报表.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = office.post(url, {"title": "申报表", "file": fake})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["file"]
    assert NoticeAttachment.objects.count() == 0


def test_issued_notice_keeps_its_attachments_and_cannot_be_deleted(people, org, private_root):
    notice = issue(people.office, [org.dept_a])
    office = bearer(people.office)
    late = office.post(f"{BASE}/{notice.pk}/attachments", {"title": "申报表", "file": _pdf()})
    assert late.json()["errors"] == {"file": ["通知已印发，不能再添加附件。"]}
    refused = office.delete(f"{BASE}/{notice.pk}")
    assert (refused.status_code, refused.json()["detail"]) == (400, "已印发的通知不能删除。")
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_office_deletes_a_draft(people, org):
    notice = draft(people.office, [org.dept_a])
    response = bearer(people.office).delete(f"{BASE}/{notice.pk}")
    assert (response.status_code, response.json()) == (200, {"deleted": notice.pk})
    assert Notice.objects.count() == 0


@pytest.mark.parametrize("who", ["reviewer", "other_leader", "own_clerk", "inspector"])
def test_only_the_office_changes_drafts_attachments_and_bulletins(who, people, org, private_root):
    notice = draft(people.office, [org.dept_a])
    attachment = (
        bearer(people.office)
        .post(f"{BASE}/{notice.pk}/attachments", {"title": "申报表", "file": _pdf()})
        .json()["attachments"][0]
    )
    bulletin = bulletin_create(actor=people.office, kind="praise", title="关于表扬的通报")
    api = bearer(getattr(people, who))
    assert api.post(f"{BASE}/{notice.pk}/attachments", {"title": "x", "file": _pdf()}).json() == FORBIDDEN
    assert api.delete(f"{BASE}/{notice.pk}/attachments/{attachment['id']}").json() == FORBIDDEN
    assert api.delete(f"{BASE}/{notice.pk}").json() == FORBIDDEN
    assert _json(api, "post", f"/api/bulletins/{bulletin.pk}/from-results", {"nominations": [1]}).json() == FORBIDDEN
    # A draft is the office's: a unit cannot even download its attachment (404, as if it did not exist).
    assert api.get(attachment["download"]).status_code == 404
    assert (Notice.objects.count(), NoticeAttachment.objects.count()) == (1, 1)


def test_attachment_of_an_issued_notice_is_read_by_its_addressees_only(people, org, private_root):
    notice = draft(people.office, [org.dept_a])
    office = bearer(people.office)
    attachment = office.post(f"{BASE}/{notice.pk}/attachments", {"title": "申报表", "file": _pdf()}).json()
    assert office.post(f"{BASE}/{notice.pk}/issue").status_code == 200
    url = attachment["attachments"][0]["download"]
    assert bearer(people.reviewer).get(url).status_code == 200
    assert bearer(people.other_leader).get(url).status_code == 404


def test_praise_from_nomination_results(people, org, wujin):
    star = Award.objects.get(campaign=wujin, key="service-star")
    chosen = Nomination.objects.create(
        award=star,
        campaign=wujin,
        unit=org.dept_a,
        state=NominationState.SELECTED,
        title="王晓明",
        data={"name": "王晓明", "phone": "13900000000", "main_text": "扎根窗口服务一线。"},
    )
    judging = Nomination.objects.create(award=star, campaign=wujin, unit=org.dept_b, state=NominationState.JUDGING)
    bulletin = bulletin_create(actor=people.office, kind="praise", title="关于表扬十佳优秀服务明星的通报")
    office = bearer(people.office)
    url = f"/api/bulletins/{bulletin.pk}/from-results"
    refused = _json(office, "post", url, {"nominations": [judging.pk]})
    assert refused.json()["errors"] == {"nominations": ["只能通报表扬已入选的申报。"]}
    unknown = _json(office, "post", url, {"nominations": [chosen.pk, 99999]})
    assert unknown.json()["errors"] == {"nominations": ["申报不存在：99999。"]}
    assert _json(office, "post", url, {"nominations": []}).json()["errors"] == {
        "nominations": ["请选择要通报表扬的入选申报。"]
    }
    assert BulletinItem.objects.count() == 0
    done = _json(office, "post", url, {"nominations": [chosen.pk]})
    assert done.status_code == 200
    [item] = done.json()["items"]
    assert (item["unit"], item["heading"], item["person"], item["text"]) == (
        "武进区财政局",
        "十佳优秀服务明星",
        "王晓明",
        "扎根窗口服务一线。",
    )
    # Asking again adds nothing: a nomination is praised once per bulletin, as on the page.
    assert len(_json(office, "post", url, {"nominations": [chosen.pk]}).json()["items"]) == 1


# ── 活动信息与简报 ───────────────────────────────────────────────────────────


def test_unit_reports_with_a_photo_for_its_own_unit_only(people, org, private_root):
    leader = bearer(people.reviewer)
    photo = SimpleUploadedFile("会场.png", png_bytes(), content_type="image/png")
    data = {"unit": org.dept_a.pk, "title": "召开动员大会", "text": "全局干部参加。", "happened_on": "2018-08-20"}
    reported = leader.post("/api/info", {**data, "photo": photo})
    assert reported.status_code == 200, reported.json()
    body = reported.json()
    assert (body["unit"]["name"], body["state"], body["has_photo"]) == ("武进区财政局", "reported", True)
    other = leader.post("/api/info", {**data, "unit": org.dept_b.pk})
    assert (other.status_code, other.json()) == (403, FORBIDDEN)
    empty = leader.post("/api/info", {"unit": org.dept_a.pk})
    assert empty.status_code == 400 and empty.json()["errors"] == {
        "title": ["请填写标题。"],
        "text": ["请填写内容。"],
        "happened_on": ["请填写日期。"],
    }
    assert InfoItem.objects.count() == 1
    assert [i["title"] for i in leader.get("/api/info").json()] == ["召开动员大会"]
    assert bearer(people.other_leader).get("/api/info").json() == []
    assert bearer(people.office).post("/api/info", data).json() == FORBIDDEN


def test_office_adopts_declines_and_compiles_a_briefing(people, org, wujin):
    first, second = (
        info_report(actor=people.reviewer, unit=org.dept_a, title=t, text="内容。", happened_on=DAY, campaign=wujin)
        for t in ("召开动员大会", "开展窗口暗访")
    )
    office = bearer(people.office)
    no_reason = _json(office, "post", f"/api/info/{second.pk}/decision", {"adopt": False})
    assert no_reason.json()["errors"] == {"reason": ["不采用时请填写理由。"]}
    declined = _json(office, "post", f"/api/info/{second.pk}/decision", {"adopt": False, "reason": "内容重复"})
    assert (declined.json()["state"], declined.json()["reason"]) == ("declined", "内容重复")
    adopted = _json(office, "post", f"/api/info/{first.pk}/decision", {"adopt": True})
    assert adopted.json()["state"] == "adopted"
    twice = _json(office, "post", f"/api/info/{first.pk}/decision", {"adopt": True})
    assert (twice.status_code, twice.json()["detail"]) == (400, "该信息已采用，不能再次处理。")
    refused = _json(office, "post", "/api/info/briefings", {"items": [second.pk]})
    assert refused.json()["errors"] == {"items": ["只能编入已采用且尚未编入简报的信息。"]}
    unknown = _json(office, "post", "/api/info/briefings", {"items": [99999]})
    assert unknown.json()["errors"] == {"items": ["活动信息不存在：99999。"]}
    made = _json(office, "post", "/api/info/briefings", {"items": [first.pk]})
    assert made.status_code == 200
    briefing = Briefing.objects.get()
    assert made.json() == {"number": 1, "notice": briefing.notice_id}
    assert office.get(f"{BASE}/{briefing.notice_id}").json()["state"] == "draft"


@pytest.mark.parametrize("who", ["reviewer", "other_leader", "own_clerk", "inspector"])
def test_only_the_office_decides_and_compiles(who, people, org, wujin):
    item = info_report(actor=people.reviewer, unit=org.dept_a, title="动员", text="内容。", happened_on=DAY)
    api = bearer(getattr(people, who))
    assert _json(api, "post", f"/api/info/{item.pk}/decision", {"adopt": True}).json() == FORBIDDEN
    assert _json(api, "post", f"/api/info/{item.pk + 1000}/decision", {"adopt": True}).json() == FORBIDDEN
    assert _json(api, "post", "/api/info/briefings", {"items": [item.pk]}).json() == FORBIDDEN
    item.refresh_from_db()
    assert (item.state, Briefing.objects.count()) == ("reported", 0)
