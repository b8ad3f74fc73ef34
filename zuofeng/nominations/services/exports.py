"""Nomination documents for download: one form as Word/PDF, the bulk ZIP of an award, the 汇总表.

Who may have what: a form goes to whoever may view the nomination; people without
nomination.view_private (judges) get it masked (phone, birth month). The ZIP of a whole award
and the summary sheet are the office's; a unit's administrator may build the ZIP of their unit.
The ZIP is built by a background task (tasks/export.py) that records its progress in a
DocumentJob; only the requester downloads the file.
"""

import logging
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.core.jobs import job_beat, job_claim, job_fail, job_finish, job_workdir
from zuofeng.documents.docx import inputs_docx
from zuofeng.documents.inputs import inputs_fingerprint, nomination_inputs
from zuofeng.documents.models import DocumentJob, DocumentJobState
from zuofeng.documents.pdf import html_pdf, inputs_html
from zuofeng.nominations.models import RenderingFormat
from zuofeng.nominations.selectors.summary import ORDERS, Summary, summary_nominations, summary_order
from zuofeng.nominations.selectors.summary import summary_table as _summary_table
from zuofeng.nominations.services.renderings import (
    nomination_rendering,
    rendering_read,
    rendering_store,
    renderings_stored,
)

log = logging.getLogger(__name__)
ZIP_KIND = "nominations.zip"
PROGRESS_EVERY = 5
PDF_CHUNK = 4
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str) -> str:
    """A file or folder name Windows accepts, keeping the Chinese."""
    return _UNSAFE.sub("_", text).strip(" .") or "未命名"


def nomination_basename(nomination) -> str:
    return safe_name(
        f"{nomination.unit.name}-{nomination.title or nomination.award.name}-{nomination.award.name}申报表"
    )


def _masked_for(actor, nomination) -> bool:
    return not may(actor, "nomination.view_private", nomination)


def nomination_document(*, actor, nomination, fmt: str, masked: bool = False) -> tuple[bytes, str]:
    """The filled form as 'docx' or 'pdf', with its download name; masked for judges whatever is asked."""
    if not may(actor, "nomination.view", nomination):
        raise PermissionDenied("您无权查看该申报。")
    masked = masked or _masked_for(actor, nomination)
    content = nomination_rendering(nomination=nomination, fmt=fmt, masked=masked)
    audit_record(
        actor=actor, action="nomination.download", obj=nomination, detail=f"{fmt}{'（隐去个人信息）' if masked else ''}"
    )
    return content, f"{nomination_basename(nomination)}.{fmt}"


# ── 汇总表 ─────────────────────────────────────────────────────────────


def summary_filename(*, award, order: str) -> str:
    return safe_name(f"{award.name}申报汇总表（{ORDERS.get(order, '')}，{cn_date(clock.today())}）") + ".xlsx"


def summary_export(*, actor, award, order: str, masked: bool, target) -> Summary:
    """Write the 汇总表 to `target` (path or file object); the office's, masked on request."""
    if not may(actor, "award.manage"):
        raise PermissionDenied("只有作风办可以导出申报汇总表。")
    summary = _summary_table(award=award, order=order, masked=masked)
    summary_xlsx_write(summary, target)
    audit_record(
        actor=actor,
        action="nomination.export_summary",
        obj=award,
        detail=f"{ORDERS.get(order, order)}，{len(summary.rows)} 条",
    )
    return summary


