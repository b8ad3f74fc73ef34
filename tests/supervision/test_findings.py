"""Findings: recorded only by the round's team at its units, photos checked and stripped of GPS, confirmed by
the office into the unit's list (组织议, 督查发现, deadline) where the unit sees the mark."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from tests.supervision.conftest import gps_jpeg
from tests.upload_files import pdf_bytes
from zuofeng.core.storage import private_storage
from zuofeng.rectification.models import MeasureState, Problem
from zuofeng.supervision.models import Finding, FindingPhoto, FindingState, Severity
from zuofeng.supervision.selectors.rounds import round_overview
from zuofeng.supervision.services.findings import finding_record
from zuofeng.supervision.services.report import round_report_docx
from zuofeng.supervision.workflow import finding_transition


def _record(round_, actor, unit, **overrides):
    fields = {
        "actor": actor,
        "round": round_,
        "unit": unit,
        "category": round_.campaign.categories.get(key="duty"),
        "severity": Severity.SERIOUS,
        "text": "窗口对材料不全的群众未一次性告知",
        "found_on": dt.date(2018, 10, 9),
        "checklist": {"listed": "yes", "evidence": "no", "unknown": "yes"},
    }
    return finding_record(**{**fields, **overrides})


def test_an_inspector_records_a_finding_with_a_photo_whose_location_is_removed(round_, org, inspectors):
    photo = SimpleUploadedFile("现场.jpg", gps_jpeg(), content_type="image/jpeg")
    finding = _record(round_, inspectors.on_team, org.section_a1, photos=[photo])

    assert finding.checklist == {"listed": "yes", "evidence": "no"}
    stored = FindingPhoto.objects.get(finding=finding)
    assert (stored.original_name, stored.location_kept) == ("现场.jpg", False)
    with private_storage().open(stored.file.name, "rb") as f, Image.open(io.BytesIO(f.read())) as image:
        exif = image.getexif()
    assert 0x8825 not in exif
    assert exif[0x010F] == "TestCam"


def test_a_round_that_keeps_location_keeps_it(round_, org, inspectors):
    round_.keep_location = True
    round_.save()
    photo = SimpleUploadedFile("现场.jpg", gps_jpeg(), content_type="image/jpeg")
    finding = _record(round_, inspectors.on_team, org.section_a1, photos=[photo])
    stored = finding.photos.get()
    with private_storage().open(stored.file.name, "rb") as f, Image.open(io.BytesIO(f.read())) as image:
        assert 0x8825 in image.getexif()


def test_a_bad_photo_or_text_saves_nothing(round_, org, inspectors):
    fake = SimpleUploadedFile("现场.jpg", pdf_bytes(), content_type="image/jpeg")
    with pytest.raises(ValidationError) as raised:
        _record(round_, inspectors.on_team, org.section_a1, photos=[fake])
    assert raised.value.message_dict["photos"] == ["“现场.jpg” 不是有效的 JPG 图片。"]
    with pytest.raises(ValidationError) as raised:
        _record(round_, inspectors.on_team, org.section_a1, text="  ")
    assert raised.value.message_dict["text"] == ["请填写发现的问题。"]
    with pytest.raises(ValidationError) as raised:
        _record(round_, inspectors.on_team, org.section_a1, text="材料不全" * 501)
    assert raised.value.message_dict["text"] == ["发现的问题不能超过 2000 个字（现为 2004 个字）。"]
    with pytest.raises(ValidationError) as raised:
        _record(round_, inspectors.on_team, org.section_a2)
    assert raised.value.message_dict["unit"] == ["该单位不在本轮督查范围内。"]
    assert not Finding.objects.exists()
    assert not FindingPhoto.objects.exists()


def test_only_the_rounds_team_records(round_, org, inspectors, people):
    for outsider in (inspectors.off_team, people.office, people.own_clerk, people.judge):
        with pytest.raises(PermissionDenied):
            _record(round_, outsider, org.section_a1)


def test_confirming_puts_a_problem_into_the_units_list_with_mark_and_deadline(
    round_, org, inspectors, people, client_for
):
    finding = _record(round_, inspectors.on_team, org.section_a1)
    finding_transition(actor=people.office, finding=finding, to=FindingState.CONFIRMED, deadline=dt.date(2018, 11, 9))

    problem = Problem.objects.get(finding=finding)
    assert (problem.unit, problem.source.kind, problem.origin, problem.origin_deadline) == (
        org.section_a1,
        "organisation",
        "督查发现",
        dt.date(2018, 11, 9),
    )
    assert problem.source_detail == "2018年第一轮专项督查"
    page = client_for(people.own_clerk).get(f"/rectification/ledgers/{problem.ledger_id}/")
    assert "督查发现 · 整改期限 2018年11月9日" in page.content.decode()


def test_dismissing_needs_a_reason_and_a_finding_is_decided_once(round_, org, inspectors, people):
    finding = _record(round_, inspectors.on_team, org.section_a1)
    with pytest.raises(ValidationError) as raised:
        finding_transition(actor=people.office, finding=finding, to=FindingState.DISMISSED)
    assert raised.value.message_dict["comment"] == ["不予确认须说明理由。"]
    finding_transition(actor=people.office, finding=finding, to=FindingState.DISMISSED, comment="已当场整改")
    with pytest.raises(ValidationError):
        finding_transition(actor=people.office, finding=finding, to=FindingState.CONFIRMED)
    another = _record(round_, inspectors.on_team, org.section_a1)
    with pytest.raises(PermissionDenied):
        finding_transition(actor=inspectors.on_team, finding=another, to=FindingState.CONFIRMED)
    assert not Problem.objects.exists()


def test_the_overview_and_the_report_count_visited_confirmed_and_closed(round_, org, inspectors, people):
    first = _record(round_, inspectors.on_team, org.section_a1)
    _record(round_, inspectors.on_team, org.section_a1, severity=Severity.GRAVE)
    _record(round_, inspectors.on_team, org.section_b1, category=round_.campaign.categories.get(key="thinking"))
    finding_transition(actor=people.office, finding=first, to=FindingState.CONFIRMED)
    problem = Problem.objects.get()
    problem.measures.create(
        unit=org.section_a1,
        campaign=round_.campaign,
        text="一次性告知",
        starts_on=dt.date(2018, 10, 10),
        deadline=dt.date(2018, 10, 30),
        state=MeasureState.CLOSED,
    )

    overview = round_overview(round_=round_)
    assert (overview.units, overview.visited, overview.findings, overview.confirmed) == (2, 2, 3, 1)
    assert (overview.to_problems, overview.closed) == (1, 1)
    assert overview.by_category == [("思维中梗阻", 1), ("责任中梗阻", 2)]
    assert overview.by_severity == [("一般", 0), ("较重", 2), ("严重", 1)]

    text = "\n".join(p.text for p in Document(io.BytesIO(round_report_docx(round_=round_))).paragraphs)
    assert "关于2018年第一轮专项督查情况的报告" in text
    assert "实地督查2个单位，发现问题3个，经确认1个，已转入单位整改清单1个，已整改销号1个" in text
