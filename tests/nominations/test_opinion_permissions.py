"""辖市（区）作风办或主管部门意见: who may give it, what it records, what is refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import Role, make_unit, make_user
from tests.upload_files import pdf_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.nominations.models import Nomination, NominationEvent, NominationState, Opinion
from zuofeng.nominations.selectors.judging import opinion_queue
from zuofeng.nominations.services.opinion import opinion_give
from zuofeng.organisation.models import Unit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 11, 5)
PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def _storage_and_today(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    with clock.frozen(TODAY):
        yield


def scan(name: str = "意见.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def reviewed(org):
    """区商务局 (dept_b) reviewed by its competent department 区财政局 (dept_a), as 主管部门."""
    Unit.objects.filter(pk=org.dept_b.pk).update(reviewer=org.dept_a)
    org.dept_b.refresh_from_db()
    return org.dept_b


@pytest.fixture
def submitted(star_award, reviewed, people):
    return Nomination.objects.create(
        award=star_award, campaign=star_award.campaign, unit=reviewed, title="周测试", state=NominationState.SUBMITTED
    )


@pytest.fixture
def sibling_leader(org):
    dept_c = make_unit(name="武进区教育局", short_name="区教育局", order=3, code="D03")
    return make_user("leader_c", role=Role.UNIT_LEADER, unit=dept_c)


def give(actor, nomination, **overrides):
    values = {"text": "同意推荐。", "signed_on": TODAY, "stamped_scan": scan()}
    values.update(overrides)
    return opinion_give(actor=actor, nomination=nomination, **values)


def test_opinion_by_competent_department_leader_moves_to_opinion_given(submitted, people, org):
    opinion = give(people.reviewer, submitted)
    submitted.refresh_from_db()
    assert submitted.state == NominationState.OPINION_GIVEN
    assert (opinion.unit, opinion.text, opinion.signed_on, opinion.given_by) == (
        org.dept_a,
        "同意推荐。",
        TODAY,
        people.reviewer,
    )
    assert opinion.stamped_scan_name == "意见.pdf"
    assert opinion.stamped_scan.read() == PDF
    assert list(NominationEvent.objects.filter(nomination=submitted).values_list("to_state", flat=True)) == [
        "opinion_given"
    ]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "nomination.opinion_give",
        "nomination.opinion_given",
    ]


def test_opinion_by_office_without_unit(submitted, people):
    opinion = give(people.office, submitted)
    assert (opinion.unit, Nomination.objects.get(pk=submitted.pk).state) == (None, NominationState.OPINION_GIVEN)


@pytest.mark.parametrize("who", ["other_leader", "own_clerk", "judge", "inspector", "sibling_leader"])
def test_opinion_by_unit_itself_sibling_or_others_denied(submitted, people, sibling_leader, who):
    actor = sibling_leader if who == "sibling_leader" else getattr(people, who)
    with pytest.raises(PermissionDenied):
        give(actor, submitted)
    assert Nomination.objects.get(pk=submitted.pk).state == NominationState.SUBMITTED
    assert not Opinion.objects.exists()
    assert AuditEntry.objects.get().result == "denied"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "  "}, "text", "请填写意见。"),
        ({"text": "字" * 1001}, "text", "意见不能超过 1000 字（现为 1001 字）。"),
        ({"signed_on": dt.date(2018, 11, 6)}, "signed_on", "签署日期不能晚于今天。"),
        ({"signed_on": None}, "signed_on", "请填写签署日期。"),
        ({"stamped_scan": None}, "stamped_scan", "请上传盖章后的意见扫描件（PDF 或图片）。"),
        ({"stamped_scan": scan("意见.pdf", b"MZ\x90\x00")}, "stamped_scan", "“意见.pdf” 不是有效的 PDF 文件。"),
        (
            {"stamped_scan": scan("setup.exe", b"MZ\x90\x00")},
            "stamped_scan",
            "“setup.exe” 的文件类型不允许，只能上传PDF 文件、JPG 图片、PNG 图片。",
        ),
    ],
)
def test_opinion_bad_input_refused_nothing_saved(submitted, people, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        give(people.reviewer, submitted, **overrides)
    assert refused.value.message_dict[field] == [message]
    assert Nomination.objects.get(pk=submitted.pk).state == NominationState.SUBMITTED
    assert not Opinion.objects.exists()


def test_opinion_on_draft_refused(star_award, reviewed, people):
    draft = Nomination.objects.create(award=star_award, campaign=star_award.campaign, unit=reviewed, title="草稿")
    with pytest.raises(ValidationError, match="只有已报送的申报可以签署意见"):
        give(people.reviewer, draft)


def test_opinion_after_withdraw_and_resubmit_replaces_the_old_one(submitted, people):
    give(people.reviewer, submitted)
    Nomination.objects.filter(pk=submitted.pk).update(state=NominationState.SUBMITTED)
    submitted.refresh_from_db()
    give(people.reviewer, submitted, text="同意推荐（重新报送）。")
    assert list(Opinion.objects.values_list("text", flat=True)) == ["同意推荐（重新报送）。"]


def test_opinion_queue_lists_what_each_person_may_sign(submitted, star_award, org, people, sibling_leader):
    own = Nomination.objects.create(
        award=star_award, campaign=star_award.campaign, unit=org.dept_a, title="王测试", state=NominationState.SUBMITTED
    )
    assert opinion_queue(user=people.reviewer) == [submitted]
    assert opinion_queue(user=people.other_leader) == []
    assert opinion_queue(user=sibling_leader) == []
    assert opinion_queue(user=people.office) == [own, submitted]
