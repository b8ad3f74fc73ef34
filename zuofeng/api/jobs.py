"""Long work over the API: the consolidated ledger export and the nominations ZIP as job resources.

Starting one returns the job at once; the caller polls `GET …/exports/{id}` until `state` is
`done`, then fetches `download`. Same services, scopes and rules as the pages: a job is visible only
to the person who started it (anyone else gets 404, as if it did not exist), 重新生成 makes a new job
from a failed or deleted one. A job whose worker died is marked failed when it is polled.
"""

import datetime as dt

from django.http import FileResponse, Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from zuofeng.api.access import require
from zuofeng.api.schemas.common import ALWAYS, Id, PathId, with_errors
from zuofeng.core.jobs import job_sweep
from zuofeng.core.storage import private_storage
from zuofeng.documents.models import DocumentJob
from zuofeng.rectification.models import ExportJob

rectification_router = Router(tags=["找差整改"])
nominations_router = Router(tags=["评优申报"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A download's 200 is the file itself (no JSON schema); its errors are the API's usual JSON bodies.
FILE_RESPONSES = {200: None, **ALWAYS}


class JobOut(Schema):
    id: int
    state: str = Field(description="queued 排队中、running 生成中、done 已完成、failed 失败、expired 文件已删除")
    state_label: str
    total: int
    done: int
    percent: int
    file_name: str
    error: str
    finished_at: dt.datetime | None
    download: str | None = Field(description="完成后下载文件的地址")


def _job_out(job, download_name: str) -> dict:
    percent = 100 if job.state == "done" else (100 * job.done // job.total if job.total else 0)
    ready = job.state == "done" and bool(job.file)
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "total": job.total,
        "done": job.done,
        "percent": percent,
        "file_name": job.file_name,
        "error": job.error,
        "finished_at": job.finished_at,
        "download": reverse(f"api:{download_name}", args=[job.pk]) if ready else None,
    }


def _own(model, user, pk: int):
    job = model.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404
    if job_sweep(model, [job], check_local_pids=True):
        job.refresh_from_db()
    return job


def _file(job, content_type: str) -> FileResponse:
    if job.state != "done" or not job.file:
        raise Http404
    return FileResponse(private_storage().open(job.file.name, "rb"), as_attachment=True, filename=job.file_name,
                        content_type=content_type)  # fmt: skip


# ── 整改清单汇总导出 ─────────────────────────────────────────────────────────


class LedgerExportIn(Schema):
    root: Id | None = Field(None, description="只导出该单位及其下属（默认：本人可见的全部单位）")
    lists: str = Field(description="all 全部清单、approved 仅审核通过的清单")


@rectification_router.post("/exports", response=with_errors(JobOut, 400), summary="导出整改清单汇总表（后台任务）")
def ledger_export_start(request, payload: LedgerExportIn):
    from zuofeng.campaigns.selectors import campaign_current
    from zuofeng.rectification.selectors.dashboard import dashboard_scope
    from zuofeng.rectification.selectors.export import ledger_export_measures
    from zuofeng.rectification.services import export as export_services

    require(request.auth, "ledger.view")
    if payload.lists not in export_services.LISTS:
        message = "“导出哪些清单”只能选择“全部清单”或“仅审核通过的清单”。"
        return 400, {"detail": message, "errors": {"lists": [message]}}
    campaign = campaign_current()
    if campaign is None:
        raise Http404
    scope = dashboard_scope(user=request.auth, campaign=campaign, root_id=payload.root, action="ledger.view")
    approved_only = payload.lists == export_services.LISTS_APPROVED
    total = ledger_export_measures(scope=scope, approved_only=approved_only).count()
    job = export_services.ledger_export_request(actor=request.auth, scope=scope, total=total, lists=payload.lists)
    return _job_out(job, "ledger_export_download")


@rectification_router.get("/exports/{job_id}", response=with_errors(JobOut), summary="导出任务进度")
def ledger_export_get(request, job_id: PathId):
    return _job_out(_own(ExportJob, request.auth, job_id), "ledger_export_download")


@rectification_router.post(
    "/exports/{job_id}/retry", response=with_errors(JobOut), summary="重新生成失败或已删除的导出"
)
def ledger_export_again(request, job_id: PathId):
    from zuofeng.rectification.services import export as export_services

    job = export_services.ledger_export_retry(actor=request.auth, job=_own(ExportJob, request.auth, job_id))
    return _job_out(job, "ledger_export_download")


@rectification_router.get(
    "/exports/{job_id}/download",
    url_name="ledger_export_download",
    response=FILE_RESPONSES,
    summary="下载导出的汇总表（Excel）",
)
def ledger_export_file(request, job_id: PathId):
    return _file(_own(ExportJob, request.auth, job_id), XLSX)


# ── 申报材料压缩包 ───────────────────────────────────────────────────────────


class ZipIn(Schema):
    unit: Id | None = Field(description="只打包该单位的申报；null 则打包本人可见的全部")


@nominations_router.post(
    "/awards/{award_id}/zip", response=with_errors(JobOut, 400), summary="生成申报材料压缩包（后台任务）"
)
def nominations_zip_start(request, award_id: PathId, payload: ZipIn):
    from zuofeng.campaigns.models import Award
    from zuofeng.nominations.services import exports
    from zuofeng.organisation.models import Unit

    award = Award.objects.select_related("campaign").filter(pk=award_id, form__has_key="rows").first()
    unit = Unit.objects.filter(pk=payload.unit).first() if payload.unit else None
    if award is None or (payload.unit and unit is None):
        raise Http404
    job = exports.nominations_zip_request(actor=request.auth, award=award, unit=unit)
    return _job_out(job, "nominations_zip_download")


@nominations_router.get("/exports/{job_id}", response=with_errors(JobOut), summary="压缩包任务进度")
def nominations_zip_get(request, job_id: PathId):
    return _job_out(_own(DocumentJob, request.auth, job_id), "nominations_zip_download")


@nominations_router.post(
    "/exports/{job_id}/retry", response=with_errors(JobOut), summary="重新生成失败或已删除的压缩包"
)
def nominations_zip_again(request, job_id: PathId):
    from zuofeng.nominations.services import exports

    job = exports.nominations_zip_retry(actor=request.auth, job=_own(DocumentJob, request.auth, job_id))
    return _job_out(job, "nominations_zip_download")


@nominations_router.get(
    "/exports/{job_id}/download", url_name="nominations_zip_download", response=FILE_RESPONSES, summary="下载压缩包"
)
def nominations_zip_file(request, job_id: PathId):
    return _file(_own(DocumentJob, request.auth, job_id), "application/zip")
