"""Document figures for `make bench`; bench/run.py calls `run()` after migrate, load_campaign, demo_district.

Prints Word files/s, PDF files/s (one worker), the time to build the ZIP of BENCH_ZIP_NOMINATIONS
(default 1,000) nominations through the background task's body, and peak memory as RSS (most of
it is Pango/HarfBuzz, which tracemalloc does not see). Call it outside tracemalloc for true
rates. Builds its own nominations of the default campaign's 十佳优秀服务明星, removes them after.
"""

import os
import resource
import time
import tracemalloc

WORD_SAMPLES = int(os.environ.get("BENCH_WORD_FILES", "200"))
PDF_SAMPLES = int(os.environ.get("BENCH_PDF_FILES", "20"))
ZIP_NOMINATIONS = int(os.environ.get("BENCH_ZIP_NOMINATIONS", "1000"))
TITLE_PREFIX = "测试"
MAIN_TEXT = (
    "该同志扎根窗口服务一线十余年，始终坚持群众利益无小事，主动靠前服务，推行预约办、延时办、上门办等便民举措，"
    "累计为企业和群众办理各类事项三万余件，做到件件有回音、事事有着落，群众满意率保持在百分之百。\n"
) * 5


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


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


def run() -> None:
    from zuofeng.accounts.models import User
    from zuofeng.campaigns.models import Award
    from zuofeng.core.storage import private_storage
    from zuofeng.documents.docx import nomination_docx
    from zuofeng.documents.models import DocumentJob
    from zuofeng.documents.pdf import nomination_pdf
    from zuofeng.nominations.models import Nomination
    from zuofeng.nominations.services.exports import ZIP_KIND
    from zuofeng.nominations.tasks.export import nominations_zip_run

    print("documents (nominations)")
    if tracemalloc.is_tracing():
        print("  (tracemalloc is on: the rates below are slower than in production)")
    award = Award.objects.get(campaign__is_default=True, key="service-star")
    office = User.objects.get(username="office")
    nominations = _nominations(award, max(ZIP_NOMINATIONS, WORD_SAMPLES, PDF_SAMPLES))
    try:
        nomination_pdf(nominations[0])  # first PDF loads fonts; not what a running worker pays
        line("Word files (target ≥ 20/s)", f"{_rate(nomination_docx, nominations[:WORD_SAMPLES]):.1f} /s")
        line("PDF files, one worker (target ≥ 1/s)", f"{_rate(nomination_pdf, nominations[:PDF_SAMPLES]):.2f} /s")

        job = DocumentJob.objects.create(
            requested_by=office, kind=ZIP_KIND, params={"award": award.pk, "unit": None}, total=len(nominations)
        )
        start = time.perf_counter()
        nominations_zip_run.call(job.pk)  # the task's body, in this process
        elapsed = time.perf_counter() - start
        job.refresh_from_db()
        size = private_storage().size(job.file.name) if job.file else 0
        line(
            f"ZIP of {job.total} nominations (Word+PDF)",
            f"{elapsed:.1f} s, {job.state}, {job.done}/{job.total}, {size / 1_048_576:.1f} MB",
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        line("peak RSS (this process / largest PDF worker)", f"{own:.0f} MB / {workers:.0f} MB")
        if job.file:
            private_storage().delete(job.file.name)
        job.delete()
    finally:
        Nomination.objects.filter(award=award, title__contains=TITLE_PREFIX).delete()
