"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py).

`COUNTERPARTS`: URL name → "METHOD /api/path" (ninja's path, `{name}` for parameters).
`UI_ONLY`: URL name → why there is deliberately no API operation.
"""

COUNTERPARTS: dict[str, str] = {}

# The 三员 (system, security, audit administrators) hold no API token by design (decisions.md §21:
# tokens only for the roles whose work other systems read or feed), so their pages have no API twin.
_ADMIN_ONLY = "三员 work in person; administrators hold no API token (decisions.md §21)"
UI_ONLY: dict[str, str] = {
    "accounts:login": "signing in makes a browser session; scripts use a token instead",
    "accounts:logout": "ends a browser session; a token is revoked on the token page",
    "accounts:password_change": "a password is changed by its owner in person, never by a script",
    "accounts:user_create": _ADMIN_ONLY,
    "accounts:user_role_add": _ADMIN_ONLY,
    "accounts:user_role_remove": _ADMIN_ONLY,
    "accounts:user_password_reset": _ADMIN_ONLY,
    "accounts:user_set_active": _ADMIN_ONLY,
    "accounts:user_unlock": _ADMIN_ONLY,
    "accounts:security_policy": _ADMIN_ONLY,
    "accounts:admin_change_list": _ADMIN_ONLY,
    "accounts:admin_change_decide": _ADMIN_ONLY,
}
