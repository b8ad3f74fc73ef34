"""Downloads: a nomination as Word/PDF, blank forms, the award's 汇总表 and the background ZIP."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.models import Award
from zuofeng.core.jobs import job_sweep
from zuofeng.core.storage import private_storage
from zuofeng.documents.docx import award_form_docx
from zuofeng.documents.fonts import MissingFonts
from zuofeng.documents.models import DocumentJob
from zuofeng.documents.pdf import award_form_pdf
from zuofeng.nominations.models import Nomination
from zuofeng.nominations.selectors.summary import ORDER_UNIT, ORDERS, summary_nominations
from zuofeng.nominations.services import exports
from zuofeng.organisation.models import Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"docx": DOCX, "pdf": "application/pdf"}


def _nomination(request, pk: int) -> Nomination:
    nomination = get_object_or_404(Nomination.objects.select_related("award__campaign", "unit"), pk=pk)
    # A nomination the user may not see is as good as missing.
    if not may(request.user, "nomination.view", nomination):
        raise Http404
    return nomination


def _fonts_missing(error: MissingFonts) -> HttpResponse:
    return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")


def _document(request, pk: int, fmt: str):
    nomination = _nomination(request, pk)
    try:
        content, filename = exports.nomination_document(
            actor=request.user, nomination=nomination, fmt=fmt, masked=request.GET.get("masked") == "1"
        )
    except MissingFonts as error:
        return _fonts_missing(error)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])


@login_required
def nomination_docx(request, pk: int):
    return _document(request, pk, "docx")


@login_required
def nomination_pdf(request, pk: int):
    return _document(request, pk, "pdf")


def _award(award_id: int) -> Award:
    return get_object_or_404(Award.objects.select_related("campaign"), pk=award_id, form__has_key="rows")


@login_required
def blank_form(request, award_id: int, fmt: str):
    """The blank 申报表 for offline filling, named like the attachment it is."""
    if not may(request.user, "campaign.view"):
        raise PermissionDenied
    award = _award(award_id)
    number = award.form.get("attachment")
    filename = f"{'附件' + str(number) + '：' if number else ''}{award.form['title']}.{fmt}"
    try:
        content = award_form_docx(award.form) if fmt == "docx" else award_form_pdf(award.form)
    except MissingFonts as error:
        return _fonts_missing(error)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])


def _zip_units(user, award) -> list[Unit]:
    """Units whose ZIP this person may build: their own, where they are its administrator."""
    unit_ids = summary_nominations(award=award).values_list("unit_id", flat=True).distinct()
    return [unit for unit in Unit.objects.filter(pk__in=unit_ids) if may(user, "nomination.submit", unit)]


@login_required
def award_documents(request, award_id: int):
    award = _award(award_id)
    office = may(request.user, "award.manage")
    units = _zip_units(request.user, award)
    if not office and not units:
        raise PermissionDenied("您无权下载该奖项的申报材料。")
    context = {
        "award": award,
        "office": office,
        "units": units,
        "orders": ORDERS,
        "count": summary_nominations(award=award).count(),
        "jobs": DocumentJob.objects.filter(requested_by=request.user, kind=exports.ZIP_KIND)[:5],
    }
    return render(request, "nominations/docs/award_documents.html", context)


@login_required
def summary_xlsx(request, award_id: int):
    award = _award(award_id)
    order = request.GET.get("order", ORDER_UNIT)
    if order not in ORDERS:
        order = ORDER_UNIT
    buffer = io.BytesIO()
    exports.summary_export(
        actor=request.user, award=award, order=order, masked=request.GET.get("masked") == "1", target=buffer
    )
    buffer.seek(0)
    filename = exports.summary_filename(award=award, order=order)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
@require_POST
def zip_request(request, award_id: int):
    award = _award(award_id)
    unit = None
    if request.POST.get("unit"):
        unit = get_object_or_404(Unit, pk=request.POST["unit"])
    job = exports.nominations_zip_request(actor=request.user, award=award, unit=unit)
    messages.info(request, "已开始生成申报材料压缩包，完成后可在本页下载。")
    return redirect("nominations:export_job", job_id=job.pk)


def _own_job(request, job_id: int) -> DocumentJob:
    # Another person's job is as good as missing: its existence is not theirs to know.
    return get_object_or_404(DocumentJob, pk=job_id, requested_by=request.user)


@login_required
def export_job(request, job_id: int):
    job = _own_job(request, job_id)
    # A job whose worker died would otherwise show “生成中” for ever: correct it before showing it.
    if job_sweep(DocumentJob, [job], check_local_pids=True):
        job.refresh_from_db()
    context = {"job": job, "retention_days": settings.JOB_RETENTION_DAYS}
    if request.headers.get("HX-Request"):
        return render(request, "nominations/docs/_job_progress.html", context)
    return render(request, "nominations/docs/export_job.html", context)


@login_required
@require_POST
def export_retry(request, job_id: int):
    """重新生成 a failed or deleted ZIP with the same award and unit."""
    job = exports.nominations_zip_retry(actor=request.user, job=_own_job(request, job_id))
    return redirect("nominations:export_job", job_id=job.pk)


@login_required
def export_download(request, job_id: int):
    job = _own_job(request, job_id)
    if job.state != "done" or not job.file:
        raise Http404("文件尚未生成。")
    handle = private_storage().open(job.file.name, "rb")
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type="application/zip")
