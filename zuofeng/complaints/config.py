"""The campaign definition's `complaints:` section, read with its schema so defaults live in one place."""

from zuofeng.campaigns.schema import ComplaintsDef


def complaints_config(campaign) -> ComplaintsDef:
    raw = (getattr(campaign, "definition", None) or {}).get("complaints") or {}
    return ComplaintsDef.model_validate(raw)
