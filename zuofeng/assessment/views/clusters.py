"""系统性问题 pages (office only): the clusters, one cluster with its units and problems, naming,
marking, assigning and following it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.assessment.forms.clusters import ClusterForm, NoteForm
from zuofeng.assessment.models import ClusterRun, RunState
from zuofeng.assessment.selectors.clusters import (
    cluster_get,
    cluster_problems,
    cluster_runs,
    cluster_set,
)
from zuofeng.assessment.services.clusters import (
    cluster_categories,
    cluster_note_add,
    cluster_run_request,
    cluster_update,
)
from zuofeng.campaigns.selectors import campaign_current


@login_required
def cluster_list(request):
    campaign = campaign_current()
    latest, done = cluster_runs(user=request.user, campaign=campaign)
    clusters = list(cluster_set(user=request.user, run=done))
    return render(
        request,
        "assessment/clusters/list.html",
        {"latest": latest, "run": done, "clusters": clusters, "campaign": campaign},
    )


@login_required
@require_POST
def cluster_compute(request):
    try:
        run = cluster_run_request(actor=request.user, campaign=campaign_current())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("assessment:clusters")
    return redirect("assessment:cluster_run", pk=run.pk)


@login_required
def cluster_run(request, pk: int):
    cluster_runs(user=request.user, campaign=None)  # the office only
    run = get_object_or_404(ClusterRun, pk=pk)
    running = run.state in (RunState.QUEUED, RunState.RUNNING)
    template = (
        "assessment/clusters/_progress.html" if request.headers.get("HX-Request") else "assessment/clusters/run.html"
    )
    return render(request, template, {"run": run, "running": running})


@login_required
def cluster_detail(request, pk: int, note_form=None):
    cluster = cluster_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = ClusterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                cluster_update(
                    actor=request.user,
                    cluster=cluster,
                    name=data["name"],
                    district_wide=data["district_wide"],
                    owner=data["owner"],
                    state=data["state"],
                    version=data["version"],
                )
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, problems)
            else:
                messages.success(request, "已保存。")
                return redirect("assessment:cluster", pk=cluster.pk)
        status = 400
    else:
        form = ClusterForm(
            initial={
                "name": cluster.name or cluster.label,
                "district_wide": cluster.district_wide,
                "owner": cluster.owner,
                "state": cluster.state,
                "version": cluster.version,
            }
        )
        status = 400 if note_form else 200
    problems = cluster_problems(cluster)
    units = []
    for problem in problems:
        if not units or units[-1][0] != problem.unit.qualified_name:
            units.append((problem.unit.qualified_name, 0))
        units[-1] = (units[-1][0], units[-1][1] + 1)
    context = {
        "cluster": cluster,
        "form": form,
        "note_form": note_form or NoteForm(),
        "notes": cluster.notes.select_related("actor"),
        "problems": problems,
        "units": units,
        "categories": cluster_categories(cluster).most_common(),
    }
    return render(request, "assessment/clusters/detail.html", context, status=status)


@login_required
@require_POST
def cluster_note(request, pk: int):
    cluster = cluster_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            cluster_note_add(actor=request.user, cluster=cluster, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error.messages)
        else:
            messages.success(request, "已记录跟踪情况。")
            return redirect("assessment:cluster", pk=cluster.pk)
    request.method = "GET"
    return cluster_detail(request, pk=pk, note_form=form)
