"""The campaign definition's `supervision:` section, read from Campaign.definition (the YAML as loaded)."""

from zuofeng.campaigns.schema import SupervisionDef


def supervision_def(campaign) -> SupervisionDef:
    return SupervisionDef.model_validate((campaign.definition or {}).get("supervision") or {})


def focus_choices(campaign) -> list[tuple[str, str]]:
    return [(f.key, f.name) for f in supervision_def(campaign).focuses]


def checklist_items(campaign) -> list[tuple[str, str]]:
    return [(c.key, c.name) for c in supervision_def(campaign).checklist]
