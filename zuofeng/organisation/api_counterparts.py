"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

COUNTERPARTS: dict[str, str] = {
    "organisation:unit_reviewer": "POST /api/units/{unit_id}/reviewer",
    "organisation:unit_move": "POST /api/units/{unit_id}/move",
}
_ADMIN_ONLY = "the system administrator keeps the tree in person and holds no API token (decisions.md §21)"
UI_ONLY: dict[str, str] = {
    "organisation:unit_create": _ADMIN_ONLY,
    "organisation:unit_edit": _ADMIN_ONLY,
    "organisation:person_create": _ADMIN_ONLY,
    "organisation:person_edit": _ADMIN_ONLY,
    "organisation:import": _ADMIN_ONLY,
}
