"""The 汇总表 of an award: one row per nomination, in official unit order or 姓氏笔画 order.

Columns come from the award's form: every field except the long texts (500 字) and the opinion
block, between 序号/单位 at the front and 状态/报送时间 at the back.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from zuofeng.campaigns.models import AwardKind
from zuofeng.core.cn import cn_datetime
from zuofeng.core.strokes import name_key, text_key
from zuofeng.documents.values import field_text, form_fields
from zuofeng.nominations.models import ACTIVE_STATES, Nomination, NominationState
from zuofeng.organisation.selectors import units_qualify

ORDER_UNIT, ORDER_STROKES = "unit", "strokes"
ORDERS = {ORDER_UNIT: "按单位排序", ORDER_STROKES: "按姓氏笔画排序"}


@dataclass(frozen=True)
class Summary:
    title: str
    headers: list[str]
    rows: list[list]
    widths: list[int]


def summary_nominations(*, award, unit=None) -> QuerySet[Nomination]:
    """Nominations that count: submitted or further along (no drafts, nothing withdrawn)."""
    queryset = Nomination.objects.filter(award=award, state__in=[s.value for s in ACTIVE_STATES])
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    return queryset.select_related("unit", "award").order_by("unit__sort_key", "submitted_at", "id")


def summary_order(nominations, *, award, order: str) -> list[Nomination]:
    """Unit order (Unit.sort_key) or stroke order of the title; people by surname, others by title."""
    nominations = list(nominations)
    if order != ORDER_STROKES:
        return nominations
    key = name_key if award.kind == AwardKind.INDIVIDUAL else text_key
    return sorted(nominations, key=lambda n: (key(n.title or ""), n.unit.sort_key, n.pk))


def summary_status(state: str) -> str:
    """The 状态 column in plain words (已报送, 已签署意见, 评审中, 入选, 未入选), never a workflow code."""
    return NominationState(state).label if state in NominationState.values else "—"


def summary_unit_name(unit) -> str:
    """A top unit by its full name; a unit below it with its parents (区财政局·预算科)."""
    return unit.name if unit.parent_id is None else unit.qualified_name


def summary_fields(award) -> list[dict]:
    return [f for f in form_fields(award.form) if f.get("type") != "opinion" and not f.get("max_chars")]


def _label(field: dict) -> str:
    return "".join(field["label"].split())


def summary_table(*, award, order: str = ORDER_UNIT, masked: bool = False, unit=None) -> Summary:
    fields = summary_fields(award)
    headers = ["序号", "申报单位", *(_label(f) for f in fields), "状态", "报送时间"]
    widths = [6, 24, *(30 if f.get("type") in ("textarea", "honours") else 14 for f in fields), 10, 18]
    rows = []
    nominations = summary_order(summary_nominations(award=award, unit=unit), award=award, order=order)
    units_qualify([n.unit for n in nominations])
    for number, nomination in enumerate(nominations, start=1):
        data = nomination.data or {}
        rows.append(
            [
                number,
                summary_unit_name(nomination.unit),
                *(field_text(f, data.get(f["key"]), masked=masked) for f in fields),
                summary_status(nomination.state),
                cn_datetime(nomination.submitted_at),
            ]
        )
    title = f"{award.campaign.year}年“{award.name}”申报汇总表"
    return Summary(title=title, headers=headers, rows=rows, widths=widths)
