"""Stored renderings of nomination forms: rendered once, served until what they show changes.

Submitting a nomination (and giving its opinion) queues `nomination_render_run` once the
transaction commits; the task renders the full Word and PDF forms and keeps them
(NominationRendering). A download or the ZIP takes the stored file when its input fingerprint
equals today's and its bytes still hash to the recorded SHA-256; otherwise it renders on demand
and stores the result, so a failed or late task costs one slow download, never a wrong file.
Drafts and withdrawn nominations change with every autosave: they are rendered, never stored.
"""

import hashlib
import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from zuofeng.core import clock
from zuofeng.core.storage import file_changes
from zuofeng.documents.docx import inputs_docx
from zuofeng.documents.inputs import FormInputs, inputs_fingerprint, nomination_inputs
from zuofeng.documents.pdf import html_pdf, inputs_html
from zuofeng.nominations.models import ACTIVE_STATES, Nomination, NominationRendering, RenderingFormat

log = logging.getLogger(__name__)
FORMATS = (RenderingFormat.DOCX, RenderingFormat.PDF)


def rendering_render(inputs: FormInputs, fmt: str) -> bytes:
    return inputs_docx(inputs) if fmt == RenderingFormat.DOCX else html_pdf(inputs_html(inputs))


def renderings_stored(nominations: Iterable[Nomination], *, masked: bool = False) -> dict:
    """{(nomination id, fmt): NominationRendering} for these nominations, in one query."""
    rows = NominationRendering.objects.filter(nomination__in=[n.pk for n in nominations], masked=masked)
    return {(row.nomination_id, row.fmt): row for row in rows}


def rendering_read(rendering: NominationRendering | None, fingerprint: str) -> bytes | None:
    """The stored bytes, or None when there are none, they were rendered from other inputs, or the file
    is gone or altered."""
    if rendering is None or rendering.inputs != fingerprint or not rendering.file:
        return None
    try:
        with rendering.file.storage.open(rendering.file.name, "rb") as handle:
            content = handle.read()
    except OSError:
        return None
    return content if hashlib.sha256(content).hexdigest() == rendering.sha256 else None


def rendering_store(
    *, nomination: Nomination, fmt: str, masked: bool, fingerprint: str, content: bytes
) -> NominationRendering | None:
    """Keep `content` as the nomination's `fmt` rendering (replacing the old file after commit).

    Not for drafts or withdrawn nominations. When two renderings of the same form race, the row
    keeps whichever saved last; a reader compares fingerprints, so neither is served once stale.
    """
    if nomination.state not in ACTIVE_STATES:
        return None
    digest = hashlib.sha256(content).hexdigest()
    field = NominationRendering._meta.get_field("file")
    suffix = "-masked" if masked else ""
    try:
        with file_changes(field.storage) as files, transaction.atomic():
            row = (
                NominationRendering.objects.select_for_update()
                .filter(nomination=nomination, fmt=fmt, masked=masked)
                .first()
            ) or NominationRendering(nomination=nomination, fmt=fmt, masked=masked)
            files.replace(row.file.name if row.pk else None)
            name = field.generate_filename(row, f"nomination-{nomination.pk}{suffix}-{digest[:12]}.{fmt}")
            row.file.name = files.save(name, ContentFile(content))
            row.sha256, row.inputs, row.rendered_at = digest, fingerprint, clock.now()
            row.save()
    except IntegrityError:
        log.info("rendering of nomination %s (%s) stored by another process meanwhile", nomination.pk, fmt)
        return None
    return row


def nomination_rendering(*, nomination: Nomination, fmt: str, masked: bool = False) -> bytes:
    """The form as `fmt`: the stored file when it is fresh, else rendered now (and stored)."""
    inputs = nomination_inputs(nomination, masked=masked)
    fingerprint = inputs_fingerprint(inputs, fmt)
    stored = NominationRendering.objects.filter(nomination=nomination, fmt=fmt, masked=masked).first()
    content = rendering_read(stored, fingerprint)
    if content is None:
        content = rendering_render(inputs, fmt)
        rendering_store(nomination=nomination, fmt=fmt, masked=masked, fingerprint=fingerprint, content=content)
    return content


def nomination_renderings_refresh(*, nomination_id: int) -> int:
    """Body of the background task: render whichever full forms are missing or stale; returns how many."""
    nomination = Nomination.objects.select_related("award", "unit", "opinion").filter(pk=nomination_id).first()
    if nomination is None or nomination.state not in ACTIVE_STATES:
        return 0
    inputs = nomination_inputs(nomination)
    stored = renderings_stored([nomination])
    rendered = 0
    for fmt in FORMATS:
        fingerprint = inputs_fingerprint(inputs, fmt)
        if rendering_read(stored.get((nomination.pk, fmt)), fingerprint) is not None:
            continue
        content = rendering_render(inputs, fmt)
        rendering_store(nomination=nomination, fmt=fmt, masked=False, fingerprint=fingerprint, content=content)
        rendered += 1
    return rendered


def renderings_queue(nomination: Nomination) -> None:
    """Render the forms in the background once the current transaction commits.

    `robust`: a queue that cannot be reached must not undo or fail the submission; the next
    download renders on demand instead.
    """
    from zuofeng.nominations.tasks.renderings import nomination_render_run

    pk = nomination.pk
    transaction.on_commit(lambda: nomination_render_run.enqueue(pk), robust=True)
