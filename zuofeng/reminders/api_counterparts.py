"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

COUNTERPARTS: dict[str, str] = {"reminders:read": "POST /api/reminders/{reminder_id}/read"}
UI_ONLY: dict[str, str] = {}
