"""Lights for 攻坚 projects, by the same 序时进度 rules and thresholds as measures.

Each milestone is a small measure: its planned progress runs from the previous milestone's date (or
the project's start) to its own date, and `rectification.lights.light_for` judges it with the
campaign's thresholds. A finished milestone is 已完成 (shown as 已销号's grey). A project takes the
worst light of its open milestones; all done is grey; a plan not yet approved has no light.
"""

import datetime as dt

from zuofeng.core import clock
from zuofeng.projects.models import Milestone, Project, ProjectState
from zuofeng.rectification.lights import light_for, thresholds
from zuofeng.rectification.models import Light, MeasureState

WORST_FIRST = [Light.RED, Light.YELLOW, Light.GREEN, Light.CLOSED, Light.NONE]


def milestone_light(*, milestone: Milestone, starts_on: dt.date, campaign, approved: bool, today: dt.date) -> str:
    if not approved:
        return Light.NONE
    state = MeasureState.CLOSED if milestone.done_on else MeasureState.IN_PROGRESS
    return light_for(
        state=state,
        percent=milestone.percent,
        starts_on=min(starts_on, milestone.due_on),
        deadline=milestone.due_on,
        is_ongoing=False,
        last_progress_on=milestone.last_report_on,
        today=today,
        limits=thresholds(campaign),
        working_days=bool((campaign.settings or {}).get("working_days")),
    )


def project_light(lights: list[str]) -> str:
    if not lights:
        return Light.NONE
    return min(lights, key=WORST_FIRST.index)


def lights_of(*, project: Project, milestones: list[Milestone], today: dt.date) -> tuple[list[str], str, int]:
    """Milestone lights (in date order), the project's light and its overall percent; no queries."""
    approved = project.state == ProjectState.APPROVED
    starts_on, lights = project.starts_on, []
    for milestone in milestones:
        lights.append(
            milestone_light(
                milestone=milestone, starts_on=starts_on, campaign=project.campaign, approved=approved, today=today
            )
        )
        starts_on = milestone.due_on
    light = project_light(lights) if approved else Light.NONE
    percent = round(sum(m.percent for m in milestones) / len(milestones)) if milestones else 0
    return lights, light, percent


def project_refresh_lights(*, project: Project, today: dt.date | None = None) -> str:
    """Recompute every milestone's light and the project's; write only what changed."""
    milestones = list(project.milestones.order_by("due_on", "order", "id"))
    return lights_save(project=project, milestones=milestones, today=today or clock.today())


def lights_save(*, project: Project, milestones: list[Milestone], today: dt.date) -> str:
    lights, light, percent = lights_of(project=project, milestones=milestones, today=today)
    for milestone, new in zip(milestones, lights, strict=True):
        if new != milestone.light:
            Milestone.objects.filter(pk=milestone.pk).update(light=new)
            milestone.light = new
    if (light, percent) != (project.light, project.percent):
        Project.objects.filter(pk=project.pk).update(light=light, percent=percent)
        project.light, project.percent = light, percent
    return light


def target_share(*, baseline, target, current) -> int | None:
    """How far from the baseline to the target the current value has come, in per cent (0–100).
    The same formula serves both directions: for "lower is better" both differences are negative."""
    if current is None or target == baseline:
        return None
    share = 100 * (current - baseline) / (target - baseline)
    return int(max(0, min(100, round(share))))
