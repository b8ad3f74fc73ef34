"""Reads of 攻坚 projects, always scoped through accounts.permissions."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import F, Prefetch, Q, QuerySet

from zuofeng.accounts.permissions import may, scope_to_units, visible_unit_ids
from zuofeng.accounts.permissions.projects import partnered_projects_q
from zuofeng.audit.labels import action_label
from zuofeng.core.compiled import CompiledPerKey
from zuofeng.projects.lights import target_share
from zuofeng.projects.models import (
    Milestone,
    MilestoneReport,
    Project,
    ProjectEvent,
    ProjectEvidence,
    ProjectState,
    Target,
)
from zuofeng.projects.numbers import number_text


def projects_visible(*, user) -> QuerySet[Project]:
    return scope_to_units(user, Project.objects.all()).select_related("unit", "key_area")


def projects_partnered(*, user) -> QuerySet[Project]:
    """协办项目: approved projects naming one of the person's units as 配合单位 (read only)."""
    return Project.objects.filter(partnered_projects_q(user)).distinct().select_related("unit", "key_area")


def project_visible(*, user, pk: int) -> Project:
    """The project if the user may see it; Project.DoesNotExist otherwise (a hidden one is a 404)."""
    project = Project.objects.select_related("unit", "campaign", "key_area", "lead_leader", "lead_section").get(pk=pk)
    if not may(user, "project.view", project):
        raise Project.DoesNotExist
    return project


@dataclass
class TargetRow:
    target: Target
    share: int | None

    @property
    def arrow(self) -> str:
        return "↑" if self.target.direction == "higher" else "↓"

    @property
    def numbers(self) -> dict[str, str]:
        """baseline, target and current as written on the page (0.5, not 0.50)."""
        t = self.target
        return {"baseline": number_text(t.baseline), "target": number_text(t.target), "current": number_text(t.current)}


def project_targets(*, project: Project) -> list[TargetRow]:
    return [
        TargetRow(t, target_share(baseline=t.baseline, target=t.target, current=t.current))
        for t in project.targets.all()
    ]


def project_milestones(*, project: Project) -> list[Milestone]:
    reports = MilestoneReport.objects.select_related("reporter__person").prefetch_related(
        Prefetch("evidence", ProjectEvidence.objects.order_by("id"))
    )
    return list(project.milestones.prefetch_related(Prefetch("reports", reports.order_by("-reported_on", "-id"))))


def project_events(*, project: Project) -> list[ProjectEvent]:
    events = list(project.events.select_related("actor__person").order_by("-at", "-id"))
    for event in events:
        event.label = action_label(event.action, event.to_state)
    return events


def chart_data(*, targets: list[TargetRow]) -> list[dict]:
    """Per target: baseline → now → target, the numbers as floats for ECharts."""
    return [
        {
            "id": row.target.pk,
            "name": row.target.name,
            "unit": row.target.measure_unit,
            "direction": row.target.direction,
            "labels": ["基数", "当前", "目标"],
            "values": [
                float(row.target.baseline),
                None if row.target.current is None else float(row.target.current),
                float(row.target.target),
            ],
        }
        for row in targets
    ]


def evidence_visible(*, user, pk: int) -> ProjectEvidence:
    row = ProjectEvidence.objects.select_related("project__unit", "initiative__unit").get(pk=pk)
    if row.project_id:
        if not may(user, "project.view", row.project):  # a hidden project's file is a 404, like the project
            raise ProjectEvidence.DoesNotExist
    elif not may(user, "initiative.view", row.initiative):
        raise ProjectEvidence.DoesNotExist
    return row


# What the home page shows of a plan (its link, title, unit) and what may() reads of its unit
# (reviews_not_own: the reviewer, the parent, the path); a project row is wide (goal, plan text).
_WAITING_FIELDS = ("id", "title", "submitted_at", "unit__name", "unit__path", "unit__reviewer", "unit__parent")


def project_work(*, user, campaign, limit: int = 10) -> dict:
    """攻坚项目 on the home page: plans and change requests waiting for my review, my units' milestones
    overdue. Reviewable = submitted plans of units I may see and review (never my own unit's).
    A person who reviews nothing (a clerk) costs one query; only the columns shown are read."""
    from zuofeng.core import clock
    from zuofeng.projects.models import ProjectState
    from zuofeng.rectification.models import ChangeState

    waiting = []
    if may(user, "project.review") or may(user, "project.change_decide"):
        candidates = (
            scope_to_units(user, Project.objects.filter(campaign=campaign))
            .filter(Q(state=ProjectState.SUBMITTED) | Q(changes__state=ChangeState.PENDING))
            .distinct()
            .select_related("unit")
            .only(*_WAITING_FIELDS)
            .order_by("submitted_at", "id")[: limit * 5]
        )
        waiting = [p for p in candidates if may(user, "project.review", p) or may(user, "project.change_decide", p)]
    today = clock.today()
    key = (visible_unit_ids(user), campaign.pk, today, limit)
    rows = _OVERDUE.rows(key, user=user, campaign=campaign, today=today, limit=limit)
    overdue = [
        SimpleNamespace(pk=pk, title=title, due_on=due_on, project_id=project_id, project=SimpleNamespace(title=name))
        for pk, title, due_on, project_id, name in rows
    ]
    return {"waiting": waiting[:limit], "overdue": overdue}


