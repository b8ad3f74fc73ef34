"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api"
COUNTERPARTS: dict[str, str] = {
    "projects:new": f"POST {_API}/projects",
    "projects:edit": f"PATCH {_API}/projects/{{project_id}}",
    "projects:target_add": f"POST {_API}/projects/{{project_id}}/targets",
    "projects:target_remove": f"DELETE {_API}/projects/{{project_id}}/targets/{{target_id}}",
    "projects:milestone_add": f"POST {_API}/projects/{{project_id}}/milestones",
    "projects:milestone_remove": f"DELETE {_API}/projects/{{project_id}}/milestones/{{milestone_id}}",
    "projects:submit": f"POST {_API}/projects/{{project_id}}/submit",
    "projects:review": f"POST {_API}/projects/{{project_id}}/review",
    "projects:change_request": f"POST {_API}/projects/{{project_id}}/changes",
    "projects:change_decide": f"POST {_API}/projects/{{project_id}}/changes/decision",
    "projects:nominate": f"POST {_API}/projects/{{project_id}}/nominations",
    "projects:report": f"POST {_API}/projects/{{project_id}}/reports",
    # The API registers the initiative as JSON; its evidence files follow by the upload operation below.
    "projects:initiative_new": f"POST {_API}/initiatives",
    "projects:initiative_evidence_add": f"POST {_API}/initiatives/{{initiative_id}}/evidence",
    "projects:initiative_promote": f"POST {_API}/initiatives/{{initiative_id}}/promote",
    "projects:initiative_adopt": f"POST {_API}/initiatives/{{initiative_id}}/adopt",
    "projects:initiative_nominate": f"POST {_API}/initiatives/{{initiative_id}}/nominations",
    "projects:activity_new": f"POST {_API}/activities",
}
UI_ONLY: dict[str, str] = {}
