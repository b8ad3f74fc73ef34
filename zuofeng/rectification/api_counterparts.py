"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api/rectification"
COUNTERPARTS: dict[str, str] = {
    "rectification:ledger_open": f"POST {_API}/ledgers",
    "rectification:ledger_import": f"POST {_API}/ledgers/{{ledger_id}}/import",
    "rectification:ledger_paste": f"POST {_API}/ledgers/{{ledger_id}}/paste",
    "rectification:ledger_problem_new": f"POST {_API}/problems",
    "rectification:ledger_problem_edit": f"PATCH {_API}/problems/{{problem_id}}",
    "rectification:ledger_problem_delete": f"DELETE {_API}/problems/{{problem_id}}",
    "rectification:ledger_problem_move": f"POST {_API}/problems/{{problem_id}}/move",
    "rectification:ledger_measure_new": f"POST {_API}/measures",
    "rectification:ledger_measure_edit": f"PATCH {_API}/measures/{{measure_id}}",
    "rectification:ledger_measure_delete": f"DELETE {_API}/measures/{{measure_id}}",
    "rectification:ledger_measure_move": f"POST {_API}/measures/{{measure_id}}/move",
    "rectification:ledger_review": f"POST {_API}/ledgers/{{ledger_id}}/review",
    "rectification:ledger_submit": f"POST {_API}/ledgers/{{ledger_id}}/submit",
    "rectification:change_new": f"POST {_API}/measures/{{measure_id}}/changes",
    "rectification:change_decide": f"POST {_API}/changes/{{change_id}}/decision",
    "rectification:milestone_chase": f"POST {_API}/milestone/chase",
    "rectification:progress_create": f"POST {_API}/measures/{{measure_id}}/progress",
    "rectification:closeout_request": f"POST {_API}/measures/{{measure_id}}/close-request",
    "rectification:closeout_decide": f"POST {_API}/measures/{{measure_id}}/close-decision",
    "rectification:measure_reopen": f"POST {_API}/measures/{{measure_id}}/reopen",
    "rectification:dashboard_export": f"POST {_API}/exports",
    "rectification:dashboard_export_retry": f"POST {_API}/exports/{{job_id}}/retry",
}
UI_ONLY: dict[str, str] = {}
