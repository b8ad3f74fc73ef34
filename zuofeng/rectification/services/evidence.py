"""佐证材料: checked by content before anything is written, stored privately with a sha256.

A failed upload must leave neither a row nor a file behind. Callers check every file first
(`evidence_check`), then write inside their transaction with `evidence_writer()`, which
deletes the files it wrote if the block fails.
"""

import contextlib
import hashlib
import uuid
from collections.abc import Iterator, Sequence

from django.core.exceptions import ValidationError

from zuofeng.core import clock
from zuofeng.core.storage import FileChanges, file_changes, private_storage
from zuofeng.core.uploads import CONTENT_TYPES, DOCX, JPG, PDF, PNG, XLSX, check_upload, short_name
from zuofeng.rectification.models import Evidence, Measure, ProgressUpdate

ALLOWED = {PDF, JPG, PNG, DOCX, XLSX}
MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 10


def evidence_check(files: Sequence, *, max_bytes: int = MAX_BYTES) -> list[tuple[object, str]]:
    """Check every file; report every bad one at once under the field "files"."""
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"佐证材料一次最多上传 {MAX_FILES} 个文件。"})
    checked, errors = [], []
    for file in files:
        try:
            checked.append((file, check_upload(file, allowed=ALLOWED, max_bytes=max_bytes)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


class _Writer:
    def __init__(self, files: FileChanges):
        self.files = files

    def save(self, *, actor, measure: Measure, progress: ProgressUpdate | None, file, kind: str) -> Evidence:
        digest, size = hashlib.sha256(), 0
        file.seek(0)
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
        file.seek(0)
        today = clock.today()
        # A random stored name: nothing the uploader typed reaches the file system.
        target = f"evidence/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{kind}"
        stored = self.files.save(target, file)
        evidence = Evidence(
            measure=measure,
            progress=progress,
            original_name=short_name(file.name),
            content_type=CONTENT_TYPES[kind],
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        evidence.file.name = stored
        evidence.save()
        return evidence


@contextlib.contextmanager
def evidence_writer() -> Iterator[_Writer]:
    """Yield a writer; if the block raises, every file it wrote is deleted and the error re-raised."""
    with file_changes() as files:
        yield _Writer(files)


def evidence_open(evidence: Evidence):
    return private_storage().open(evidence.file.name, "rb")