def summary_xlsx_write(summary: Summary, target) -> None:
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet("汇总表")
    title = book.add_format({"bold": True, "font_name": "方正小标宋简体", "font_size": 18, "align": "center"})
    head = book.add_format(
        {
            "bold": True,
            "font_name": "黑体",
            "font_size": 11,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
        }
    )
    cell = book.add_format(
        {"font_name": "仿宋_GB2312", "font_size": 11, "border": 1, "valign": "vcenter", "text_wrap": True}
    )
    centre = book.add_format(
        {"font_name": "仿宋_GB2312", "font_size": 11, "border": 1, "valign": "vcenter", "align": "center"}
    )
    last = len(summary.headers) - 1
    sheet.merge_range(0, 0, 0, last, summary.title, title)
    sheet.set_row(0, 36)
    sheet.write_row(1, 0, summary.headers, head)
    for column, width in enumerate(summary.widths):
        sheet.set_column(column, column, width)
    for r, row in enumerate(summary.rows, start=2):
        sheet.write_number(r, 0, row[0], centre)
        for c, value in enumerate(row[1:], start=1):
            sheet.write_string(r, c, str(value), cell)
    sheet.freeze_panes(2, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.repeat_rows(0, 1)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    book.close()


# ── ZIP of forms, built in the background ─────────────────────────────


def zip_filename(*, award, unit=None) -> str:
    where = f"{unit.name}" if unit is not None else "全部单位"
    return safe_name(f"{award.name}申报材料（{where}，{cn_date(clock.today())}）") + ".zip"


def _require_zip(actor, award, unit) -> None:
    if may(actor, "award.manage"):
        return
    if unit is not None and may(actor, "nomination.submit", unit):
        return
    raise PermissionDenied("您无权下载该范围的申报材料。")


@transaction.atomic
def nominations_zip_request(*, actor, award, unit=None) -> DocumentJob:
    """Queue the ZIP; the task starts once this transaction commits."""
    _require_zip(actor, award, unit)
    job = DocumentJob.objects.create(
        requested_by=actor,
        kind=ZIP_KIND,
        params={"award": award.pk, "unit": unit.pk if unit is not None else None},
        total=summary_nominations(award=award, unit=unit).count(),
        file_name=zip_filename(award=award, unit=unit),
    )
    audit_record(actor=actor, action="nomination.export_zip", obj=award, detail=f"后台任务 {job.pk}：{job.file_name}")
    from zuofeng.nominations.tasks.export import nominations_zip_run

    transaction.on_commit(lambda: nominations_zip_run.enqueue(job.pk))
    return job


def _pdf_workers(count: int) -> int:
    workers = getattr(settings, "DOCUMENTS_PDF_WORKERS", os.cpu_count() or 1)
    return max(1, min(workers, count // PDF_CHUNK))


@contextmanager
def _pdf_maker(count: int) -> Iterator[Callable[[list[str]], Iterable[bytes]]]:
    """Renders lists of HTML to PDFs in order; WeasyPrint is CPU-bound, so many renders use a process pool."""
    workers = _pdf_workers(count)
    if workers == 1:
        yield lambda htmls: map(html_pdf, htmls)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield lambda htmls: pool.map(html_pdf, htmls, chunksize=PDF_CHUNK)


def _stale_pdfs(nominations: list) -> int:
    """How many PDFs the ZIP must render (no stored file from today's inputs), to size the process pool."""
    stale = 0
    for start in range(0, len(nominations), 500):
        chunk = nominations[start : start + 500]
        stored = renderings_stored(chunk)
        for nomination in chunk:
            row = stored.get((nomination.pk, RenderingFormat.PDF))
            fingerprint = inputs_fingerprint(nomination_inputs(nomination), RenderingFormat.PDF)
            stale += row is None or row.inputs != fingerprint
    return stale


def _forms(chunk: list, make_pdfs) -> list[tuple[bytes, bytes]]:
    """(Word, PDF) of each nomination: stored files when fresh, the rest rendered now and stored."""
    stored = renderings_stored(chunk)
    inputs = [nomination_inputs(n) for n in chunk]
    contents: dict[str, list] = {}
    for fmt in (RenderingFormat.DOCX, RenderingFormat.PDF):
        prints = [inputs_fingerprint(i, fmt) for i in inputs]
        found = [rendering_read(stored.get((n.pk, fmt)), p) for n, p in zip(chunk, prints, strict=True)]
        missing = [k for k, content in enumerate(found) if content is None]
        if fmt == RenderingFormat.PDF:
            rendered = make_pdfs([inputs_html(inputs[k]) for k in missing])
        else:
            rendered = (inputs_docx(inputs[k]) for k in missing)
        for k, content in zip(missing, rendered, strict=True):
            found[k] = content
            rendering_store(nomination=chunk[k], fmt=fmt, masked=False, fingerprint=prints[k], content=content)
        contents[fmt] = found
    return list(zip(contents[RenderingFormat.DOCX], contents[RenderingFormat.PDF], strict=True))


def _scan_entries(nomination, folder: str, base: str) -> list[tuple[str, object]]:
    entries = []
    if nomination.stamped_scan:
        ext = os.path.splitext(nomination.stamped_scan.name)[1].lower()
        entries.append((f"{folder}/{base}-盖章扫描件{ext}", nomination.stamped_scan))
    opinion = getattr(nomination, "opinion", None)  # RelatedObjectDoesNotExist is an AttributeError
    if opinion is not None and opinion.stamped_scan:
        ext = os.path.splitext(opinion.stamped_scan.name)[1].lower()
        entries.append((f"{folder}/{base}-审核意见盖章件{ext}", opinion.stamped_scan))
    return entries


def nominations_zip_write(
    nominations: list, target, *, on_progress: Callable[[int], None] | None = None, batch: int = 40
) -> int:
    """Word + PDF + stamped scans of each nomination, one folder per unit numbered in official order.

    The forms are the stored renderings when fresh (services/renderings.py); only the others are
    rendered here, and stored for the next time.
    """
    unit_numbers: dict[int, int] = {}
    done = 0
    # ZipFile sets the UTF-8 flag on every non-ASCII name, so Windows shows the Chinese names.
    # Stored, not deflated: Word, PDF and scans are compressed already.
    with (
        _pdf_maker(_stale_pdfs(nominations)) as make_pdfs,
        zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive,
    ):
        for start in range(0, len(nominations), batch):
            chunk = nominations[start : start + batch]
            for nomination, (docx, pdf) in zip(chunk, _forms(chunk, make_pdfs), strict=True):
                number = unit_numbers.setdefault(nomination.unit_id, len(unit_numbers) + 1)
                folder = safe_name(f"{number:02d}-{nomination.unit.name}")
                base = safe_name(nomination.title or nomination.award.name)
                archive.writestr(f"{folder}/{base}-申报表.docx", docx)
                archive.writestr(f"{folder}/{base}-申报表.pdf", pdf)
                for name, field in _scan_entries(nomination, folder, base):
                    with field.open("rb") as handle:
                        archive.writestr(name, handle.read())
                done += 1
                if on_progress is not None and (done % PROGRESS_EVERY == 0 or done == len(nominations)):
                    on_progress(done)
    return done


def _progress(job_id: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        job_beat(DocumentJob, job_id, done=done)

    return report


def _zip_scope(actor, params: dict):
    from zuofeng.campaigns.models import Award
    from zuofeng.organisation.models import Unit

    award = Award.objects.select_related("campaign").get(pk=params["award"])
    unit = Unit.objects.get(pk=params["unit"]) if params.get("unit") else None
    _require_zip(actor, award, unit)
    return award, unit


def nominations_zip_execute(*, job_id: int) -> int:
    """Body of the background task; the requester's access is checked again now.

    The archive is written in the job's work folder and moved into place when complete
    (zuofeng/core/jobs.py), so a worker killed half-way leaves no file to download.
    """
    if not job_claim(DocumentJob, job_id):
        return DocumentJob.objects.get(pk=job_id).done
    job = DocumentJob.objects.select_related("requested_by").get(pk=job_id)
    part = os.path.join(job_workdir(DocumentJob, job.pk), "nominations.zip")
    try:
        award, unit = _zip_scope(job.requested_by, job.params)
        nominations = summary_order(
            summary_nominations(award=award, unit=unit).select_related("opinion"), award=award, order="unit"
        )
        job_beat(DocumentJob, job.pk, total=len(nominations))
        count = nominations_zip_write(nominations, part, on_progress=_progress(job.pk))
    except Exception as error:
        log.exception("nominations zip %s failed", job.pk)
        job_fail(DocumentJob, job.pk, error=f"生成失败：{error}")
        return 0
    name = f"documents/{clock.today():%Y/%m}/nominations-{job.pk}.zip"
    return count if job_finish(DocumentJob, job.pk, part=part, name=name, count=count) else 0


def nominations_zip_retry(*, actor, job: DocumentJob) -> DocumentJob:
    """重新生成: a new ZIP with the same award and unit, checked against the person's access today."""
    if job.requested_by_id != actor.pk or job.state not in (DocumentJobState.FAILED, DocumentJobState.EXPIRED):
        raise PermissionDenied("只能重新生成本人已失败或已删除的压缩包。")
    award, unit = _zip_scope(actor, job.params)
    return nominations_zip_request(actor=actor, award=award, unit=unit)
