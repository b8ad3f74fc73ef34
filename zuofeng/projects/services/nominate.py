"""Starting a nomination from a record: a 攻坚 project or an innovation initiative.

Which awards may be started from which record is the campaign definition's `record_awards`. The
record's figures and evidence summary are written under the form keys the award forms use
(project_name, key_area, lead_section, leader, phone, period, main_text, results, …); keys an award's
form does not have are dropped by nominations' own `data_for_draft`, so a form the office redefines
still takes what fits. The link (RecordNomination) lets the nomination's judges read the record.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import Nomination
from zuofeng.nominations.services.lifecycle import nomination_create_draft
from zuofeng.organisation.models import Unit
from zuofeng.projects.exports import targets_text
from zuofeng.projects.models import Initiative, Project, RecordNomination

MAIN_TEXT_LIMIT = 480  # the forms allow 500 characters; leave the unit room to finish a sentence


def record_awards(campaign, kind: str) -> list[Award]:
    keys = ((campaign.settings or {}).get("record_awards") or {}).get(kind, [])
    awards = {a.key: a for a in Award.objects.filter(campaign=campaign, key__in=keys, is_active=True)}
    return [awards[k] for k in keys if k in awards]


def nominating_unit(actor, unit: Unit) -> Unit:
    """Units nominate as a whole: the record's top unit when the actor fills in for it, else its own."""
    top = Unit.objects.get(pk=unit.ancestor_ids[0]) if unit.ancestor_ids else unit
    if may(actor, "nomination.edit", Nomination(unit=top)):
        return top
    return unit


def _cut(text: str) -> str:
    return text if len(text) <= MAIN_TEXT_LIMIT else text[: MAIN_TEXT_LIMIT - 1] + "…"


def project_values(project: Project) -> dict:
    leader = project.lead_leader
    done = [m for m in project.milestones.order_by("due_on") if m.done_on]
    body = [
        f"项目目标：{project.goal}",
        "目标指标：" + "；".join(targets_text(project.targets.all()).splitlines()),
        f"节点完成：{len(done)}/{project.milestones.count()} 个，总体进度 {project.percent}%。",
    ]
    reports = project.reports.order_by("-reported_on", "-id")[:3]
    body += [f"{r.reported_on:%Y-%m-%d} {r.text}" for r in reports]
    return {
        "project_name": project.title,
        "key_area": project.key_area.name,
        "lead_section": project.lead_section.display_name if project.lead_section_id else project.unit.display_name,
        "leader": leader.name if leader else "",
        "phone": leader.phone if leader else "",
        "period": f"{project.starts_on:%Y-%m-%d} 至 {project.deadline:%Y-%m-%d}",
        "main_text": _cut("\n".join(body)),
    }


def initiative_values(initiative: Initiative) -> dict:
    adopted = initiative.adoptions.count()
    return {
        "innovation_name": initiative.title,
        "lead_section": initiative.unit.display_name,
        "started_on": f"{initiative.started_on:%Y-%m}",
        "main_text": _cut(f"破解的问题：{initiative.problem}\n主要做法：{initiative.description}"),
        "results": (
            f"办理环节 {initiative.steps_before}→{initiative.steps_after} 个，申请材料 {initiative.materials_before}→"
            f"{initiative.materials_after} 份，办理时限 {initiative.days_before.normalize():f}→"
            f"{initiative.days_after.normalize():f} 天" + (f"；已被 {adopted} 个单位借鉴推广。" if adopted else "。")
        ),
    }


@transaction.atomic
def record_nominate(*, actor, award: Award, project: Project | None = None, initiative: Initiative | None = None):
    record = project or initiative
    kind = "project" if project is not None else "initiative"
    if award not in record_awards(record.campaign, kind):
        raise ValidationError(f"“{award.name}”不能从该记录发起申报。", code="award")
    values = project_values(project) if project is not None else initiative_values(initiative)
    nomination = nomination_create_draft(
        actor=actor, award=award, unit=nominating_unit(actor, record.unit), data=values
    )
    RecordNomination.objects.create(nomination=nomination, project=project, initiative=initiative)
    audit_record(
        actor=actor, action=f"{kind}.nominate", obj=record, after={"nomination": nomination.pk, "award": award.key}
    )
    return nomination
