"""The UI's actions over the API: same services, permissions and Chinese messages as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import BEFORE, PDF_BYTES, STAR_DATA
from tests.rectification import conftest as rectification_fixtures
from tests.rectification.test_paste_ledger import EXCEL_TEXT
from zuofeng.core import clock
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.reminders.models import Reminder, ReminderKind
from zuofeng.reminders.services import reminder_send

private_root = support.private_root
campaign = rectification_fixtures.campaign
ledger = rectification_fixtures.ledger
star = support.star
wujin = support.wujin
pytestmark = pytest.mark.django_db
FORBIDDEN = {"detail": "您的角色无权访问此项内容。"}
NOT_FOUND = {"detail": "未找到该记录，或您无权查看。"}


def ok(response):
    assert response.status_code == 200, response.content.decode()
    return response.json()


# ── 申报: create, save, submit, withdraw ─────────────────────────────────────


def test_unit_leader_creates_saves_submits_and_withdraws_a_nomination(bearer_client, people, org, star, private_root):
    api = bearer_client(people.reviewer)
    with clock.frozen(BEFORE):
        created = ok(
            api.post(
                "/api/nominations",
                {"award": star.pk, "unit": org.dept_a.pk, "data": {"name": "王晓明"}},
                content_type="application/json",
            )
        )
        nomination = Nomination.objects.get(pk=created["id"])
        assert (created["state"], created["title"]) == ("draft", "王晓明")

        saved = api.patch(
            f"/api/nominations/{nomination.pk}",
            {"data": STAR_DATA, "version": nomination.version},
            content_type="application/json",
        )
        assert ok(saved)["state"] == "draft"
        stale = api.patch(
            f"/api/nominations/{nomination.pk}",
            {"data": {"name": "李"}, "version": nomination.version},
            content_type="application/json",
        )
        assert stale.status_code == 409
        assert "被他人保存（或在其他窗口保存），请刷新页面后再修改，以免覆盖。" in stale.json()["detail"]

        no_scan = api.post(f"/api/nominations/{nomination.pk}/submit")
        assert no_scan.status_code == 400
        assert no_scan.json()["errors"] == {"stamped_scan": ["请上传盖章后的申报表扫描件（PDF、JPG 或 PNG）。"]}

        scan = SimpleUploadedFile("盖章扫描件.pdf", PDF_BYTES, content_type="application/pdf")
        submitted = ok(api.post(f"/api/nominations/{nomination.pk}/submit", {"stamped_scan": scan}))
        assert submitted["state"] == NominationState.SUBMITTED

        withdrawn = api.post(
            f"/api/nominations/{nomination.pk}/withdraw", {"reason": "补充材料"}, content_type="application/json"
        )
        assert ok(withdrawn)["state"] == NominationState.WITHDRAWN


@pytest.mark.parametrize("who", ["other_leader", "own_clerk"])
def test_nomination_for_a_unit_that_is_not_yours_is_refused(bearer_client, people, org, star, who):
    body = {"award": star.pk, "unit": org.dept_a.pk, "data": {}}
    response = bearer_client(getattr(people, who)).post("/api/nominations", body, content_type="application/json")
    assert response.status_code == 403
    assert Nomination.objects.count() == 0


def test_another_units_draft_is_not_found(bearer_client, people, org, star):
    draft = Nomination.objects.create(award=star, campaign=star.campaign, unit=org.dept_a, data={})
    api = bearer_client(people.other_leader)
    assert (
        api.patch(f"/api/nominations/{draft.pk}", {"data": {}, "version": 0}, content_type="application/json").json()
        == NOT_FOUND
    )
    assert (
        api.post(f"/api/nominations/{draft.pk}/withdraw", {"reason": ""}, content_type="application/json").json()
        == NOT_FOUND
    )


# ── 整改清单: open, paste, export job ────────────────────────────────────────


def test_clerk_opens_the_ledger_and_pastes_rows_with_a_preview_first(bearer_client, people, org, campaign):
    api = bearer_client(people.own_clerk)
    ledger = ok(api.post("/api/rectification/ledgers", {"unit": org.section_a1.pk}, content_type="application/json"))
    text = EXCEL_TEXT
    url = f"/api/rectification/ledgers/{ledger['id']}/paste"

    preview = ok(api.post(url, {"text": text, "save": False}, content_type="application/json"))
    assert (preview["ok"], preview["saved"], preview["error_total"]) == (True, False, 0)
    saved = ok(api.post(url, {"text": text, "save": True}, content_type="application/json"))
    assert (saved["saved"], saved["problems_created"], saved["measures_created"]) == (True, 2, 3)


def test_pasted_rows_with_errors_save_nothing_and_name_row_and_column(bearer_client, people, ledger):
    text = EXCEL_TEXT.replace("2018年12月31日", "9月底")
    response = bearer_client(people.own_clerk).post(
        f"/api/rectification/ledgers/{ledger.pk}/paste", {"text": text, "save": True}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("共 1 处错误，未保存：第 2 行「完成时限」：“9月底”不是日期")
    assert ledger.problems.count() == 0


# Judges and the 三员 hold no API token (api_token.create), so they cannot call at all.
@pytest.mark.parametrize("who", ["other_leader", "sibling_clerk", "inspector"])
def test_someone_elses_ledger_cannot_be_pasted_into(bearer_client, people, ledger, who):
    response = bearer_client(getattr(people, who)).post(
        f"/api/rectification/ledgers/{ledger.pk}/paste", {"text": "x", "save": False}, content_type="application/json"
    )
    assert response.status_code in (403, 404)
    assert response.json() in (FORBIDDEN, NOT_FOUND)


def test_export_is_a_job_to_poll_and_download_and_only_its_owner_sees_it(
    bearer_client, people, ledger, private_root, django_capture_on_commit_callbacks
):
    office = bearer_client(people.office)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued when the request commits
        job = ok(office.post("/api/rectification/exports", {"lists": "all"}, content_type="application/json"))
    polled = ok(office.get(f"/api/rectification/exports/{job['id']}"))  # tasks run at once in tests

    assert polled["state"] == "done"
    assert polled["download"] == f"/api/rectification/exports/{job['id']}/download"
    download = office.get(polled["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert bearer_client(people.own_clerk).get(f"/api/rectification/exports/{job['id']}").json() == NOT_FOUND


def test_export_with_an_unknown_list_choice_says_so(bearer_client, people, ledger):
    response = bearer_client(people.office).post(
        "/api/rectification/exports", {"lists": "some"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"lists": ["“导出哪些清单”只能选择“全部清单”或“仅审核通过的清单”。"]},
    )


# ── 提醒 and 单位 ─────────────────────────────────────────────────────────────


def test_reminders_are_read_by_their_recipient_only(bearer_client, people):
    reminder_send(recipients=[people.own_clerk], kind=ReminderKind.NOTICE, title="请提交清单", body="")
    reminder = Reminder.objects.get()
    assert bearer_client(people.sibling_clerk).post(f"/api/reminders/{reminder.pk}/read").json() == NOT_FOUND
    read = ok(bearer_client(people.own_clerk).post(f"/api/reminders/{reminder.pk}/read"))
    assert read["read_at"] is not None


def test_office_moves_a_unit_and_a_clerk_may_not(bearer_client, people, org):
    moved = ok(
        bearer_client(people.office).post(
            f"/api/units/{org.dept_b.pk}/move", {"direction": "up"}, content_type="application/json"
        )
    )
    assert moved["order"] == 1
    refused = bearer_client(people.own_clerk).post(
        f"/api/units/{org.dept_b.pk}/move", {"direction": "up"}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
