"""Chinese names for action codes and object types shown to the auditor."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.idle_logout": "超时自动退出",
    "auth.unlock": "解除账号锁定",
    "account.create": "创建账号",
    "account.activate": "启用账号",
    "account.deactivate": "停用账号",
    "account.password_change": "修改密码",
    "role.assign": "分配角色",
    "role.revoke": "撤销角色",
    "api_token.create": "创建接口令牌",
    "api_token.revoke": "吊销接口令牌",
    "security.policy_view": "查看安全策略",
    "security.policy_update": "修改安全策略",
    "unit.update": "保存单位",
    "unit.assign_reviewer": "指定审核单位",
    "person.update": "保存人员",
    "organisation.import": "导入单位和人员",
    "audit.view": "查看审计日志",
    "audit.view_entry": "查看审计记录详情",
    "audit.export": "导出审计日志",
    "audit.verify": "校验审计链",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def field_label(object_type: str, name: str) -> str:
    """The field's Chinese name on the model the entry is about, else the name as recorded."""
    try:
        return str(apps.get_model(object_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def object_type_label(code: str) -> str:
    if not code:
        return ""
    try:
        return str(apps.get_model(code)._meta.verbose_name)
    except (LookupError, ValueError):
        return code
