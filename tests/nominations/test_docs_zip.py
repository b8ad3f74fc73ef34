"""The bulk ZIP: a background task with progress, Chinese names with the UTF-8 flag, only for its requester."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.documents.builders import give_opinion, make_award, make_campaign, make_nomination
from tests.factories import Role, make_user
from zuofeng.accounts.models import RoleAssignment
from zuofeng.core import clock
from zuofeng.documents.models import DocumentJob, DocumentJobState
from zuofeng.nominations.services.exports import (
    nomination_document,
    nominations_zip_execute,
    nominations_zip_request,
    nominations_zip_write,
)

PDF_SCAN = b"%PDF-1.4\n% stamped scan\n"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DOCUMENTS_PDF_WORKERS = 1


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def award(org):
    award = make_award(make_campaign())
    first = make_nomination(award, org.dept_b, title="赵六")
    first.stamped_scan.save("scan.pdf", ContentFile(PDF_SCAN))
    opinion = give_opinion(first)
    opinion.stamped_scan.save("opinion.jpg", ContentFile(b"\xff\xd8\xff\xe0 jpeg"))
    make_nomination(award, org.dept_a, title="王五")
    return award


def _names(content: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_zip_task_ends_with_done_equal_total_and_chinese_names(award, people, client_for, run_on_commit):
    client = client_for(people.office)
    with run_on_commit(execute=True):
        response = client.post(reverse("nominations:zip_request", args=[award.pk]))
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("nominations:export_job", args=[job.pk])
    assert (job.state, job.done, job.total) == (DocumentJobState.DONE, 2, 2)
    download = client.get(reverse("nominations:export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert sorted(_names(content)) == [
        "01-武进区财政局/王五-申报表.docx",
        "01-武进区财政局/王五-申报表.pdf",
        "02-武进区商务局/赵六-审核意见盖章件.jpg",
        "02-武进区商务局/赵六-申报表.docx",
        "02-武进区商务局/赵六-申报表.pdf",
        "02-武进区商务局/赵六-盖章扫描件.pdf",
    ]
    infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
    assert all(info.flag_bits & 0x800 for info in infos)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.read("02-武进区商务局/赵六-盖章扫描件.pdf") == PDF_SCAN


def test_only_requester_downloads(award, people, client_for, run_on_commit):
    with run_on_commit(execute=True):
        job = nominations_zip_request(actor=people.office, award=award)
    other_office = make_user("office2", role=Role.OFFICE)
    assert client_for(other_office).get(reverse("nominations:export_download", args=[job.pk])).status_code == 404
    assert client_for(other_office).get(reverse("nominations:export_job", args=[job.pk])).status_code == 404
    assert client_for(people.office).get(reverse("nominations:export_download", args=[job.pk])).status_code == 200


def test_unit_leader_builds_own_unit_zip_only(award, org, people, run_on_commit):
    with run_on_commit(execute=True):
        job = nominations_zip_request(actor=people.reviewer, award=award, unit=org.dept_a)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (DocumentJobState.DONE, 1, 1)
    assert job.file_name.startswith("十佳优秀服务明星申报材料（武进区财政局，")
    with pytest.raises(PermissionDenied):
        nominations_zip_request(actor=people.reviewer, award=award, unit=org.dept_b)
    with pytest.raises(PermissionDenied):
        nominations_zip_request(actor=people.reviewer, award=award)


def test_progress_page_polls_until_done(award, people, client_for, run_on_commit):
    with run_on_commit(execute=False):
        job = nominations_zip_request(actor=people.office, award=award)
    client = client_for(people.office)
    page = client.get(reverse("nominations:export_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中：已处理 0 / 2 份申报" in page
    job.done = 1
    job.state = DocumentJobState.RUNNING
    job.heartbeat_at = clock.now()
    job.save()
    partial = client.get(reverse("nominations:export_job", args=[job.pk]), headers={"HX-Request": "true"})
    assert "50%" in partial.content.decode() and "<html" not in partial.content.decode()
    assert "生成中：已处理 1 / 2 份申报" in partial.content.decode()


def test_failed_job_shows_error(award, people, client_for, monkeypatch, run_on_commit):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("zuofeng.nominations.services.exports.nominations_zip_write", broken)
    with run_on_commit(execute=True):
        job = nominations_zip_request(actor=people.office, award=award)
    job.refresh_from_db()
    assert (job.state, job.error) == (DocumentJobState.FAILED, "生成失败：磁盘已满")
    page = client_for(people.office).get(reverse("nominations:export_job", args=[job.pk])).content.decode()
    assert "生成失败：磁盘已满" in page and "hx-trigger" not in page and "重新生成" in page
    assert "正在后台生成" not in page
    assert client_for(people.office).get(reverse("nominations:export_download", args=[job.pk])).status_code == 404


def test_failed_zip_regenerated_with_same_award_and_unit(award, org, people, client_for, run_on_commit):
    with run_on_commit(execute=False):
        failed = nominations_zip_request(actor=people.reviewer, award=award, unit=org.dept_a)
    DocumentJob.objects.filter(pk=failed.pk).update(state=DocumentJobState.FAILED, error="生成失败：磁盘已满")
    retry = reverse("nominations:export_retry", args=[failed.pk])
    assert client_for(people.office).post(retry).status_code == 404  # not the office's job
    with run_on_commit(execute=True):
        response = client_for(people.reviewer).post(retry)
    again = DocumentJob.objects.latest("pk")
    assert response["Location"] == reverse("nominations:export_job", args=[again.pk])
    assert (again.params, again.state, again.done) == (failed.params, DocumentJobState.DONE, 1)


def test_zip_regenerate_refused_when_requester_lost_access(award, org, people, client_for):
    failed = DocumentJob.objects.create(
        requested_by=people.reviewer,
        kind="nominations.zip",
        params={"award": award.pk, "unit": org.dept_a.pk},
        state=DocumentJobState.FAILED,
    )
    RoleAssignment.objects.filter(user=people.reviewer).delete()
    response = client_for(people.reviewer).post(reverse("nominations:export_retry", args=[failed.pk]))
    assert response.status_code == 403
    assert DocumentJob.objects.count() == 1


def test_zip_pdfs_built_in_worker_processes(award, org, settings, tmp_path):
    settings.DOCUMENTS_PDF_WORKERS = 2
    nominations = [make_nomination(award, org.dept_a, title=f"王{n}") for n in "一二三四五六七八"]
    target = tmp_path / "bulk.zip"
    seen = []
    assert nominations_zip_write(nominations, target, on_progress=seen.append) == 8
    assert seen == [5, 8]
    assert len([n for n in _names(target.read_bytes()) if n.endswith(".pdf")]) == 8


def test_zip_job_runs_once(award, people, run_on_commit):
    with run_on_commit(execute=True):
        job = nominations_zip_request(actor=people.office, award=award)
    assert nominations_zip_execute(job_id=job.pk) == 2
    assert DocumentJob.objects.get(pk=job.pk).state == DocumentJobState.DONE


def test_zip_job_refused_when_requester_lost_access(award, org, people, run_on_commit):
    with run_on_commit(execute=False):
        job = nominations_zip_request(actor=people.reviewer, award=award, unit=org.dept_a)
    RoleAssignment.objects.filter(user=people.reviewer).delete()
    people.reviewer.refresh_from_db()
    assert nominations_zip_execute(job_id=job.pk) == 0
    job.refresh_from_db()
    assert (job.state, job.file.name) == (DocumentJobState.FAILED, "")
    assert job.error == "生成失败：您无权下载该范围的申报材料。"


def test_document_service_refuses_unseen_nomination(award, people):
    nomination = award.nominations.first()
    with pytest.raises(PermissionDenied):
        nomination_document(actor=people.sibling_clerk, nomination=nomination, fmt="docx")
