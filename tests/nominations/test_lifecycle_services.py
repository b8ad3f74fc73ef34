"""Draft → submitted with the stamped scan → withdrawn → resubmitted; refusals leave nothing behind."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import AFTER, BEFORE, PDF_BYTES, STAR_DATA, pdf, stored_files
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.nominations.models import DeadlineExtension, Nomination, NominationState
from zuofeng.nominations.services import lifecycle
from zuofeng.nominations.services.lifecycle import (
    deadline_extension_grant,
    nomination_create_draft,
    nomination_save_draft,
    nomination_submit,
    nomination_withdraw,
)
from zuofeng.reminders.models import Reminder

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
case = support.case
private_root = support.private_root
star = support.star
wujin = support.wujin


pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(star, org, people):
    with clock.frozen(BEFORE):
        return nomination_create_draft(actor=people.reviewer, award=star, unit=org.dept_a, data=STAR_DATA)


def test_lifecycle_create_draft_normalises_titles_and_audits(draft, people):
    assert (draft.state, draft.title, draft.data["phone"], draft.version) == ("draft", "王晓明", "13912345678", 1)
    assert AuditEntry.objects.filter(action="nomination.create", object_id=str(draft.pk)).count() == 1


def test_lifecycle_create_draft_for_another_unit_denied(star, org, people):
    with pytest.raises(PermissionDenied):
        nomination_create_draft(actor=people.reviewer, award=star, unit=org.dept_b)
    assert Nomination.objects.count() == 0
    assert AuditEntry.objects.filter(action="nomination.create", result="denied").count() == 1


def test_lifecycle_create_draft_for_award_without_form_refused(star_award, org, people):
    with pytest.raises(ValidationError, match="不接受申报"):
        nomination_create_draft(actor=people.reviewer, award=star_award, unit=org.dept_a)


def test_lifecycle_save_draft_keeps_incomplete_input_and_bumps_version(draft, people):
    nomination_save_draft(actor=people.reviewer, nomination=draft, data={"phone": "139", "name": ""}, version=1)
    draft.refresh_from_db()
    assert (draft.data["phone"], draft.data["name"], draft.title, draft.version) == ("139", "", "", 2)


def test_lifecycle_save_draft_unchanged_keeps_version(draft, people):
    nomination_save_draft(actor=people.reviewer, nomination=draft, data={"name": "王晓明"}, version=1)
    draft.refresh_from_db()
    assert draft.version == 1


def test_lifecycle_save_draft_stale_version_refused(draft, people):
    nomination_save_draft(actor=people.reviewer, nomination=draft, data={"name": "李四"}, version=1)
    with pytest.raises(ValidationError, match="请刷新页面后再修改") as caught:
        nomination_save_draft(actor=people.reviewer, nomination=draft, data={"name": "张三"}, version=1)
    assert caught.value.code == "stale"
    assert Nomination.objects.get(pk=draft.pk).data["name"] == "李四"


def test_lifecycle_save_draft_by_other_unit_denied(draft, people):
    with pytest.raises(PermissionDenied):
        nomination_save_draft(actor=people.other_leader, nomination=draft, data={"name": "张三"}, version=1)


def test_lifecycle_submit_with_scan(draft, people, private_root):
    with clock.frozen(BEFORE):
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    draft.refresh_from_db()
    assert (draft.state, draft.slot, draft.stamped_scan_name) == ("submitted", 1, "申报表.pdf")
    assert stored_files(private_root) == [f"nomination-{draft.pk}.pdf"]
    assert draft.stamped_scan.read() == PDF_BYTES


def test_lifecycle_submit_without_scan_refused(draft, people, private_root):
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=None)
    assert caught.value.message_dict == {"stamped_scan": ["请上传盖章后的申报表扫描件（PDF、JPG 或 PNG）。"]}
    assert Nomination.objects.get(pk=draft.pk).state == NominationState.DRAFT


def test_lifecycle_submit_renamed_exe_refused(draft, people, private_root):
    exe = SimpleUploadedFile("申报表.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=exe)
    assert caught.value.message_dict == {"stamped_scan": ["“申报表.pdf” 不是有效的 PDF 文件。"]}
    assert stored_files(private_root) == []


def test_lifecycle_submit_exe_name_refused(draft, people, private_root):
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=exe)
    assert caught.value.message_dict["stamped_scan"] == [
        "“setup.exe” 的文件类型不允许，只能上传PDF 文件、JPG 图片、PNG 图片。"
    ]


def test_lifecycle_submit_scan_over_limit_refused(draft, people, private_root, monkeypatch):
    monkeypatch.setattr(lifecycle, "SCAN_MAX_BYTES", 20)
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    assert caught.value.message_dict["stamped_scan"] == ["“申报表.pdf” 超过 1 KB。"]


def test_lifecycle_submit_scan_limit_is_twenty_megabytes():
    assert lifecycle.SCAN_MAX_BYTES == 20 * 1024 * 1024


def test_lifecycle_submit_incomplete_form_refused_nothing_saved(draft, people, private_root):
    nomination_save_draft(
        actor=people.reviewer, nomination=draft, data={"phone": "12345", "main_text": "字" * 501}, version=1
    )
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    assert caught.value.message_dict == {
        "phone": ["“联系电话”“12345”不是有效的手机号码或固定电话（如 13912345678、0519-86310060）。"],
        "main_text": ["“主要事迹”已写 501 字，超出 1 字（限 500 字）。"],
    }
    draft.refresh_from_db()
    assert (draft.state, draft.stamped_scan.name, draft.data["main_text"]) == ("draft", "", "字" * 501)
    assert stored_files(private_root) == []


def test_lifecycle_submit_after_deadline_refused_no_orphan_file(draft, people, private_root):
    with clock.frozen(AFTER), pytest.raises(ValidationError, match="申报已于2018年11月1日 23:59截止"):
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    draft.refresh_from_db()
    assert (draft.state, draft.stamped_scan.name) == ("draft", "")
    assert stored_files(private_root) == []


def test_lifecycle_submit_one_second_after_deadline_refused(draft, people, private_root):
    late = timezone.make_aware(dt.datetime(2018, 11, 2, 0, 0, 0))
    with clock.frozen(late), pytest.raises(ValidationError, match="截止"):
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())


def test_lifecycle_second_star_refused_no_orphan_file(draft, star, org, people, private_root):
    with clock.frozen(BEFORE):
        second = nomination_create_draft(
            actor=people.reviewer, award=star, unit=org.dept_a, data={**STAR_DATA, "name": "李四"}
        )
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
        with pytest.raises(ValidationError) as caught:
            nomination_submit(actor=people.reviewer, nomination=second, stamped_scan=pdf("第二份.pdf"))
    assert caught.value.messages == ["本单位“十佳优秀服务明星”已申报 1/1，名额已满（每单位限报 1 个）。"]
    second.refresh_from_db()
    assert (second.state, second.slot, second.stamped_scan.name) == ("draft", None, "")
    assert stored_files(private_root) == [f"nomination-{draft.pk}.pdf"]


def test_lifecycle_clerk_cannot_submit(star, org, people, private_root):
    clerk_draft = Nomination.objects.create(award=star, campaign=star.campaign, unit=org.dept_a, data=STAR_DATA)
    with clock.frozen(BEFORE), pytest.raises(PermissionDenied, match="只有本单位管理员可以报送申报"):
        nomination_submit(actor=people.own_clerk, nomination=clerk_draft, stamped_scan=pdf())
    assert AuditEntry.objects.filter(action="nomination.submit", result="denied").count() == 1
    assert stored_files(private_root) == []


def test_lifecycle_withdraw_edit_and_resubmit_before_deadline(
    draft, people, private_root, django_capture_on_commit_callbacks
):
    with clock.frozen(BEFORE), django_capture_on_commit_callbacks(execute=True):
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
        with pytest.raises(ValidationError, match="不能修改"):
            nomination_save_draft(actor=people.reviewer, nomination=draft, data={"name": "改"}, version=draft.version)
        nomination_withdraw(actor=people.reviewer, nomination=draft, reason="事迹需补充")
        draft.refresh_from_db()
        assert (draft.state, draft.slot) == ("withdrawn", None)
        nomination_save_draft(
            actor=people.reviewer, nomination=draft, data={"position": "副科长"}, version=draft.version
        )
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf("重新盖章.pdf"))
    draft.refresh_from_db()
    assert (draft.state, draft.slot, draft.data["position"], draft.stamped_scan_name) == (
        "submitted",
        1,
        "副科长",
        "重新盖章.pdf",
    )
    assert len(stored_files(private_root / "nominations" / "scans")) == 1  # the forms are kept apart


def test_lifecycle_withdraw_after_deadline_refused(draft, people, private_root):
    with clock.frozen(BEFORE):
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    with clock.frozen(AFTER), pytest.raises(ValidationError, match="截止"):
        nomination_withdraw(actor=people.reviewer, nomination=draft)


def test_lifecycle_extension_by_office_lets_unit_submit_late(draft, star, org, people, private_root):
    with clock.frozen(AFTER):
        extension = deadline_extension_grant(
            actor=people.office, award=star, unit=org.dept_a, until=AFTER + dt.timedelta(days=3), reason="盖章人员出差"
        )
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    assert Nomination.objects.get(pk=draft.pk).state == NominationState.SUBMITTED
    entry = AuditEntry.objects.get(action="nomination.extension_grant")
    assert entry.after["reason"] == "盖章人员出差"
    assert extension.granted_by == people.office
    assert (
        Reminder.objects.get(recipient=people.reviewer).title
        == "“十佳优秀服务明星”申报已为本单位延长至2018年11月5日 00:00"
    )


def test_lifecycle_extension_granted_again_replaces(star, org, people):
    with clock.frozen(AFTER):
        for days in (2, 4):
            deadline_extension_grant(
                actor=people.office, award=star, unit=org.dept_a, until=AFTER + dt.timedelta(days=days), reason="再延"
            )
    assert DeadlineExtension.objects.get().until == AFTER + dt.timedelta(days=4)
    assert AuditEntry.objects.filter(action="nomination.extension_grant").order_by("id").last().before is not None


def test_lifecycle_extension_only_by_office(star, org, people):
    with pytest.raises(PermissionDenied, match="只有作风办可以批准延期申报"):
        deadline_extension_grant(
            actor=people.reviewer, award=star, unit=org.dept_a, until=AFTER + dt.timedelta(days=3), reason="x"
        )
    assert AuditEntry.objects.filter(action="nomination.extension_grant", result="denied").count() == 1


def test_lifecycle_extension_needs_reason_and_later_date(star, org, people):
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        deadline_extension_grant(actor=people.office, award=star, unit=org.dept_a, until=BEFORE, reason=" ")
    assert caught.value.message_dict == {"reason": ["请填写延期理由。"], "until": ["“延长至”须晚于现在。"]}
    with clock.frozen(BEFORE), pytest.raises(ValidationError) as caught:
        deadline_extension_grant(
            actor=people.office, award=star, unit=org.dept_a, until=BEFORE + dt.timedelta(days=1), reason="出差"
        )
    assert caught.value.message_dict == {"until": ["“延长至”须晚于申报截止时间（2018年11月1日 23:59）。"]}
