"""The events another system can subscribe to, and which audit entry raises each.

Every write already leaves an audit entry in its own transaction, so an event is raised from the
entry (same transaction: a rolled-back write sends nothing). A later domain adds its events with
`event_register(EVENT, 中文名, audit_action=AUDIT_ACTION)` in its AppConfig.ready; events with no
audit entry (measure overdue, found by the daily job) are raised with `webhook_emit` directly.
"""

EVENTS: dict[str, str] = {}
FROM_AUDIT: dict[str, str] = {}  # audit action → event


def event_register(event: str, label: str, *, audit_action: str | None = None) -> None:
    if event in EVENTS and EVENTS[event] != label:
        raise ValueError(f"webhook event {event!r} registered twice")
    EVENTS[event] = label
    if audit_action:
        FROM_AUDIT[audit_action] = event


event_register("ledger.submitted", "整改清单已提交", audit_action="ledger.submitted")
event_register("ledger.approved", "整改清单审核通过", audit_action="ledger.approved")
event_register("measure.overdue", "整改措施逾期未完成")
event_register("measure.closed", "整改措施已销号", audit_action="measure.closed")
event_register("nomination.submitted", "申报已报送", audit_action="nomination.submitted")
# The domains that landed with issue 15, each raised by its own transition's audit entry.
event_register("notice.issued", "通知已印发", audit_action="notice.issue")
event_register("bulletin.published", "通报已曝光", audit_action="bulletin.publish")
event_register("finding.confirmed", "督查发现已确认", audit_action="finding.confirmed")
event_register("case.decided", "问责决定已作出", audit_action="case.decided")
event_register("project.approved", "攻坚项目已审核通过", audit_action="project.approved")
event_register("complaint.dispatched", "群众反映已派单", audit_action="complaint.dispatched")
event_register("complaint.concluded", "群众反映已办结", audit_action="complaint.concluded")
event_register("assessment.published", "年终考核结果已公布", audit_action="assessment.publish")
