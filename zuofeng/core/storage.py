"""Private file storage: outside STATIC/MEDIA, never served directly; views stream files after a permission check.

`file_changes()` keeps storage in step with the database when a save writes or replaces files.
"""

import contextlib
import os
from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Reads PRIVATE_STORAGE_ROOT on every use, so a settings override (tests, deploy) is always honoured."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


class FileChanges:
    """The files one save writes and the files it replaces; see `file_changes`."""

    def __init__(self, storage: FileSystemStorage):
        self.storage = storage
        self.written: list[str] = []
        self.retired: list[str] = []

    def save(self, name: str, content) -> str:
        """Write `content` under `name` (or a free variant of it); return the stored name."""
        content.seek(0)
        stored = self.storage.save(name, content)
        self.written.append(stored)
        return stored

    def replace(self, old_name: str | None) -> None:
        """`old_name` is superseded by a file written here: delete it once the save has committed."""
        if old_name:
            self.retired.append(old_name)

    def _delete(self, names: list[str]) -> None:
        for name in names:
            with contextlib.suppress(OSError):
                self.storage.delete(name)


@contextlib.contextmanager
def file_changes(storage: FileSystemStorage | None = None) -> Iterator[FileChanges]:
    """Write new files and retire old ones so that storage follows the database.

    If the block raises, the files it wrote are deleted (no orphans after a refused or failed
    save). If it succeeds, the replaced files are deleted after the transaction commits (at
    once outside a transaction): a rollback still finds the old file where the row points.
    """
    changes = FileChanges(storage or private_storage())
    try:
        yield changes
    except BaseException:
        changes._delete(changes.written)
        raise
    retired = [name for name in changes.retired if name not in changes.written]
    if retired:
        transaction.on_commit(lambda: changes._delete(retired), robust=True)