def _overdue(*, user, campaign, today, limit: int) -> QuerySet:
    """Milestones of my units' approved projects past their day and not done, earliest first."""
    return (
        scope_to_units(
            user,
            Milestone.objects.filter(
                project__campaign=campaign,
                project__state=ProjectState.APPROVED,
                due_on__lt=today,
                done_on__isnull=True,
            ),
            unit_field="project__unit",
        )
        .order_by("due_on", "id")
        .values_list("id", "title", "due_on", "project_id", "project__title")[:limit]
    )


# compiled once per set of visible units, campaign and day (core/compiled.py): its building and
# compiling cost more than the database's work (decisions §50)
_OVERDUE = CompiledPerKey(_overdue)


def projects_approved(*, campaign, until) -> QuerySet[Project]:
    """Projects approved by `until` (a date), every unit, for the year-end computation."""
    return Project.objects.filter(
        campaign=campaign, state=ProjectState.APPROVED, approved_at__date__lte=until
    ).order_by("pk")


def milestones_due(*, campaign, until) -> QuerySet[Milestone]:
    """Milestones due by `until` (a date) of the projects approved by then, every unit, for the year-end
    computation; `owner_unit_id` is the project's unit."""
    return (
        Milestone.objects.filter(project__in=projects_approved(campaign=campaign, until=until), due_on__lte=until)
        .annotate(owner_unit_id=F("project__unit_id"))
        .order_by("pk")
    )


_DIRECTIONS = {"higher": "越高越好", "lower": "越低越好"}
_TARGET_LABELS = {
    "name": "名称", "measure_unit": "计量单位", "baseline": "基数", "target": "目标值", "direction": "方向",
}  # fmt: skip


def _target_text(row: dict) -> str:
    return f"{row['name']} {row['baseline']} → {row['target']} {row['measure_unit']}（{_DIRECTIONS[row['direction']]}）"


def _row_changes(old: dict, new: dict, labels: dict[str, str]) -> str:
    parts = []
    for key, label in labels.items():
        before, after = old[key], new[key]
        if before != after:
            parts.append(f"{label} {_DIRECTIONS.get(before, before)} → {_DIRECTIONS.get(after, after)}")
    return "；".join(parts)


def change_lines(*, change) -> list[str]:
    """What a change request changes, one Chinese line per change, for the reviewer and the history.
    Requests from before targets could be changed hold only title, goal and deadline."""
    old, new, lines = change.old_values, change.new_values, []
    for key, label in (("title", "项目名称"), ("goal", "项目目标"), ("deadline", "完成时限")):
        if old.get(key) != new.get(key):
            lines.append(f"{label}：{old.get(key)} → {new.get(key)}")
    lines += _list_lines(old.get("targets"), new.get("targets"), "目标指标", "name", _target_text, _TARGET_LABELS)
    milestone_labels = {"title": "节点任务", "due_on": "节点时限"}
    lines += _list_lines(
        old.get("milestones"), new.get("milestones"), "季度节点", "title",
        lambda row: f"{row['due_on']} {row['title']}", milestone_labels,
    )  # fmt: skip
    return lines


def _list_lines(old_rows, new_rows, noun: str, name_key: str, text, labels) -> list[str]:
    if old_rows is None or new_rows is None or old_rows == new_rows:
        return []
    before = {row["id"]: row for row in old_rows}
    lines = []
    for row in new_rows:
        if row["id"] is None or row["id"] not in before:
            lines.append(f"新增{noun}：{text(row)}")
        elif changed := _row_changes(before[row["id"]], row, labels):
            lines.append(f"修改{noun}“{before[row['id']][name_key]}”：{changed}")
    kept = {row["id"] for row in new_rows}
    lines += [f"删除{noun}：{text(row)}" for row in old_rows if row["id"] not in kept]
    return lines


def project_changes(*, project: Project) -> list:
    """The project's change requests, newest first, each with `lines` (what it changes)."""
    rows = list(project.changes.select_related("requested_by__person", "decided_by__person").order_by("-id"))
    for row in rows:
        row.lines = change_lines(change=row)
    return rows
