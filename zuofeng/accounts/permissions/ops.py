"""Running the system: backups, readiness and metrics, webhooks."""

from zuofeng.accounts.models import Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    # 安全管理员 answers for the data being recoverable: the last backup's time, size and check.
    "backup.view": frozenset({Role.SECURITY_ADMIN}),
}

OBJECT_RULES: dict = {}
