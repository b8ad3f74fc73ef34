"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api/complaints"
COUNTERPARTS: dict[str, str] = {
    # Every workflow move of the office and the unit (受理、不予受理、合并、派单、签收、退单、延期、答复、审核、
    # 重办、办结) is one operation with the target state, as on the page's single move form.
    "complaints:move": f"POST {_API}/{{complaint_id}}/moves",
    # The page shows the reporter after a POST so that each read is a deliberate, audited act; the API's
    # read is a GET that is just as audited (reporter_identity_read) and just as office-only.
    "complaints:identity": f"GET {_API}/{{complaint_id}}/reporter",
    "complaints:redact": f"POST {_API}/{{complaint_id}}/redaction",
    "complaints:attachment_check": f"POST {_API}/{{complaint_id}}/attachments/{{attachment_id}}/check",
    "complaints:survey_periods": f"POST {_API}/surveys",
    "complaints:survey_close": f"POST {_API}/surveys/{{period_id}}/close",
    "complaints:survey_decide": f"POST {_API}/surveys/responses/{{response_id}}/decision",
}
_PUBLIC = "the public channel for people without accounts: captcha, throttling and the tracking secret "
UI_ONLY: dict[str, str] = {
    "complaints:report": _PUBLIC + "guard it; an API token needs an account, which the reporter does not have",
    "complaints:track": _PUBLIC + "unlock the case in the visitor's session; the status alone is GET /api/public",
    "complaints:rate": _PUBLIC + "(the rating needs the case unlocked by code and secret in that session)",
    "complaints:survey_answer": "the public survey reached by a unit's signed QR link, one answer per phone or "
    "device; nobody answering it has an account",
}
