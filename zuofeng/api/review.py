"""审核把关 over the API, beyond the ledger review: change requests (变更申请) and 催办 of late units.

The same services as the review pages (`rectification/services/review.py`): a change request is
for an approved, open measure, one pending at a time, with a reason; the reviewer approves or
returns it (a return needs a reason); 催办 goes to units the caller tracks.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status

from zuofeng.api.access import require
from zuofeng.api.rectification import _MEASURE_REFS, MeasureFields, _refused, _resolve
from zuofeng.api.schemas.common import Id, PathId, with_errors
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.rectification.models import ChangeState
from zuofeng.rectification.selectors import milestone as milestone_selectors
from zuofeng.rectification.selectors import review as selectors
from zuofeng.rectification.services import review as services

router = Router(tags=["找差整改"])


class ChangeIn(MeasureFields):
    reason: str = Field(description="变更理由（必填）")
    version: int = Field(description="读取措施时的 version；他人已修改时返回 409")


class ChangeOut(Schema):
    id: int
    measure_id: int
    state: str = Field(description="pending 待审核、approved 已同意、rejected 未同意")
    state_label: str
    reason: str
    old_values: dict
    new_values: dict
    decision_comment: str
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return ChangeState(obj.state).label


class ChangeDecisionIn(Schema):
    approve: bool
    comment: str = Field("", description="审核意见；不同意时必填")


class ChaseIn(Schema):
    units: list[Id] = Field(default_factory=list, description="要催办的单位（本人跟踪的单位）")
    all_late: bool = Field(description="true：催办全部逾期未完成的单位（忽略 units）")
    message: str = Field("", max_length=500, description="留空则发送默认催办内容")


class ChaseOut(Schema):
    units: int
    notified: int


@router.post("/measures/{measure_id}/changes", response=with_errors(ChangeOut, 400, 409), summary="申请变更整改措施")
def change_create(request, measure_id: PathId, payload: ChangeIn):
    require(request.auth, "measure.request_change")
    measure = selectors.measure_for_user(user=request.auth, pk=measure_id)
    if measure is None:
        raise Http404
    if payload.version != measure.version:
        return Status(409, {"detail": "该措施已被他人修改，请核对后再保存。", "current": {}})
    new_values = _resolve(payload.dict(exclude={"reason", "version"}, exclude_unset=True), _MEASURE_REFS)
    try:
        change = services.change_request_create(
            actor=request.auth, measure=measure, new_values=new_values, reason=payload.reason
        )
    except ValidationError as error:
        return _refused(error)
    return change


@router.post("/changes/{change_id}/decision", response=with_errors(ChangeOut, 400), summary="审核变更申请")
def change_decide(request, change_id: PathId, payload: ChangeDecisionIn):
    require(request.auth, "change.decide")
    change = selectors.change_for_user(user=request.auth, pk=change_id)
    if change is None:
        raise Http404
    try:
        services.change_request_decide(
            actor=request.auth, change=change, approve=payload.approve, comment=payload.comment
        )
    except ValidationError as error:
        return _refused(error)
    change.refresh_from_db()
    return change


@router.post("/milestone/chase", response=with_errors(ChaseOut, 400), summary="催办逾期单位（9月15日节点）")
def milestone_chase(request, payload: ChaseIn):
    require(request.auth, "reminder.send")
    campaign = campaign_current()
    if campaign is None:
        raise Http404
    if payload.all_late:
        units = milestone_selectors.milestone_tracking(user=request.auth, campaign=campaign, late=True).chase_units
    else:
        tracked = milestone_selectors.tracked_units(user=request.auth)
        units = list(tracked.filter(pk__in=payload.units).order_by("sort_key"))
        if len(units) != len(set(payload.units)):
            raise Http404
    if not units:
        message = "没有需要催办的逾期单位。" if payload.all_late else "请选择要催办的单位。"
        return Status(400, {"detail": message, "errors": {"units": [message]}})
    sent = services.reminder_chase(actor=request.auth, units=units, message=payload.message, campaign=campaign)
    return {"units": len(units), "notified": len(sent)}
