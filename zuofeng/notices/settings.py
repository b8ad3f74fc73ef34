"""A campaign's 公文 settings (the YAML's `notices:` section, kept in Campaign.definition)."""

from zuofeng.campaigns.schema import NoticesDef


def notice_settings(campaign) -> NoticesDef:
    raw = ((campaign.definition or {}).get("notices") if campaign is not None else None) or {}
    return NoticesDef.model_validate(raw)
