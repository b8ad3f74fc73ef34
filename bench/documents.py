"""Document figures for `make bench`; bench/run.py calls `run()` after migrate, load_campaign, demo_district.

Prints Word files/s against bare python-docx writing a one-table document of the same size in the
same run (target ≥ 0.7 ×), PDF files/s (one worker), the ZIP of BENCH_ZIP_NOMINATIONS (default
1,000) nominations through the background task's body twice: first with nothing stored (every form
rendered, and stored), then from the stored forms (target ≤ 15 s); and peak memory as RSS (most of
it is Pango/HarfBuzz, which tracemalloc does not see). Call it outside tracemalloc for true
rates. Builds its own nominations of the default campaign's 十佳优秀服务明星, removes them after.
"""

import io
import os
import resource
import time
import tracemalloc

WORD_SAMPLES = int(os.environ.get("BENCH_WORD_FILES", "200"))
PDF_SAMPLES = int(os.environ.get("BENCH_PDF_FILES", "20"))
ZIP_NOMINATIONS = int(os.environ.get("BENCH_ZIP_NOMINATIONS", "1000"))
TARGETS = {"word_vs_bare": 0.7, "pdf_per_s": 1.0, "zip_stored_s": 15.0}
TITLE_PREFIX = "测试"
MAIN_TEXT = (
    "该同志扎根窗口服务一线十余年，始终坚持群众利益无小事，主动靠前服务，推行预约办、延时办、上门办等便民举措，"
    "累计为企业和群众办理各类事项三万余件，做到件件有回音、事事有着落，群众满意率保持在百分之百。\n"
) * 5


def line(label: str, value: str, ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ✓" if ok else "  ✗")
    print(f"  {label:<44} {value}{mark}")


def bare_docx(nomination) -> bytes:
    """The reference: python-docx's plain API writing the same text into a table of the same rows and
    cells (one paragraph per line), without fonts, sizes, widths or merged cells."""
    from docx import Document

    from zuofeng.documents.inputs import nomination_inputs

    inputs = nomination_inputs(nomination)
    document = Document()
    document.add_paragraph(f"附件{inputs.form.get('attachment', '')}")
    document.add_paragraph(inputs.form["title"])
    document.add_paragraph(f"{inputs.form.get('applicant_line', '')}：{inputs.unit_name}")
    rows = inputs.form["rows"]
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    opinion = inputs.opinion.text.splitlines() if inputs.opinion else []
    for row_def, row in zip(rows, table.rows, strict=True):
        texts = []
        for field in row_def[:2]:
            value = opinion if field.get("type") == "opinion" else inputs.values.get(field["key"], [])
            texts += [field["label"].split("\n"), value]
        for cell, lines in zip(row.cells, texts, strict=False):
            first, *rest = lines or [""]
            cell.paragraphs[0].add_run(first)
            for text in rest:
                cell.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _nominations(award, count: int) -> list:
    from zuofeng.nominations.models import Nomination, NominationState
    from zuofeng.organisation.models import Unit

    units = list(Unit.objects.filter(parent__isnull=True, is_active=True).order_by("sort_key")[:200])
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    rows = []
    for i in range(count):
        name = f"{surnames[i % len(surnames)]}{TITLE_PREFIX}{i}"
        data = {
            "name": name,
            "position": "科长",
            "gender": "1" if i % 2 else "2",
            "birth_month": f"{1970 + i % 25}-{1 + i % 12:02d}",
            "political_status": "01",
            "phone": f"139{i:08d}",
            "honours": [{"year": 2017, "honour": "区优秀公务员", "body": "武进区委"}],
            "main_text": MAIN_TEXT,
        }
        rows.append(
            Nomination(
                award=award,
                campaign=award.campaign,
                unit=units[i % len(units)],
                title=name,
                data=data,
                state=NominationState.SUBMITTED,
            )
        )
    Nomination.objects.bulk_create(rows, batch_size=500)
    return list(Nomination.objects.filter(award=award, title__contains=TITLE_PREFIX).select_related("unit", "award"))


def _rate(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def _zip(office, award, count: int) -> tuple[float, object, int]:
    from zuofeng.core.storage import private_storage
    from zuofeng.documents.models import DocumentJob
    from zuofeng.nominations.services.exports import ZIP_KIND
    from zuofeng.nominations.tasks.export import nominations_zip_run

    job = DocumentJob.objects.create(
        requested_by=office, kind=ZIP_KIND, params={"award": award.pk, "unit": None}, total=count
    )
    start = time.perf_counter()
    nominations_zip_run.call(job.pk)  # the task's body, in this process
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    size = private_storage().size(job.file.name) if job.file else 0
    if job.file:
        private_storage().delete(job.file.name)
    job.delete()
    return elapsed, job, size


def run() -> None:
    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Award
    from zuofeng.documents.docx import nomination_docx
    from zuofeng.documents.pdf import nomination_pdf
    from zuofeng.nominations.models import Nomination, NominationRendering

    print("documents (nominations)")
    if tracemalloc.is_tracing():
        print("  (tracemalloc is on: the rates below are slower than in production)")
    award = Award.objects.get(campaign__is_default=True, key="service-star")
    office = User.objects.get(username="office")
    nominations = _nominations(award, max(ZIP_NOMINATIONS, WORD_SAMPLES, PDF_SAMPLES))
    try:
        nomination_pdf(nominations[0])  # first PDF loads fonts; not what a running worker pays
        bare_docx(nominations[0])
        words = nominations[:WORD_SAMPLES]
        # Interleaved halves, so a change in the machine's load falls on both alike.
        ours = bare = 0.0
        for half in (words[::2], words[1::2]):
            ours += len(half) / _rate(nomination_docx, half)
            bare += len(half) / _rate(bare_docx, half)
        ratio = bare / ours
        line("Word files", f"{len(words) / ours:.1f} /s")
        line("bare python-docx, same table and text", f"{len(words) / bare:.1f} /s")
        line("Word rate / bare (target ≥ 0.7)", f"{ratio:.2f}", ratio >= TARGETS["word_vs_bare"])
        pdf_rate = _rate(nomination_pdf, nominations[:PDF_SAMPLES])
        line("PDF files, one worker (target ≥ 1/s)", f"{pdf_rate:.2f} /s", pdf_rate >= TARGETS["pdf_per_s"])

        count = len(nominations)
        for label, target in ((f"ZIP of {count}, forms rendered (and stored)", None),
                              (f"ZIP of {count}, stored forms (≤ 15 s)", TARGETS["zip_stored_s"])):  # fmt: skip
            elapsed, job, size = _zip(office, award, count)
            value = f"{elapsed:.1f} s, {job.state}, {job.done}/{job.total}, {size / 1_048_576:.0f} MB"
            line(label, value, None if target is None else elapsed <= target and job.state == "done")
        stored = NominationRendering.objects.filter(nomination__award=award, nomination__title__contains=TITLE_PREFIX)
        line("stored forms (Word + PDF)", f"{stored.count()}")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        line("peak RSS (this process / largest PDF worker)", f"{own:.0f} MB / {workers:.0f} MB")
    finally:
        bench_nominations = Nomination.objects.filter(award=award, title__contains=TITLE_PREFIX)
        for rendering in NominationRendering.objects.filter(nomination__in=bench_nominations):
            rendering.file.delete(save=False)
        bench_nominations.delete()
