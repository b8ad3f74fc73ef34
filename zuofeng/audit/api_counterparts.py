"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

COUNTERPARTS: dict[str, str] = {}
UI_ONLY: dict[str, str] = {
    # manage.py audit_verify does the same on the server.
    "audit:verify": "the audit administrator holds no API token (decisions.md §21)",
}
