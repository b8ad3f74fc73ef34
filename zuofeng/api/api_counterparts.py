"""The token pages' POSTs (checked by tests/api/test_every_ui_post.py)."""

COUNTERPARTS: dict[str, str] = {}
_TOKENS = "a token never mints or revokes tokens: a person does it on the token page (decisions.md §21)"
UI_ONLY: dict[str, str] = {
    "api_tokens:list": _TOKENS,
    "api_tokens:revoke": _TOKENS,
    "api_tokens:admin_revoke": _TOKENS,
}
