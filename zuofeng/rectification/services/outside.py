"""Problems put into a unit's list from outside the unit: a confirmed inspection finding (督查发现) or a
concluded public complaint that revealed an obstruction (群众提).

The caller decides who may do this (e.g. `finding.confirm`, `complaint.conclude`) and keeps its own link
to the problem; this module only writes the problem the way the unit's own would be written. The list's
state is left alone: the problem waits, 待审核, for the unit to add its measures, and adding them reopens
an approved list for review exactly as the unit's own additions do (`ledger._open_for_adding`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import ProblemSource
from zuofeng.rectification.models import Ledger, Problem
from zuofeng.rectification.services.ledger import problem_import_key, problem_snapshot
from zuofeng.rectification.services.search import problem_bigrams


def problem_create_from_outside(
    *,
    actor,
    unit,
    campaign,
    source_kind: str,
    category,
    description: str,
    found_on: dt.date,
    origin: str,
    deadline: dt.date | None = None,
    symptom=None,
    source_detail: str = "",
) -> Problem:
    """`source_kind` is a ProblemSourceKind (e.g. "organisation" for 督查发现, "public" for 群众提);
    `origin` the mark the unit sees (督查发现 / 群众提); `deadline` the 整改期限 set by the office."""
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "请填写问题描述。"})
    source = ProblemSource.objects.filter(campaign=campaign, kind=source_kind).order_by("order", "id").first()
    if source is None:
        raise ValidationError(f"活动定义中没有“{source_kind}”类的问题来源，无法转入整改清单。")
    if deadline is not None and deadline < found_on:
        raise ValidationError({"deadline": "整改期限不能早于发现日期。"})
    with transaction.atomic():
        ledger, _ = Ledger.objects.get_or_create(unit=unit, campaign=campaign)
        ledger = Ledger.objects.select_for_update(of=("self",)).get(pk=ledger.pk)
        problem = Problem(
            ledger=ledger,
            unit_id=unit.pk,
            category=category,
            symptom=symptom,
            source=source,
            source_detail=(source_detail or "").strip()[:200],
            description=description,
            found_on=found_on,
            recorded_by=actor,
            origin=origin,
            origin_deadline=deadline,
        )
        problem.order = (ledger.problems.aggregate(m=Max("order"))["m"] or 0) + 1
        problem.search_bigrams = problem_bigrams(problem)
        problem.import_key = problem_import_key(problem)
        problem.save()
        audit_record(
            actor=actor,
            action="problem.create_from_outside",
            obj=problem,
            after={**problem_snapshot(problem), "来源标记": origin, "整改期限": str(deadline or "")},
        )
    return problem
