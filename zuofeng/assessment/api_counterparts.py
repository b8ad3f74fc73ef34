"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api/assessment"
COUNTERPARTS: dict[str, str] = {
    "assessment:compute": f"POST {_API}/runs",
    "assessment:publish": f"POST {_API}/runs/{{run_id}}/publish",
    "assessment:item_adjust": f"POST {_API}/items/{{item_id}}/adjust",
    "assessment:objection_new": f"POST {_API}/scores/{{score_id}}/objections",
    "assessment:objection_answer": f"POST {_API}/objections/{{objection_id}}/answer",
    "assessment:cluster_compute": f"POST {_API}/cluster-runs",
    "assessment:cluster": f"PATCH {_API}/clusters/{{cluster_id}}",
    "assessment:cluster_note": f"POST {_API}/clusters/{{cluster_id}}/notes",
}
UI_ONLY: dict[str, str] = {}
