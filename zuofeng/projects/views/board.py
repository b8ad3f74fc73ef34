"""攻坚项目总览 (office view): by key area and unit, lights, overdue milestones, drill-down, exports."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import KeyArea
from zuofeng.core import clock
from zuofeng.core.ids import id_or_none
from zuofeng.core.paging import page_or_404
from zuofeng.projects import exports
from zuofeng.projects.models import Project, ProjectState, Target
from zuofeng.projects.selectors import board as selectors
from zuofeng.projects.views.common import current_campaign, require_view
from zuofeng.rectification.models import Light

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request) -> selectors.Filters:
    return selectors.Filters(
        key_area=id_or_none(request.GET.get("key_area")),
        unit=id_or_none(request.GET.get("unit")),
        light=request.GET.get("light") or None,
        state=request.GET.get("state") or None,
    )


@login_required
@require_GET
def board(request):
    require_view(request.user, "project.board")
    campaign = current_campaign()
    filters = _filters(request)
    projects = selectors.board_projects(user=request.user, campaign=campaign, filters=filters)
    page = page_or_404(
        Paginator(projects.order_by("unit__sort_key", "id"), selectors.PAGE_SIZE), request.GET.get("page")
    )
    rows = selectors.board_page(projects, page)
    overdue, overdue_total = selectors.overdue_milestones(user=request.user, campaign=campaign)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "areas": selectors.board_areas(user=request.user, campaign=campaign),
        "filters": filters,
        "page": page,
        "rows": rows,
        "overdue": overdue,
        "overdue_total": overdue_total,
        "query": query.urlencode(),
        "lights": [(Light.RED, "红灯"), (Light.YELLOW, "黄灯"), (Light.GREEN, "绿灯"), (Light.CLOSED, "已完成")],
        "states": ProjectState.choices,
    }
    return render(request, "projects/board/board.html", context)


def _export_rows(request, campaign, filters):
    projects = selectors.board_projects(user=request.user, campaign=campaign, filters=filters)
    return (
        projects.select_related("unit", "key_area", "lead_leader", "lead_section")
        .prefetch_related(Prefetch("targets", Target.objects.order_by("order", "id")))
        .order_by("unit__sort_key", "key_area__order", "id")
    )


@login_required
@require_GET
def export_xlsx(request):
    require_view(request.user, "project.board")
    campaign = current_campaign()
    filters = _filters(request)
    rows = _export_rows(request, campaign, filters)
    today = clock.today()
    overdue = dict(
        Project.objects.filter(pk__in=rows.values("pk"))
        .annotate(n=Count("milestones", filter=Q(milestones__due_on__lt=today, milestones__done_on__isnull=True)))
        .filter(n__gt=0, state=ProjectState.APPROVED)
        .values_list("pk", "n")
    )
    body = exports.projects_xlsx(rows, overdue=overdue)
    audit_record(actor=request.user, action="project.export", detail=f"{len(overdue)} overdue; xlsx")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''%E6%94%BB%E5%9D%9A%E9%A1%B9%E7%9B%AE-{today:%Y%m%d}.xlsx"
    )
    return response


@login_required
@require_GET
def area_summary_docx(request, area_id: int):
    require_view(request.user, "project.board")
    campaign = current_campaign()
    area = KeyArea.objects.filter(campaign=campaign, pk=area_id).first()
    if area is None:
        raise Http404("没有这个攻坚重点。")
    rows = _export_rows(request, campaign, selectors.Filters(key_area=area.pk))
    body = exports.area_summary_docx(campaign=campaign, area=area, projects=rows)
    audit_record(actor=request.user, action="project.export", obj=area, detail="docx")
    response = HttpResponse(body, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''keyarea-{area.key}.docx"
    return response
