"""The API operation for each POST of this app's pages (checked by tests/api/test_every_ui_post.py)."""

_API = "/api/notices"
_NOTICE = f"{_API}/{{notice_id}}"
_BULLETIN = "/api/bulletins/{bulletin_id}"
COUNTERPARTS: dict[str, str] = {
    "notices:new": f"POST {_API}",
    "notices:edit": f"PUT {_NOTICE}",
    "notices:attachment_add": f"POST {_NOTICE}/attachments",
    "notices:attachment_remove": f"DELETE {_NOTICE}/attachments/{{attachment_id}}",
    "notices:issue": f"POST {_NOTICE}/issue",
    "notices:delete": f"DELETE {_NOTICE}",
    "notices:acknowledge": f"POST {_NOTICE}/receipts/{{receipt_id}}/acknowledge",
    "notices:forward": f"POST {_NOTICE}/receipts/{{receipt_id}}/forward",
    "notices:chase": f"POST {_NOTICE}/chase",
    "notices:bulletin_create": "POST /api/bulletins",
    "notices:bulletin_item_add": f"POST {_BULLETIN}/items",
    "notices:bulletin_from_results": f"POST {_BULLETIN}/from-results",
    "notices:bulletin_publish": f"POST {_BULLETIN}/publish",
    "notices:bulletin_withdraw": f"POST {_BULLETIN}/withdraw",
    "notices:info_report": "POST /api/info",
    "notices:info_decide": "POST /api/info/{item_id}/decision",
    "notices:briefing_compile": "POST /api/info/briefings",
}
UI_ONLY: dict[str, str] = {}
