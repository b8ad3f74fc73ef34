"""Reporting a milestone's progress (with the targets' values and evidence) and evidence downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from zuofeng.core.forms import add_service_errors
from zuofeng.projects.forms.progress import ReportForm
from zuofeng.projects.models import ProjectEvidence
from zuofeng.projects.selectors import projects as selectors
from zuofeng.projects.services.evidence import evidence_response
from zuofeng.projects.services.progress import milestone_report
from zuofeng.projects.views.common import project_or_404
from zuofeng.projects.views.plan import _page


@login_required
@require_POST
def report_create(request, pk: int):
    project = project_or_404(request.user, pk)
    milestones = list(project.milestones.all())
    form = ReportForm(request.POST, request.FILES, milestones=milestones, targets=list(project.targets.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            milestone_report(
                actor=request.user,
                milestone=next(m for m in milestones if m.pk == data["milestone"]),
                reported_on=data["reported_on"],
                text=data["text"],
                percent=data["percent"],
                values=form.values(),
                files=data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "节点进展已报告。")
            return redirect("projects:detail", pk=project.pk)
        project.refresh_from_db()
    return _page(request, project, status=400, report_form=form)


@login_required
@require_GET
def evidence_download(request, pk: int):
    try:
        row = selectors.evidence_visible(user=request.user, pk=pk)
    except ProjectEvidence.DoesNotExist:
        raise Http404 from None
    return evidence_response(actor=request.user, row=row)
