"""佐证材料 of project reports and initiatives: the same upload rules as the ledger's evidence
(rectification.services.evidence.evidence_check → core/uploads.py), stored privately under a
random name with its SHA-256; the files written are deleted again if the transaction fails."""

import hashlib
import uuid

from django.http import FileResponse, Http404

from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.storage import FileChanges, private_storage
from zuofeng.core.uploads import CONTENT_TYPES, short_name
from zuofeng.projects.models import ProjectEvidence


def evidence_store(files: FileChanges, *, actor, file, kind: str, **owner) -> ProjectEvidence:
    """Write one checked file; `owner` is project=…, report=… or initiative=…."""
    digest = hashlib.sha256()
    file.seek(0)
    size = 0
    while chunk := file.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    day = clock.today()
    stored = files.save(f"projects/{day:%Y}/{day:%m}/{uuid.uuid4().hex}.{kind}", file)
    row = ProjectEvidence(
        original_name=short_name(file.name),
        content_type=CONTENT_TYPES[kind],
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        **owner,
    )
    row.file.name = stored
    row.save()
    return row


def evidence_response(*, actor, row: ProjectEvidence) -> FileResponse:
    """The file as a download (page and API alike), its reading audited; 404 when the file is gone.
    The caller has checked that `actor` may read the row's project or initiative."""
    try:
        handle = private_storage().open(row.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(actor=actor, action="project.evidence_download", obj=row, detail=row.original_name)
    response = FileResponse(handle, as_attachment=True, filename=row.original_name, content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
