from ninja import Field, Schema

from zuofeng.accounts.permissions import can_see_phone
from zuofeng.organisation.models import Gender, UnitKind


class UnitOut(Schema):
    id: int = Field(description="单位 ID")
    code: str = Field(description="单位编码")
    name: str = Field(description="单位全称")
    short_name: str = Field(description="简称，可为空字符串")
    kind: str = Field(
        description="类型代码：department 区级机关部门、town 镇、street 街道、zone 开发区、"
        "section 内设科室、subordinate 下属单位"
    )
    kind_label: str = Field(description="类型名称")
    parent_id: int | None = Field(description="上级单位 ID，顶层单位为空")
    order: int = Field(description="同级排序（公文排序）")
    depth: int = Field(description="层级，顶层为 0")
    functions: list[str] = Field(description="下属单位的职能代码：approval 审批、supervision 监管、service 服务")
    is_active: bool = Field(description="是否启用")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return UnitKind(obj.kind).label


class UnitDetailOut(UnitOut):
    parent_name: str | None = Field(description="上级单位名称")
    reviewer_id: int | None = Field(description="按干部管理权限另行指定的审核单位 ID；为空表示由上级单位审核")
    effective_reviewer_id: int | None = Field(description="实际审核单位 ID（指定的审核单位，否则为上级单位）")
    in_scope: bool = Field(description="是否属于活动对象范围（下属单位须具有审批、监管、服务职能）")
    function_labels: list[str] = Field(description="职能名称")

    @staticmethod
    def resolve_parent_name(obj) -> str | None:
        return obj.parent.name if obj.parent_id else None

    @staticmethod
    def resolve_function_labels(obj) -> list[str]:
        return obj.function_labels()


def _contact(obj, context, value: str) -> str | None:
    return value if can_see_phone(context["request"].auth, obj) else None


class PersonOut(Schema):
    id: int = Field(description="人员 ID")
    name: str = Field(description="姓名")
    gender: str = Field(description="性别代码（GB/T 2261.1）：1 男、2 女、0 未知、9 未说明")
    gender_label: str = Field(description="性别名称")
    position: str = Field(description="职务")
    phone: str | None = Field(description="联系电话；无权查看时为 null")
    email: str | None = Field(description="电子邮箱；与联系电话同样受保护，无权查看时为 null")
    unit_id: int = Field(description="所在单位 ID")
    unit_name: str = Field(description="所在单位名称")
    order: int = Field(description="排序")
    is_active: bool = Field(description="是否在职")

    @staticmethod
    def resolve_gender_label(obj) -> str:
        return Gender(obj.gender).label

    @staticmethod
    def resolve_phone(obj, context) -> str | None:
        return _contact(obj, context, obj.phone)

    @staticmethod
    def resolve_email(obj, context) -> str | None:
        return _contact(obj, context, obj.email)

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name
