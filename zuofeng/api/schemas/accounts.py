from ninja import Field, Schema

from zuofeng.accounts.models import Role


class RoleOut(Schema):
    role: str = Field(
        description="角色代码：office 作风办、unit_leader 单位管理员/分管领导、section_clerk 科室填报员 等"
    )
    role_label: str = Field(description="角色名称")
    unit_id: int | None = Field(description="角色所属单位 ID；作风办、督查员等全区角色为空")
    unit_name: str | None = Field(description="角色所属单位名称")
    include_subtree: bool = Field(description="是否含下级单位")

    @staticmethod
    def resolve_role_label(obj) -> str:
        return Role(obj.role).label

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class MeOut(Schema):
    username: str = Field(description="登录用户名")
    name: str = Field(description="姓名（无人员档案时为账号全名或用户名）")
    person_id: int | None = Field(description="对应人员 ID")
    roles: list[RoleOut] = Field(description="所担任的角色及其单位")
