"""拟稿: bad input is refused at the field with nothing saved; 附件 follow the upload rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.notices.conftest import draft, issue, notice_data
from tests.upload_files import pdf_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.notices.models import Notice, NoticeAttachment
from zuofeng.notices.services.drafting import attachment_add, notice_save


def test_required_fields_and_a_prefix_with_a_year_are_refused(org, people):
    with pytest.raises(ValidationError) as error:
        notice_save(
            actor=people.office,
            data=notice_data(title=" ", body="", number_prefix="武作组办〔2018〕", signed_on=None),
            addressee_ids=[org.dept_a.pk, 999999],
        )
    assert error.value.message_dict == {
        "title": ["请填写标题。"],
        "body": ["请填写正文。"],
        "number_prefix": ["机关代字只写代字本身（如“武作组办”），年份和序号另填。"],
        "signed_on": ["请填写成文日期。"],
        "addressees": ["所选主送单位不存在或已停用。"],
    }
    assert Notice.objects.count() == 0


def test_only_the_office_drafts(org, people):
    with pytest.raises(PermissionDenied):
        draft(people.reviewer, [org.dept_a])
    assert AuditEntry.objects.filter(action="notice.save", result="denied").count() == 1


def test_a_stale_form_is_refused(org, people):
    notice = draft(people.office, [org.dept_a])
    notice_save(actor=people.office, data=notice_data(title="改一"), addressee_ids=[], notice=notice, version=1)
    with pytest.raises(ValidationError) as error:
        notice_save(actor=people.office, data=notice_data(title="改二"), addressee_ids=[], notice=notice, version=1)
    assert error.value.messages == ["该通知已被他人修改（现为第 2 版），请刷新后再保存。"]
    assert Notice.objects.get().title == "改一"


def test_an_issued_notice_is_not_edited(org, people):
    notice = issue(people.office, [org.dept_a])
    with pytest.raises(ValidationError) as error:
        notice_save(actor=people.office, data=notice_data(), addressee_ids=[], notice=notice)
    assert error.value.messages == ["通知已印发，不能再修改。"]


def test_attachments_are_checked_by_content(org, people, private_root):
    notice = draft(people.office, [org.dept_a])
    fake = SimpleUploadedFile("申报表.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        attachment_add(actor=people.office, notice=notice, title="申报表", upload=fake)
    assert list(error.value.message_dict) == ["file"]
    assert NoticeAttachment.objects.count() == 0
    good = SimpleUploadedFile("申报表.pdf", pdf_bytes(), content_type="application/pdf")
    saved = attachment_add(actor=people.office, notice=notice, title="“十佳优秀服务明星”申报表", upload=good)
    assert (saved.order, saved.file_name, saved.content_type) == (1, "申报表.pdf", "application/pdf")
    assert saved.file.storage.exists(saved.file.name)
