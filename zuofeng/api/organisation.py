"""Units (单位) and people (人员), scoped exactly as the organisation pages are."""

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zuofeng.api.access import require
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import Id, PathId, with_errors
from zuofeng.api.schemas.organisation import PersonOut, UnitDetailOut, UnitOut
from zuofeng.organisation.models import UnitKind
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
