"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api/supervision"
COUNTERPARTS: dict[str, str] = {
    "supervision:round_new": f"POST {_API}/rounds",
    # The page takes photos with the finding; the JSON operation without photos stays for scripts.
    "supervision:finding_new": f"POST {_API}/rounds/{{round_id}}/findings/with-photos",
    "supervision:finding_decide": f"POST {_API}/findings/{{finding_id}}/decision",
    "supervision:recheck_new": f"POST {_API}/rechecks",
    "supervision:recheck_verify": f"POST {_API}/rechecks/{{sample_id}}/items/{{item_id}}/verify",
    "supervision:recheck_reopen": f"POST {_API}/rechecks/{{sample_id}}/items/{{item_id}}/reopen",
    "supervision:case_new": f"POST {_API}/cases",
    "supervision:case_statement": f"POST {_API}/cases/{{case_id}}/statement",
    "supervision:case_decide": f"POST {_API}/cases/{{case_id}}/decision",
    "supervision:self_report": f"PUT {_API}/self-inspection/units/{{unit_id}}/report",
    "supervision:self_add_problem": f"POST {_API}/self-inspection/units/{{unit_id}}/problems",
    "supervision:self_review": f"POST {_API}/self-inspection/units/{{unit_id}}/review",
    "supervision:self_remind": f"POST {_API}/self-inspection/remind",
    # One page adds a link or imports pasted rows or an Excel file; over the API adding one is this
    # operation, importing is POST /lines/import (text) or POST /lines/import-xlsx (file).
    "supervision:line_manage": f"POST {_API}/lines",
    "supervision:line_edit": f"PATCH {_API}/lines/{{link_id}}",
    "supervision:line_remove": f"DELETE {_API}/lines/{{link_id}}",
    "supervision:line_remind": f"POST {_API}/lines/units/{{unit_id}}/remind",
}
UI_ONLY: dict[str, str] = {}
