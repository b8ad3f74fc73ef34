"""Forms rendered once at submission and kept: served while fresh, rendered again when what they show changes.

A submitted nomination's Word and PDF forms are rendered by a background task once the submission
commits (tests run it at once: ImmediateBackend); downloads and the ZIP serve the stored files
while the fingerprint of their inputs is today's and the bytes hash to what was stored, and render
on demand (and store) otherwise.
"""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import BEFORE, STAR_DATA, pdf
from tests.word import docx_text
from zuofeng.core import clock
from zuofeng.documents.inputs import inputs_fingerprint, nomination_inputs
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationRendering
from zuofeng.nominations.services import exports
from zuofeng.nominations.services.exports import nominations_zip_write
from zuofeng.nominations.services.lifecycle import (
    nomination_create_draft,
    nomination_save_draft,
    nomination_submit,
    nomination_withdraw,
)
from zuofeng.nominations.services.opinion import opinion_give
from zuofeng.nominations.services.renderings import nomination_rendering, rendering_read, rendering_render

private_root = support.private_root
star = support.star
wujin = support.wujin

pytestmark = pytest.mark.django_db
OPINION_DAY = BEFORE.date()


@pytest.fixture(autouse=True)
def _one_pdf_worker(settings):
    settings.DOCUMENTS_PDF_WORKERS = 1


def _submit(people, nomination, capture, *, run_task: bool = True) -> Nomination:
    with clock.frozen(BEFORE), capture(execute=run_task):
        nomination_submit(actor=people.reviewer, nomination=nomination, stamped_scan=pdf())
    return _fresh(nomination)


def _fresh(nomination) -> Nomination:
    return Nomination.objects.select_related("award", "unit", "opinion").get(pk=nomination.pk)


@pytest.fixture
def draft(star, org, people, private_root):
    with clock.frozen(BEFORE):
        return nomination_create_draft(actor=people.reviewer, award=star, unit=org.dept_a, data=STAR_DATA)


@pytest.fixture
def submitted(draft, people, django_capture_on_commit_callbacks):
    return _submit(people, draft, django_capture_on_commit_callbacks)


def _rows(nomination) -> dict:
    return {(r.fmt, r.masked): r for r in NominationRendering.objects.filter(nomination=nomination)}


def _is_fresh(nomination, fmt: str) -> bool:
    nomination = _fresh(nomination)
    row = _rows(nomination).get((fmt, False))
    return rendering_read(row, inputs_fingerprint(nomination_inputs(nomination), fmt)) is not None


def _parts(content: bytes, fmt: str) -> dict[str, bytes]:
    """A PDF's bytes; a Word file's parts (python-docx stamps each ZIP entry with the time it was written)."""
    if fmt == "pdf":
        return {"pdf": content}
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def _give_opinion(people, nomination, capture, *, run_task: bool):
    with clock.frozen(BEFORE), capture(execute=run_task):
        opinion_give(
            actor=people.office, nomination=nomination, text="同意推荐。", signed_on=OPINION_DAY, stamped_scan=pdf()
        )


def test_submitting_stores_word_and_pdf_equal_to_an_on_demand_render(submitted, private_root):
    rows = _rows(submitted)
    assert sorted(rows) == [("docx", False), ("pdf", False)]
    inputs = nomination_inputs(submitted)
    for fmt, row in ((fmt, rows[(fmt, False)]) for fmt in ("docx", "pdf")):
        path = Path(row.file.path)
        assert path.is_relative_to(private_root)
        content = path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == row.sha256
        assert row.inputs == inputs_fingerprint(inputs, fmt)
        assert _parts(content, fmt) == _parts(rendering_render(inputs, fmt), fmt)
    reader = PdfReader(rows[("pdf", False)].file.path)
    assert len(reader.pages) == 1 and "王晓明" in reader.pages[0].extract_text()


def test_a_queue_that_fails_does_not_fail_the_submission(
    draft, people, django_capture_on_commit_callbacks, monkeypatch
):
    class Unreachable:
        def enqueue(self, *args):
            raise ConnectionError("队列不可用")

    monkeypatch.setattr("zuofeng.nominations.tasks.renderings.nomination_render_run", Unreachable())
    nomination = _submit(people, draft, django_capture_on_commit_callbacks)
    assert (nomination.state, _rows(nomination)) == ("submitted", {})


def test_download_renders_and_stores_when_the_task_has_not_run(
    draft, people, client_for, django_capture_on_commit_callbacks
):
    nomination = _submit(people, draft, django_capture_on_commit_callbacks, run_task=False)
    assert _rows(nomination) == {}
    response = client_for(people.office).get(reverse("nominations:pdf", args=[nomination.pk]))
    content = b"".join(response.streaming_content)
    row = _rows(nomination)[("pdf", False)]
    assert Path(row.file.path).read_bytes() == content
    assert _is_fresh(nomination, "pdf")


def test_opinion_given_renders_the_forms_again_in_the_background(submitted, people, django_capture_on_commit_callbacks):
    before = {key: (row.file.path, row.inputs) for key, row in _rows(submitted).items()}
    _give_opinion(people, submitted, django_capture_on_commit_callbacks, run_task=True)
    after = _rows(submitted)
    for key, (old_path, old_inputs) in before.items():
        assert after[key].inputs != old_inputs
        assert not Path(old_path).exists()  # replaced files are deleted once the new row commits
    assert _is_fresh(submitted, "docx") and _is_fresh(submitted, "pdf")
    assert "同意推荐。" in docx_text(Path(after[("docx", False)].file.path).read_bytes())
    assert "2018年10月20日" in docx_text(Path(after[("docx", False)].file.path).read_bytes())


