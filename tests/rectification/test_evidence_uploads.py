"""Evidence: type from content, size limit, no orphans after a failed upload, permission-checked download."""

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import Role, make_user
from tests.upload_files import docx_bytes, jpg_bytes, pdf_bytes, png_bytes, xlsx_bytes, zip_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.core.uploads import check_upload, size_label
from zuofeng.rectification.models import Evidence, MeasureState, ProgressUpdate
from zuofeng.rectification.services.evidence import ALLOWED, MAX_BYTES
from zuofeng.rectification.services.progress import progress_report

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 10, 1)
NOT_ALLOWED = "的文件类型不允许，只能上传PDF 文件、JPG 图片、PNG 图片、Word 文档（DOCX）、Excel 表格（XLSX）。"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT = root
    return root


@pytest.fixture
def measure(problem_with_measure, people):
    from zuofeng.rectification.workflow import measure_transition

    _, m = problem_with_measure
    with clock.frozen(dt.date(2018, 9, 16)):
        measure_transition(actor=people.reviewer, measure=m, to=MeasureState.IN_PROGRESS)
    return m


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("报告.pdf", pdf_bytes, "pdf"),
        ("现场.png", png_bytes, "png"),
        ("现场.JPG", jpg_bytes, "jpg"),
        ("照片.jpeg", jpg_bytes, "jpg"),
        ("制度.docx", docx_bytes, "docx"),
        ("台账.xlsx", xlsx_bytes, "xlsx"),
    ],
)
def test_check_upload_real_files_accepted_with_kind(name, make, kind):
    assert check_upload(upload(name, make()), allowed=ALLOWED, max_bytes=MAX_BYTES) == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50, "“报告.pdf” 不是有效的 PDF 文件。"),
        ("照片.png", jpg_bytes(), "“照片.png” 不是有效的 PNG 图片。"),
        ("照片.jpg", png_bytes(), "“照片.jpg” 不是有效的 JPG 图片。"),
        ("x.docx", zip_bytes({"readme.txt": b"hello"}), "“x.docx” 不是有效的 Word 文档（DOCX）。"),
        ("x.docx", xlsx_bytes(), "“x.docx” 不是有效的 Word 文档（DOCX）。"),
        ("x.xlsx", docx_bytes(), "“x.xlsx” 不是有效的 Excel 表格（XLSX）。"),
        ("x.xlsx", b"PK\x03\x04 broken zip", "“x.xlsx” 不是有效的 Excel 表格（XLSX）。"),
        (
            "x.docx",
            zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "“x.docx” 不是有效的 Word 文档（DOCX）。",
        ),
        (
            "程序.exe",
            b"MZ\x90\x00",
            "“程序.exe” " + NOT_ALLOWED,
        ),
        (
            "无扩展名",
            pdf_bytes(),
            "“无扩展名” " + NOT_ALLOWED,
        ),
        ("空.pdf", b"", "“空.pdf” 是空文件。"),
    ],
)
def test_check_upload_bad_content_refused_naming_file(name, data, message):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), allowed=ALLOWED, max_bytes=MAX_BYTES)
    assert caught.value.messages == [message]


def test_check_upload_kind_not_in_allowed_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("a.png", png_bytes()), allowed={"pdf"}, max_bytes=MAX_BYTES)
    assert caught.value.messages == ["“a.png” 的文件类型不允许，只能上传PDF 文件。"]


def test_check_upload_real_20mb_limit_with_sparse_file(tmp_path):
    exact, over = tmp_path / "整改报告.pdf", tmp_path / "x.docx"
    with exact.open("wb") as f:
        f.write(pdf_bytes())
        f.truncate(20 * 1024 * 1024)  # a real PDF padded with zeros after its end
    with over.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)
    with exact.open("rb") as f:
        assert check_upload(f, allowed=ALLOWED, max_bytes=MAX_BYTES) == "pdf"
    with over.open("rb") as f, pytest.raises(ValidationError) as caught:
        check_upload(f, allowed=ALLOWED, max_bytes=MAX_BYTES)
    assert caught.value.messages == ["“x.docx” 超过 20 MB。"]


def test_size_label_reads_naturally():
    assert [size_label(20 * 1024 * 1024), size_label(1536 * 1024), size_label(100)] == ["20 MB", "1.5 MB", "1 KB"]


