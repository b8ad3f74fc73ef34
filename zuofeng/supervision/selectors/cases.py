"""Reading 问责案件: only the office and the leader of the subject's unit; every read is audited."""

from django.db.models import Count, Q, QuerySet

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import assignments, has_role
from zuofeng.audit.services import audit_record
from zuofeng.organisation.models import Unit
from zuofeng.supervision.models import AccountabilityCase, CaseState


def cases_visible(*, user) -> QuerySet[AccountabilityCase]:
    cases = AccountabilityCase.objects.select_related("unit", "person", "finding")
    if not may(user, "case.view"):
        return cases.none()
    if has_role(user, Role.OFFICE):
        return cases
    led = [a.unit_id for a in assignments(user) if a.role == Role.UNIT_LEADER and a.unit_id]
    # The units led, and the units they review (a section without its own reviewer is reviewed by its parent).
    reviewed = Unit.objects.filter(Q(reviewer__in=led) | Q(parent__in=led, reviewer__isnull=True)).values("pk")
    return cases.filter(Q(unit__in=led) | Q(unit__in=reviewed))


def case_list_read(*, user) -> list[AccountabilityCase]:
    cases = list(cases_visible(user=user))
    audit_record(
        actor=user, action="case.list", detail=f"{len(cases)} 件", object_type="supervision.accountabilitycase"
    )
    return cases


def case_read(*, user, pk: int) -> AccountabilityCase:
    """The case, with the reading written to the audit trail (and a refusal too)."""
    case = cases_visible(user=user).filter(pk=pk).first()
    if case is None:
        audit_record(
            actor=user,
            action="case.view",
            result="denied",
            object_type="supervision.accountabilitycase",
            object_id=str(pk),
        )
        raise AccountabilityCase.DoesNotExist
    audit_record(actor=user, action="case.view", obj=case)
    return case


def decided_person_ids(*, campaign) -> set[tuple[int, str]]:
    """(unit id, name) of every person with an accountability decision in the campaign's year — the key a
    nomination names a person by (its unit and title)."""
    rows = AccountabilityCase.objects.filter(
        state=CaseState.DECIDED, decided_on__year=campaign.year, person__isnull=False
    ).values_list("person__unit_id", "person__name")
    return set(rows)


def decided_cases_by_unit(*, user, campaign) -> dict[int, int]:
    """Decided cases per unit in the campaign year, for the year-end assessment (the office's reading)."""
    if not has_role(user, Role.OFFICE):
        return {}
    rows = AccountabilityCase.objects.filter(campaign=campaign, state=CaseState.DECIDED)
    return dict(rows.values_list("unit").annotate(n=Count("id")).order_by())


def decided_cases(*, campaign, until) -> QuerySet[AccountabilityCase]:
    """Cases decided by `until` (a date), every unit, for the year-end computation (run for the office)."""
    return AccountabilityCase.objects.filter(
        campaign=campaign, state=CaseState.DECIDED, decided_on__lte=until
    ).order_by("pk")
