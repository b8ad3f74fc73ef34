"""公文 figures for `make bench`; bench/run.py calls `run()` once the ~3,000 units exist.

Issues a notice to every active unit (3,000+ copies in one transaction, target < 1 s), signs two
thirds of them, then builds the office's 未签收 table (target < 1 s); then renders the seed notice
(武作组办〔2018〕2号, 8 pages) to Word and PDF and prints files/s. Removes what it made.
"""

import os
import time

TARGETS = {"issue_s": 1.0, "unsigned_s": 1.0}
PREFIX = "测试办"
WORD_FILES = int(os.environ.get("BENCH_NOTICE_WORD_FILES", "50"))
PDF_FILES = int(os.environ.get("BENCH_NOTICE_PDF_FILES", "5"))


def line(label: str, value: str, ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ✓" if ok else "  ✗")
    print(f"  {label:<44} {value}{mark}")


def run() -> None:
    import datetime as dt

    from zuofeng.accounts.models import User
    from zuofeng.notices.models import Delivery, DocNumberSequence, Notice
    from zuofeng.notices.selectors.delivery import delivery_counts, unsigned_rows
    from zuofeng.notices.services.drafting import NoticeData, notice_save
    from zuofeng.notices.workflow import notice_transition
    from zuofeng.organisation.models import Unit

    office = User.objects.get(username="office")
    unit_ids = list(Unit.objects.filter(is_active=True).values_list("pk", flat=True))
    data = NoticeData(
        issuer="区作风办",
        number_prefix=PREFIX,
        title="测试通知",
        body="一、测试",
        signed_on=dt.date(2018, 9, 3),
        printed_by="区作风办",
    )
    notice = notice_save(actor=office, data=data, addressee_ids=unit_ids)
    print("notices")
    start = time.perf_counter()
    notice_transition(actor=office, notice=notice, to="issued")
    elapsed = time.perf_counter() - start
    line(f"issue to {len(unit_ids):,} units (印发)", f"{elapsed * 1000:.0f} ms", elapsed < TARGETS["issue_s"])
    copies = list(Delivery.objects.filter(notice=notice).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=copies[: len(copies) * 2 // 3]).update(acknowledged_at=notice.created_at)
    start = time.perf_counter()
    rows = unsigned_rows(notice=notice, user=office)
    delivery_counts(notice=notice, user=office)
    elapsed = time.perf_counter() - start
    line(
        f"unsigned table ({len(rows):,} of {len(copies):,})",
        f"{elapsed * 1000:.0f} ms",
        elapsed < TARGETS["unsigned_s"],
    )
    Notice.objects.filter(pk=notice.pk).delete()
    DocNumberSequence.objects.filter(prefix=PREFIX).delete()
    render_rates()


def render_rates() -> None:
    from zuofeng.campaigns.models import Campaign
    from zuofeng.documents.official_docx import official_docx
    from zuofeng.documents.official_pdf import official_pdf
    from zuofeng.notices.documents import notice_document
    from zuofeng.notices.services.seed import notice_seed

    seed = notice_seed(campaign=Campaign.objects.get(is_default=True), render_forms=False)
    document = notice_document(seed.notice)
    official_pdf(document)  # fonts loaded once per process, as in a worker
    for label, render, samples in (("Word", official_docx, WORD_FILES), ("PDF", official_pdf, PDF_FILES)):
        start = time.perf_counter()
        for _ in range(samples):
            render(document)
        elapsed = time.perf_counter() - start
        line(f"seed notice as {label} (GB/T 9704)", f"{samples / elapsed:.1f} files/s")
    if seed.created:
        seed.notice.delete()
