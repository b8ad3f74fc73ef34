"""Shared by every state machine's transition function (see rectification/ and nominations/workflow.py)."""

import functools

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """A move the actor may not make; carries what to write in the audit trail."""

    def __init__(self, action: str, detail: str):
        super().__init__("您无权办理此事项。")
        self.action, self.detail = action, detail


def audit_refusals(*object_kwargs: str):
    """Record a refusal outside the transaction that rolls back, so the audit trail keeps it.

    `object_kwargs` name the keyword argument holding the object the move was attempted on.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*, actor, **kwargs):
            from zuofeng.audit.models import AuditResult
            from zuofeng.audit.services import audit_record

            try:
                return func(actor=actor, **kwargs)
            except Refused as refused:
                obj = next((kwargs[name] for name in object_kwargs if kwargs.get(name) is not None), None)
                audit_record(
                    actor=actor, action=refused.action, obj=obj, result=AuditResult.DENIED, detail=refused.detail
                )
                raise PermissionDenied(str(refused)) from None

        return wrapper

    return decorate
