"""Units (单位) and people (人员), scoped exactly as the organisation pages are."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zuofeng.accounts.permissions import may
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import Id, PathId, with_errors
from zuofeng.api.schemas.organisation import PersonOut, UnitDetailOut, UnitOut
from zuofeng.organisation import services
from zuofeng.organisation.forms import unit_choices
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.organisation.selectors import person_list, unit_list

router = Router(tags=["组织机构"])


class UnitFilter(Schema):
    kind: UnitKind | None = Field(None, description="按类型筛选")
    q: str = Field("", max_length=100, description="按名称、简称包含的文字或单位编码筛选")
    parent: Id | None = Field(None, description="只列出该上级单位的直属下级")


class PersonFilter(Schema):
    unit: Id | None = Field(None, description="只列出该单位的人员")
    q: str = Field("", max_length=50, description="按姓名包含的文字筛选")


@router.get(
    "/units",
    response=with_errors(list[UnitOut]),
    summary="单位列表",
    description="本人可见的单位，按公文排序。",
)
@paginate(Paged)
def units(request, filters: Query[UnitFilter]):
    require(request.auth, "unit.view")
    qs = unit_list(user=request.auth, kind=filters.kind, query=filters.q.strip())
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    return qs


@router.get(
    "/units/{unit_id}",
    response=with_errors(UnitDetailOut),
    summary="单位详情",
    description="不可见的单位一律返回 404。",
)
def unit_detail(request, unit_id: PathId):
    require(request.auth, "unit.view")
    unit = unit_list(user=request.auth).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


@router.get(
    "/people",
    response=with_errors(list[PersonOut]),
    summary="人员列表",
    description="本人可见单位的人员。联系电话和电子邮箱仅对本人、作风办、系统管理员及所辖单位管理员显示。",
)
@paginate(Paged)
def people(request, filters: Query[PersonFilter]):
    require(request.auth, "person.view")
    qs = person_list(user=request.auth, query=filters.q.strip())
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    return qs


@router.get(
    "/people/{person_id}",
    response=with_errors(PersonOut),
    summary="人员详情",
    description="不可见的人员一律返回 404。",
)
def person_detail(request, person_id: PathId):
    require(request.auth, "person.view")
    person = person_list(user=request.auth).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


# ── the office's two changes to the tree (the system administrator's are page-only) ──


class ReviewerIn(Schema):
    reviewer: Id | None = Field(description="审核单位；null 则由上级单位审核")


class MoveIn(Schema):
    direction: Literal["up", "down"]


def _unit_for_change(user, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not may(user, "unit.view", unit):
        raise Http404
    return unit


@router.post("/units/{unit_id}/reviewer", response=with_errors(UnitDetailOut, 400), summary="指定审核单位")
def unit_reviewer(request, unit_id: PathId, payload: ReviewerIn):
    if not (may(request.auth, "unit.assign_reviewer") or may(request.auth, "organisation.manage")):
        require(request.auth, "unit.assign_reviewer")
    unit = _unit_for_change(request.auth, unit_id)
    reviewer = None
    if payload.reviewer is not None:
        reviewer = unit_choices().exclude(pk=unit.pk).filter(pk=payload.reviewer).first()
        if reviewer is None:
            message = "请选择有效的审核单位。"
            return Status(400, {"detail": message, "errors": {"reviewer": [message]}})
    try:
        services.unit_assign_reviewer(actor=request.auth, unit=unit, reviewer=reviewer)
    except ValidationError as error:
        return refused(error)
    return unit_detail(request, unit_id)


@router.post("/units/{unit_id}/move", response=with_errors(UnitDetailOut, 400), summary="单位在同级中上移或下移一位")
def unit_move(request, unit_id: PathId, payload: MoveIn):
    require(request.auth, "unit.reorder")
    unit = _unit_for_change(request.auth, unit_id)
    try:
        services.unit_move(actor=request.auth, unit=unit, direction=payload.direction)
    except ValidationError as error:
        return refused(error)
    return unit_detail(request, unit_id)
