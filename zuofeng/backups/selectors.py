"""What the security administrator reads about backups."""

from django.core.exceptions import PermissionDenied

from zuofeng.accounts.permissions import may
from zuofeng.backups.models import BackupRun


def backup_last_seen(*, actor) -> BackupRun | None:
    if not may(actor, "backup.view"):
        raise PermissionDenied
    return BackupRun.objects.order_by("-at", "-id").first()
