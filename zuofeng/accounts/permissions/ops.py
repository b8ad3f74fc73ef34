"""Running the system: backups, readiness and metrics, webhooks."""

from zuofeng.accounts.models import Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    # 安全管理员 answers for the data being recoverable: the last backup's time, size and check.
    "backup.view": frozenset({Role.SECURITY_ADMIN}),
    # Which other systems are told of events is part of running the system (系统管理员).
    "webhook.manage": frozenset({Role.SYSTEM_ADMIN}),
}

OBJECT_RULES: dict = {}
