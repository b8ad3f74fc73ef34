"""Private file storage: outside STATIC/MEDIA, never served directly; views stream files after a permission check."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)