def test_opinion_makes_the_stored_form_stale_and_the_next_download_renders_and_stores(
    submitted, people, django_capture_on_commit_callbacks
):
    stale_inputs = _rows(submitted)[("docx", False)].inputs
    _give_opinion(people, submitted, django_capture_on_commit_callbacks, run_task=False)
    assert not _is_fresh(submitted, "docx")
    content = nomination_rendering(nomination=_fresh(submitted), fmt="docx")
    assert "同意推荐。" in docx_text(content)
    row = _rows(submitted)[("docx", False)]
    assert row.inputs != stale_inputs and Path(row.file.path).read_bytes() == content
    assert _is_fresh(submitted, "docx")


def test_withdrawn_forms_render_on_demand_and_resubmitting_stores_the_new_ones(
    submitted, people, django_capture_on_commit_callbacks
):
    stored = _rows(submitted)[("docx", False)]
    with clock.frozen(BEFORE):
        nomination_withdraw(actor=people.reviewer, nomination=submitted, reason="补充事迹")
        changed = _fresh(submitted)
        nomination_save_draft(
            actor=people.reviewer, nomination=changed, data={"position": "政务服务科科长"}, version=changed.version
        )
    withdrawn = _fresh(submitted)
    assert "政务服务科科长" in docx_text(nomination_rendering(nomination=withdrawn, fmt="docx"))
    assert _rows(submitted)[("docx", False)].sha256 == stored.sha256  # a withdrawn form is not kept
    resubmitted = _submit(people, withdrawn, django_capture_on_commit_callbacks)
    row = _rows(resubmitted)[("docx", False)]
    assert row.sha256 != stored.sha256
    assert "政务服务科科长" in docx_text(Path(row.file.path).read_bytes())
    assert _is_fresh(resubmitted, "docx") and _is_fresh(resubmitted, "pdf")


def test_drafts_are_rendered_but_never_stored(draft):
    assert "王晓明" in docx_text(nomination_rendering(nomination=_fresh(draft), fmt="docx"))
    assert NominationRendering.objects.count() == 0


class Counter:
    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def renderers(monkeypatch):
    pdfs, docxs = Counter(exports.html_pdf), Counter(exports.inputs_docx)
    monkeypatch.setattr(exports, "html_pdf", pdfs)
    monkeypatch.setattr(exports, "inputs_docx", docxs)
    return pdfs, docxs


def _zip(nominations) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    nominations_zip_write([_fresh(n) for n in nominations], buffer)
    return zipfile.ZipFile(buffer)


def test_zip_takes_fresh_stored_forms_without_rendering(submitted, renderers):
    archive = _zip([submitted])
    assert (renderers[0].calls, renderers[1].calls) == (0, 0)
    rows = _rows(submitted)
    assert archive.read("01-武进区财政局/王晓明-申报表.pdf") == Path(rows[("pdf", False)].file.path).read_bytes()
    assert archive.read("01-武进区财政局/王晓明-申报表.docx") == Path(rows[("docx", False)].file.path).read_bytes()


def test_zip_renders_and_stores_a_missing_file_and_an_altered_one(submitted, renderers):
    rows = _rows(submitted)
    Path(rows[("pdf", False)].file.path).unlink()
    Path(rows[("docx", False)].file.path).write_bytes(b"PK altered")
    archive = _zip([submitted])
    assert (renderers[0].calls, renderers[1].calls) == (1, 1)
    again = _rows(submitted)
    assert archive.read("01-武进区财政局/王晓明-申报表.pdf") == Path(again[("pdf", False)].file.path).read_bytes()
    assert _is_fresh(submitted, "pdf") and _is_fresh(submitted, "docx")
    _zip([submitted])
    assert (renderers[0].calls, renderers[1].calls) == (1, 1)


def test_zip_renders_a_stale_form_again(submitted, people, renderers, django_capture_on_commit_callbacks):
    _give_opinion(people, submitted, django_capture_on_commit_callbacks, run_task=False)
    archive = _zip([submitted])
    assert (renderers[0].calls, renderers[1].calls) == (1, 1)
    assert "同意推荐。" in docx_text(archive.read("01-武进区财政局/王晓明-申报表.docx"))


def test_judge_gets_a_masked_form_stored_apart_from_the_full_one(submitted, people, client_for):
    JudgeAssignment.objects.create(award=submitted.award, judge=people.judge)
    response = client_for(people.judge).get(reverse("nominations:docx", args=[submitted.pk]))
    text = docx_text(b"".join(response.streaming_content))
    assert "13912345678" not in text and "139****5678" in text
    assert sorted(_rows(submitted)) == [("docx", False), ("docx", True), ("pdf", False)]


def test_a_stored_form_does_not_change_who_may_download_it(submitted, people, client_for):
    assert client_for(people.other_leader).get(reverse("nominations:pdf", args=[submitted.pk])).status_code == 404
    assert client_for(people.own_clerk).get(reverse("nominations:docx", args=[submitted.pk])).status_code == 404
    assert client_for(people.reviewer).get(reverse("nominations:docx", args=[submitted.pk])).status_code == 200


def test_fingerprint_follows_every_input(submitted):
    inputs = nomination_inputs(submitted)
    base = inputs_fingerprint(inputs, "pdf")
    assert inputs_fingerprint(nomination_inputs(_fresh(submitted)), "pdf") == base
    assert inputs_fingerprint(inputs, "docx") != base
    assert inputs_fingerprint(nomination_inputs(submitted, masked=True), "pdf") != base
    submitted.unit.name = "武进区财政局（更名）"
    assert inputs_fingerprint(nomination_inputs(submitted), "pdf") != base
    submitted.data = {**submitted.data, "phone": "13900000000"}
    assert inputs_fingerprint(nomination_inputs(submitted), "pdf") != base
