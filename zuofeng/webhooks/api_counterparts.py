"""The 事件推送 page's POSTs (checked by tests/api/test_every_ui_post.py)."""

COUNTERPARTS: dict[str, str] = {}
_ADMIN_ONLY = "the system administrator configures webhooks in person and holds no API token (decisions.md §21)"
UI_ONLY: dict[str, str] = {"webhooks:list": _ADMIN_ONLY, "webhooks:active": _ADMIN_ONLY}
