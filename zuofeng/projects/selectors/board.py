"""The office view of 突破攻坚: projects by key area and unit, lights, overdue milestones.

Counts are one grouped query over the visible projects; the list is a page of 50 in official unit
order; overdue milestones (due before today, not done, of approved plans) are the 50 oldest. At 3,000
projects × 4 milestones that is a handful of indexed queries (bench/run.py times it).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from zuofeng.accounts.permissions import scope_to_units
from zuofeng.campaigns.models import KeyArea
from zuofeng.core import clock
from zuofeng.organisation.selectors import units_qualify
from zuofeng.projects.models import Milestone, Project, ProjectState, Target
from zuofeng.projects.numbers import number_text
from zuofeng.rectification.models import Light

PAGE_SIZE = 50
LIGHTS = (Light.RED, Light.YELLOW, Light.GREEN, Light.CLOSED)


@dataclass
class AreaRow:
    area: KeyArea
    total: int = 0
    approved: int = 0
    lights: dict[str, int] = field(default_factory=dict)


@dataclass
class Filters:
    key_area: int | None = None
    unit: int | None = None
    light: str | None = None
    state: str | None = None


def board_projects(*, user, campaign, filters: Filters) -> QuerySet[Project]:
    qs = scope_to_units(user, Project.objects.filter(campaign=campaign))
    if filters.key_area:
        qs = qs.filter(key_area_id=filters.key_area)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.light in Light.values:
        qs = qs.filter(light=filters.light)
    if filters.state in ProjectState.values:
        qs = qs.filter(state=filters.state)
    return qs


def board_areas(*, user, campaign) -> list[AreaRow]:
    counts = {
        row["key_area"]: row
        for row in scope_to_units(user, Project.objects.filter(campaign=campaign))
        .values("key_area")
        .annotate(
            total=Count("id"),
            approved=Count("id", filter=Q(state=ProjectState.APPROVED)),
            **{light: Count("id", filter=Q(light=light)) for light in LIGHTS},
        )
    }
    rows = []
    for area in KeyArea.objects.filter(campaign=campaign).order_by("order", "id"):
        row = counts.get(area.pk, {})
        rows.append(
            AreaRow(
                area=area,
                total=row.get("total", 0),
                approved=row.get("approved", 0),
                lights={light: row.get(light, 0) for light in LIGHTS},
            )
        )
    return rows


ROW_FIELDS = ("id", "title", "deadline", "state", "light", "percent", "unit", "key_area")
UNIT_FIELDS = ("unit__id", "unit__name", "unit__short_name", "unit__path")


def board_page(projects: QuerySet[Project], page) -> list[Project]:
    """The page's projects with unit names and targets, in few queries; only the columns shown are read
    (timestamps would cost a time-zone conversion each), and each target's line is made here, not with
    the template's floatformat (a format lookup per number)."""
    targets = Target.objects.only("project_id", "name", "measure_unit", "baseline", "target", "current")
    rows = list(
        projects.select_related("unit", "key_area")
        .only(*ROW_FIELDS, *UNIT_FIELDS, "key_area__name")
        .prefetch_related(Prefetch("targets", targets.order_by("order", "id")))
        .order_by("unit__sort_key", "id")[max(page.start_index() - 1, 0) : page.end_index()]
    )
    units_qualify([p.unit for p in rows])
    for p in rows:
        p.target_lines = [
            f"{t.name} {number_text(t.baseline)}→{number_text(t.current)}→{number_text(t.target)} {t.measure_unit}"
            for t in p.targets.all()
        ]
    return rows


def overdue_milestones(*, user, campaign, today: dt.date | None = None, limit: int = PAGE_SIZE) -> tuple[list, int]:
    today = today or clock.today()
    qs = scope_to_units(
        user,
        Milestone.objects.filter(
            project__campaign=campaign, project__state=ProjectState.APPROVED, due_on__lt=today, done_on__isnull=True
        ),
        unit_field="project__unit",
    )
    rows = list(
        qs.select_related("project__unit")
        .only(
            "id", "title", "due_on", "percent", "project__id", "project__title", *(f"project__{f}" for f in UNIT_FIELDS)
        )
        .order_by("due_on", "id")[:limit]
    )
    units_qualify([m.project.unit for m in rows])
    for m in rows:
        m.days_overdue = (today - m.due_on).days
    return rows, qs.count()
