"""The measure page (整改措施): progress, 申请销号, 销号/退回, 重新打开, and evidence downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.rectification.forms.progress import CloseoutDecideForm, CloseoutRequestForm, ProgressForm, ReopenForm
from zuofeng.rectification.models import Evidence, Measure, MeasureState
from zuofeng.rectification.selectors import measure as selectors
from zuofeng.rectification.services import progress as services
from zuofeng.rectification.services.evidence import evidence_open


def _measure(user, pk: int) -> Measure:
    try:
        return selectors.measure_visible(user=user, pk=pk)
    except Measure.DoesNotExist:
        raise Http404


def _actions(user, measure: Measure) -> dict[str, bool]:
    state = measure.state
    return {
        "can_report": state == MeasureState.IN_PROGRESS and may(user, "measure.report_progress", measure),
        "can_request_close": state == MeasureState.IN_PROGRESS and may(user, "measure.request_close", measure),
        "can_decide": state == MeasureState.CLOSE_REQUESTED and may(user, "measure.close", measure),
        "can_reopen": state == MeasureState.CLOSED and may(user, "measure.reopen", measure),
        # Approved measures are locked; changing one is a change request reviewed again.
        "can_request_change": state in (MeasureState.IN_PROGRESS, MeasureState.CLOSE_REQUESTED)
        and may(user, "measure.request_change", measure),
    }


def _page(request, measure: Measure, *, status: int = 200, **forms):
    actions = _actions(request.user, measure)
    initial = {"version": measure.version}
    defaults = {
        "progress_form": ProgressForm(initial={**initial, "reported_on": clock.today(), "percent": measure.percent}),
        "closeout_form": CloseoutRequestForm(initial=initial),
        "decide_form": CloseoutDecideForm(initial=initial),
        "reopen_form": ReopenForm(initial=initial),
    }
    context = {
        "measure": measure,
        "problem": measure.problem,
        "ledger": measure.problem.ledger,
        "progress": selectors.measure_progress(measure=measure),
        "evidence": selectors.measure_evidence(measure=measure),
        "events": selectors.measure_events(measure=measure),
        **actions,
        **defaults,
        **forms,
    }
    return render(request, "rectification/progress/measure_detail.html", context, status=status)


def _handle(request, pk: int, form_class, form_name: str, run, done: str):
    """Validate the posted form, run the service, and either redirect or show the page with errors."""
    measure = _measure(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            run(measure, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("rectification:measure_detail", pk=measure.pk)
        measure.refresh_from_db()
    # The page now shows the current values, so a corrected resubmission carries the current version.
    form.data = form.data.copy()
    form.data["version"] = measure.version
    return _page(request, measure, status=400, **{form_name: form})


@login_required
@require_GET
def measure_detail(request, pk: int):
    return _page(request, _measure(request.user, pk))


@login_required
@require_POST
def progress_create(request, pk: int):
    def run(measure, data):
        services.progress_report(
            actor=request.user,
            measure=measure,
            reported_on=data["reported_on"],
            text=data["text"],
            percent=data["percent"],
            files=data["files"],
            version=data["version"],
        )

    return _handle(request, pk, ProgressForm, "progress_form", run, "进展已报告。")


@login_required
@require_POST
def closeout_request(request, pk: int):
    def run(measure, data):
        services.closeout_request(
            actor=request.user, measure=measure, text=data["text"], files=data["files"], version=data["version"]
        )

    return _handle(request, pk, CloseoutRequestForm, "closeout_form", run, "已申请销号，等待审核单位核实。")


@login_required
@require_POST
def closeout_decide(request, pk: int):
    def run(measure, data):
        services.closeout_decide(
            actor=request.user,
            measure=measure,
            approve=data["decision"] == "approve",
            comment=data["comment"],
            version=data["version"],
        )

    return _handle(request, pk, CloseoutDecideForm, "decide_form", run, "已办理销号核实。")


@login_required
@require_POST
def measure_reopen(request, pk: int):
    def run(measure, data):
        services.measure_reopen(actor=request.user, measure=measure, reason=data["reason"], version=data["version"])

    return _handle(request, pk, ReopenForm, "reopen_form", run, "已重新打开，措施恢复为整改中。")


@login_required
@require_GET
def evidence_download(request, pk: int):
    try:
        evidence = selectors.evidence_visible(user=request.user, pk=pk)
    except Evidence.DoesNotExist:
        raise Http404
    try:
        handle = evidence_open(evidence)
    except FileNotFoundError:
        raise Http404
    audit_record(actor=request.user, action="evidence.download", obj=evidence, detail=evidence.original_name)
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
