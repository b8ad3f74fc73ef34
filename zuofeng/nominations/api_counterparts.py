"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api/nominations"
COUNTERPARTS: dict[str, str] = {
    "nominations:new": f"POST {_API}",
    # Autosave is the page saving as a person types; over the API every save is the same PATCH.
    "nominations:new_autosave": f"POST {_API}",
    "nominations:edit": f"PATCH {_API}/{{nomination_id}}",
    "nominations:autosave": f"PATCH {_API}/{{nomination_id}}",
    "nominations:submit": f"POST {_API}/{{nomination_id}}/submit",
    "nominations:withdraw": f"POST {_API}/{{nomination_id}}/withdraw",
    "nominations:opinion_give": f"POST {_API}/{{nomination_id}}/opinion",
    "nominations:score": f"PUT {_API}/{{nomination_id}}/scores",
    "nominations:results_select": f"POST {_API}/awards/{{award_id}}/results",
    "nominations:zip_request": f"POST {_API}/awards/{{award_id}}/zip",
    "nominations:export_retry": f"POST {_API}/exports/{{job_id}}/retry",
    "nominations:judges": f"POST {_API}/awards/{{award_id}}/judges",
    "nominations:judging_open": f"POST {_API}/awards/{{award_id}}/open-judging",
    "nominations:board_remind": f"POST {_API}/awards/{{award_id}}/remind",
    "nominations:board_extend": f"POST {_API}/awards/{{award_id}}/extensions",
    "nominations:photo_upload": f"POST {_API}/{{nomination_id}}/photo",
}
UI_ONLY: dict[str, str] = {}