def test_progress_with_files_stores_privately_with_sha256(measure, people, private_root):
    import hashlib

    data = pdf_bytes()
    with clock.frozen(TODAY):
        progress_report(
            actor=people.own_clerk,
            measure=measure,
            reported_on=TODAY,
            text="已制定首问负责制度",
            percent=40,
            files=[upload("首问负责制度.pdf", data), upload("现场.png", png_bytes())],
        )
    first = Evidence.objects.get(original_name="首问负责制度.pdf")
    assert (first.content_type, first.size, first.sha256) == (
        "application/pdf",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert first.file.name.startswith("evidence/2018/10/") and first.file.name.endswith(".pdf")
    assert (private_root / first.file.name).read_bytes() == data
    assert len(stored_files(private_root)) == 2


def test_failed_upload_leaves_no_record_and_no_file(measure, people, private_root):
    before = (Evidence.objects.count(), ProgressUpdate.objects.count(), stored_files(private_root))
    with clock.frozen(TODAY), pytest.raises(ValidationError) as caught:
        progress_report(
            actor=people.own_clerk,
            measure=measure,
            reported_on=TODAY,
            text="进展",
            percent=40,
            files=[upload("好的.pdf", pdf_bytes()), upload("坏的.pdf", b"MZ not a pdf")],
        )
    assert caught.value.message_dict == {"files": ["“坏的.pdf” 不是有效的 PDF 文件。"]}
    assert (Evidence.objects.count(), ProgressUpdate.objects.count(), stored_files(private_root)) == before


def test_failure_after_files_written_deletes_them(measure, people, private_root, monkeypatch):
    from zuofeng.rectification.services import progress as service

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(service, "audit_record", boom)
    with clock.frozen(TODAY), pytest.raises(RuntimeError):
        progress_report(
            actor=people.own_clerk,
            measure=measure,
            reported_on=TODAY,
            text="进展",
            percent=40,
            files=[upload("好的.pdf", pdf_bytes())],
        )
    assert (Evidence.objects.count(), ProgressUpdate.objects.count(), stored_files(private_root)) == (0, 0, [])
    measure.refresh_from_db()
    assert measure.percent == 0


def test_more_than_ten_files_refused(measure, people, private_root):
    files = [upload(f"{i}.pdf", pdf_bytes()) for i in range(11)]
    with clock.frozen(TODAY), pytest.raises(ValidationError) as caught:
        progress_report(actor=people.own_clerk, measure=measure, reported_on=TODAY, text="x", percent=1, files=files)
    assert caught.value.message_dict == {"files": ["佐证材料一次最多上传 10 个文件。"]}


@pytest.fixture
def evidence(measure, people, private_root):
    with clock.frozen(TODAY):
        progress_report(
            actor=people.own_clerk,
            measure=measure,
            reported_on=TODAY,
            text="进展",
            percent=40,
            files=[upload("整改报告（第一期）.pdf", pdf_bytes())],
        )
    return Evidence.objects.get()


@pytest.mark.parametrize("who", ["own_clerk", "reviewer", "office", "inspector"])
def test_evidence_download_streams_file_with_chinese_name(evidence, people, client_for, who):
    response = client_for(getattr(people, who)).get(f"/rectification/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''" + quote("整改报告（第一期）.pdf"))
    assert AuditEntry.objects.filter(action="evidence.download", object_id=str(evidence.pk)).count() == 1


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "sysadmin", "judge", "auditor"])
def test_evidence_download_hidden_from_others(evidence, people, client_for, who):
    assert client_for(getattr(people, who)).get(f"/rectification/evidence/{evidence.pk}/").status_code == 404


def test_evidence_download_anonymous_redirects_to_login(evidence, client):
    assert client.get(f"/rectification/evidence/{evidence.pk}/").status_code == 302


def test_evidence_download_missing_file_is_404(evidence, people, client_for, private_root):
    (private_root / evidence.file.name).unlink()
    assert client_for(people.own_clerk).get(f"/rectification/evidence/{evidence.pk}/").status_code == 404


def test_evidence_download_by_responsible_person_from_other_unit(evidence, measure, org, client_for):
    responsible = make_user("zeren", role=Role.SECTION_CLERK, unit=org.section_a2)
    measure.responsible_person = responsible.person
    measure.save(update_fields=["responsible_person"])
    assert client_for(responsible).get(f"/rectification/evidence/{evidence.pk}/").status_code == 200
