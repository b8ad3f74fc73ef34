"""年终考核 pages: the results (office: compute, publish, export; unit: own score), a unit's breakdown
with the records behind every point, adjustments and 异议."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.assessment.exports import results_docx, scores_xlsx
from zuofeng.assessment.forms.scores import AdjustForm, AnswerForm, ComputeForm, ObjectionForm
from zuofeng.assessment.models import AssessmentRun, ItemStatus, Objection, ObjectionState, RunState
from zuofeng.assessment.rubric import run_rubric
from zuofeng.assessment.selectors.scores import (
    chart_data,
    current_run,
    item_get,
    item_names,
    item_records,
    latest_run,
    own_scores,
    ranking_scores,
    score_get,
    score_lines,
)
from zuofeng.assessment.services.scores import item_adjust, run_publish, run_request
from zuofeng.assessment.workflow import objection_deadline, objection_raise, objection_transition
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.cn import cn_date


def _require(user, action: str, obj=None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied("您无权查看或办理年终考核事项。")


def _form_errors(form, error: ValidationError) -> None:
    for key, problems in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(key if key in form.fields else None, problems)


@login_required
def index(request, compute_form=None):
    _require(request.user, "assessment.view")
    campaign = campaign_current()
    run = current_run(campaign)
    latest = latest_run(campaign)
    office = may(request.user, "assessment.compute")
    context = {"campaign": campaign, "run": run, "latest": latest, "office": office}
    if office:
        context["compute_form"] = compute_form or ComputeForm(initial={"cutoff": clock.today()})
        context["open_objections"] = Objection.objects.filter(
            score__run__campaign=campaign, state=ObjectionState.OPEN
        ).select_related("score__unit")
    if run is not None:
        definition = run_rubric(run.rubric)
        names = {r.key: r.name for r in definition.rankings}
        ranking = list(ranking_scores(user=request.user, run=run))
        context["rankings"] = [(names[key], [s for s in ranking if s.ranking == key]) for key in names]
        context["own"] = list(own_scores(user=request.user, run=run))
        context["published"] = run.published_at is not None
        if may(request.user, "assessment.ranking", run):
            context["charts"] = json.dumps(chart_data(ranking, names), ensure_ascii=False)
    return render(request, "assessment/scores/index.html", context, status=400 if compute_form else 200)


@login_required
@require_POST
def compute(request):
    _require(request.user, "assessment.compute")
    form = ComputeForm(request.POST)
    if form.is_valid():
        try:
            run = run_request(
                actor=request.user,
                campaign=campaign_current(),
                cutoff=form.cleaned_data["cutoff"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("assessment:run", pk=run.pk)
    return index(request, compute_form=form)


@login_required
def run_progress(request, pk: int):
    _require(request.user, "assessment.compute")
    run = get_object_or_404(AssessmentRun, pk=pk)
    template = "assessment/scores/_progress.html" if request.headers.get("HX-Request") else "assessment/scores/run.html"
    return render(request, template, {"run": run, "running": run.state in (RunState.QUEUED, RunState.RUNNING)})


@login_required
@require_POST
def publish(request, pk: int):
    run = get_object_or_404(AssessmentRun, pk=pk)
    try:
        run_publish(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "考核结果已公布，各单位可以看到本序列的排名和等次。")
    return redirect("assessment:index")


@login_required
def score_detail(request, pk: int, objection_form=None, answer_form=None):
    score = score_get(user=request.user, pk=pk)
    items = [line for _, lines in score_lines(score) for line in lines]
    deadline = objection_deadline(score) if score.run.finished_at else None
    may_object = may(request.user, "assessment.object", score) and deadline and clock.today() <= deadline
    names = item_names(score)
    objections = list(score.objections.select_related("item"))
    for objection in objections:
        objection.item_name = names.get(objection.item.key, "") if objection.item else ""
    context = {
        "score": score,
        "groups": score_lines(score),
        "objections": objections,
        "office": may(request.user, "assessment.adjust"),
        "deadline": deadline,
        "may_object": may_object,
        "objection_form": objection_form
        or (ObjectionForm(items=[_Choice(line.item.pk, line.name) for line in items]) if may_object else None),
        "answer_form": answer_form or AnswerForm(),
    }
    status = 400 if objection_form or answer_form else 200
    return render(request, "assessment/scores/score.html", context, status=status)


class _Choice:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name


@login_required
def item_records_view(request, pk: int):
    item = item_get(user=request.user, pk=pk)
    names = item_names(item.score)
    return render(
        request,
        "assessment/scores/records.html",
        {"item": item, "name": names.get(item.key, item.key), "records": item_records(item), "score": item.score},
    )


@login_required
def item_adjust_view(request, pk: int):
    _require(request.user, "assessment.adjust")
    item = item_get(user=request.user, pk=pk)
    if item.status == ItemStatus.SKIPPED:
        raise Http404("该项不计分（来源尚未启用或本单位无结果），不能调整。")
    name = item_names(item.score).get(item.key, item.key)
    if request.method == "POST":
        form = AdjustForm(request.POST)
        if form.is_valid():
            try:
                item_adjust(
                    actor=request.user,
                    item=item,
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, f"已调整“{name}”，总分、名次和等次已重新计算。")
                return redirect("assessment:score", pk=item.score_id)
        status = 400
    else:
        form = AdjustForm(initial={"points": item.points, "version": item.score.version})
        status = 200
    return render(request, "assessment/scores/adjust.html", {"item": item, "name": name, "form": form}, status=status)


@login_required
@require_POST
def objection_new(request, pk: int):
    score = score_get(user=request.user, pk=pk)
    items = list(score.items.all())
    names = item_names(score)
    form = ObjectionForm(request.POST, items=[_Choice(i.pk, names.get(i.key, i.key)) for i in items])
    if form.is_valid():
        item = next((i for i in items if str(i.pk) == form.cleaned_data["item"]), None)
        try:
            objection_raise(actor=request.user, score=score, text=form.cleaned_data["text"], item=item)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "异议已提交，作风办答复后会在本页显示。")
            return redirect("assessment:score", pk=score.pk)
    return score_detail(request, pk=score.pk, objection_form=form)


@login_required
@require_POST
def objection_answer(request, pk: int):
    objection = get_object_or_404(Objection.objects.select_related("score"), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            objection_transition(
                actor=request.user, objection=objection, to=ObjectionState.ANSWERED, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "已答复异议。")
            return redirect("assessment:score", pk=objection.score_id)
    return score_detail(request, pk=objection.score_id, answer_form=form)


def _export_run(request, pk: int) -> AssessmentRun:
    _require(request.user, "assessment.export")
    run = get_object_or_404(AssessmentRun.objects.select_related("campaign"), pk=pk, state=RunState.DONE)
    return run


@login_required
def export_xlsx(request, pk: int):
    run = _export_run(request, pk)
    audit_record(actor=request.user, action="assessment.export", obj=run, detail="Excel")
    return _download(
        scores_xlsx(run),
        f"年终考核得分（截至{cn_date(run.cutoff)}）.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def export_docx(request, pk: int):
    run = _export_run(request, pk)
    audit_record(actor=request.user, action="assessment.export", obj=run, detail="Word 通报")
    return _download(
        results_docx(run),
        "年终考核结果通报.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
