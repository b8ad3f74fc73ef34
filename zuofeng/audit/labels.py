"""The one table of Chinese names for action codes: audit trail, 办理记录 (LedgerEvent) and notifications.

No page shows an action code. An entry "code→state" names a step whose meaning depends on where it
led (ledger.review→approved is 审核通过, →returned is 退回修改); it is tried before the bare code.
tests/audit/test_no_codes_on_screen.py renders every page that lists actions and fails on any
dotted code left in the text.
"""

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
    "account.must_change_password": "要求下次登录修改密码",
    "admin_change.request": "申请三员变更",
    "admin_change.approve": "批准三员变更",
    "admin_change.reject": "驳回三员变更",
    "admin_change.withdraw": "撤回三员变更申请",
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
    "unit.create": "新建单位",
    "person.create": "新建人员",
    "organisation.demo_district": "生成演示区",
    "campaign.load": "载入专项活动定义",
    # 找差整改
    "ledger.create": "建立整改清单",
    "ledger.view": "查看整改清单",
    "ledger.import": "导入整改清单",
    "ledger.export": "导出整改台账",
    "ledger.edit": "修改整改清单",
    "ledger.submit": "提交整改清单",
    "ledger.review": "审核整改清单",
    "ledger.draft": "整改清单转为起草",
    "ledger.submitted": "整改清单已提交",
    "ledger.approved": "整改清单审核通过",
    "ledger.returned": "整改清单被退回",
    "problem.create": "新增问题",
    "problem.update": "修改问题",
    "problem.delete": "删除问题",
    "problem.reorder": "调整问题顺序",
    "problem.approved": "问题审核通过",
    "problem.returned": "问题被退回",
    "measure.create": "新增整改措施",
    "measure.update": "修改整改措施",
    "measure.delete": "删除整改措施",
    "measure.reorder": "调整措施顺序",
    "measure.progress": "报告整改进展",
    "measure.report_progress": "报告整改进展",
    "measure.request_close": "申请销号",
    "measure.close": "核实销号",
    "measure.reopen": "重新打开",
    "measure.change": "变更整改措施",
    "measure.in_progress": "措施转为整改中",
    "measure.close_requested": "措施申请销号",
    "measure.closed": "措施已销号",
    "change.create": "申请变更",
    "change.request": "申请变更",
    "change.decide": "审核变更申请",
    "change.approve": "同意变更",
    "change.approved": "同意变更",
    "change.reject": "不同意变更",
    "change.rejected": "不同意变更",
    "evidence.download": "下载佐证材料",
    "reminder.chase": "催办",
    "rectification.demo_ledgers": "生成演示整改清单",
    # 评优申报
    "nomination.create": "新建申报草稿",
    "nomination.save_draft": "保存申报草稿",
    "nomination.submit": "报送申报",
    "nomination.withdraw": "撤回申报",
    "nomination.submitted": "申报已报送",
    "nomination.withdrawn": "申报已撤回",
    "nomination.opinion": "签署审核意见",
    "nomination.opinion_give": "签署审核意见",
    "nomination.opinion_given": "申报已签署意见",
    "nomination.judging": "申报进入评审",
    "nomination.selected": "申报入选",
    "nomination.not_selected": "申报未入选",
    "nomination.select": "评定入选",
    "nomination.score": "评分",
    "nomination.remind": "催办申报",
    "nomination.extension_grant": "批准延期申报",
    "nomination.view_private": "查看申报个人信息",
    "nomination.download": "下载申报表",
    "nomination.export_summary": "导出申报汇总表",
    "nomination.export_zip": "打包下载申报材料",
    "nomination.announcement_export": "导出公示名单",
    "nomination.photo": "上传先进典型照片",
    "award.manage": "管理奖项",
    "award.results_select": "评定结果",
    "judging.assign": "分配评审专家",
    "judging.unassign": "取消评审专家",
    "judging.open": "开始评审",
    "unit.reorder": "调整单位排序",
    "notice.save": "保存通知草稿",
    "notice.delete": "删除通知草稿",
    "notice.attachment_add": "上传通知附件",
    "notice.attachment_remove": "删除通知附件",
    "notice.manage": "印发通知",
    "notice.issue": "印发通知",
    "notice.seed": "载入活动通知",
    "notice.acknowledge": "签收通知",
    "notice.forward": "转发通知",
    "notice.chase": "催办签收",
    "bulletin.manage": "管理通报",
    "bulletin.create": "拟写通报",
    "bulletin.item_add": "添加通报事项",
    "bulletin.publish": "曝光通报（公开栏目）",
    "bulletin.withdraw": "撤回曝光",
    "info.report": "报送活动信息",
    "info.decide": "处理活动信息",
    "info.adopt": "采用活动信息",
    "info.decline": "不采用活动信息",
    "briefing.compile": "编辑简报",
    # 办理记录: the same step named by where it led
    "ledger.submit→submitted": "提交审核",
    "ledger.review→approved": "审核通过",
    "ledger.review→returned": "退回修改",
    "ledger.edit→draft": "重新编辑",
    "problem.approved→approved": "问题审核通过",
    "problem.returned→returned": "问题退回",
    "ledger.review→in_progress": "措施审定，开始整改",
    "measure.request_close→close_requested": "申请销号",
    "measure.close→closed": "销号",
    "measure.close→in_progress": "销号申请退回",
    "measure.reopen→in_progress": "重新打开",
    "change.request→pending": "申请变更",
    "change.approve→approved": "同意变更",
    "change.reject→rejected": "不同意变更",
}
UNKNOWN_ACTION = "其他操作"


def action_label(code: str, to_state: str = "") -> str:
    """The Chinese name of an action; an unknown code reads 其他操作 rather than leaking onto the page."""
    if to_state and f"{code}→{to_state}" in ACTION_LABELS:
        return ACTION_LABELS[f"{code}→{to_state}"]
    return ACTION_LABELS.get(code, UNKNOWN_ACTION if code else "")


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
        # a model since removed: say so rather than show its code
        return "其他对象"
