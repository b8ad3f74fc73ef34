"""自查自纠: the office's board (who has reported, 催办), and a unit's report page (write, add found problems
to its list, report; the office accepts or returns)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import assignments
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.organisation.models import Unit
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.forms.self_inspection import FoundProblemForm, ReportForm, ReviewForm
from zuofeng.supervision.models import ReportState, SelfInspectionReport
from zuofeng.supervision.selectors.self_inspection import report_board, units_not_reported
from zuofeng.supervision.services import self_inspection as services
from zuofeng.supervision.workflow import report_transition


def _campaign():
    campaign = campaign_current()
    if campaign is None:
        raise Http404("尚未载入专项活动")
    return campaign


@login_required
@require_GET
def self_board(request):
    if not may(request.user, "self.view"):
        raise PermissionDenied
    campaign = _campaign()
    if not may(request.user, "self.review"):
        # A unit's own people go straight to their unit's report.
        unit_ids = [a.unit_id for a in assignments(request.user) if a.unit_id]
        if not unit_ids:
            raise PermissionDenied
        return redirect("supervision:self_report", unit_id=unit_ids[0])
    only_missing = request.GET.get("missing") == "1"
    rows = report_board(campaign=campaign, only_missing=only_missing)
    context = {
        "rows": rows,
        "only_missing": only_missing,
        "missing": len(units_not_reported(campaign=campaign)),
        "due_on": supervision_def(campaign).self_inspection.due_on,
    }
    return render(request, "supervision/self/board.html", context)


@login_required
@require_POST
def self_remind(request):
    if not may(request.user, "self.review"):
        raise PermissionDenied
    campaign = _campaign()
    sent = services.self_remind(actor=request.user, campaign=campaign, units=units_not_reported(campaign=campaign))
    messages.success(request, f"已向未报送单位发出催办 {sent} 条。")
    return redirect("supervision:self_board")


def _report(user, unit_id: int) -> SelfInspectionReport:
    unit = get_object_or_404(Unit, pk=unit_id)
    report = SelfInspectionReport(campaign=_campaign(), unit=unit)
    if not may(user, "self.view", report):
        raise Http404
    existing = SelfInspectionReport.objects.filter(campaign=report.campaign, unit=unit).first()
    return existing or report


def _page(request, report, *, status=200, **forms):
    campaign = report.campaign
    editable = report.state in services.EDITABLE and may(request.user, "self.edit", report)
    initial = {"version": report.version, "people_handled": report.people_handled}
    initial.update({f"q_{k}": v for k, v in report.answers.items()})
    questions = [(q.name, report.answers.get(q.key, "")) for q in supervision_def(campaign).self_inspection.questions]
    context = {
        "report": report,
        "questions": questions,
        "editable": editable,
        "can_review": report.state == ReportState.SUBMITTED and may(request.user, "self.review"),
        "problems": report.problems.select_related("category") if report.pk else [],
        "form": forms.get("form") or ReportForm(initial=initial, campaign=campaign),
        "problem_form": forms.get("problem_form")
        or FoundProblemForm(initial={"found_on": clock.today()}, campaign=campaign),
        "review_form": forms.get("review_form") or ReviewForm(),
    }
    return render(request, "supervision/self/report.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def self_report(request, unit_id: int):
    report = _report(request.user, unit_id)
    if request.method == "GET":
        return _page(request, report)
    form = ReportForm(request.POST, campaign=report.campaign)
    if form.is_valid():
        try:
            if report.pk is None:
                report = services.report_get_or_start(campaign=report.campaign, unit=report.unit)
            report = services.report_save(
                actor=request.user,
                report=report,
                answers=form.answers(),
                people_handled=form.cleaned_data["people_handled"],
                version=form.cleaned_data["version"],
            )
            if request.POST.get("submit") == "1":
                report = report_transition(actor=request.user, report=report, to=ReportState.SUBMITTED)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已报送。" if report.state == ReportState.SUBMITTED else "已保存。")
            return redirect("supervision:self_report", unit_id=unit_id)
    report = _report(request.user, unit_id)
    return _page(request, report, status=400, form=form)


@login_required
@require_POST
def self_add_problem(request, unit_id: int):
    report = _report(request.user, unit_id)
    form = FoundProblemForm(request.POST, campaign=report.campaign)
    if form.is_valid():
        try:
            if report.pk is None:
                report = services.report_get_or_start(campaign=report.campaign, unit=report.unit)
            services.report_add_problem(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "问题已加入本单位整改清单（自己找）。")
            return redirect("supervision:self_report", unit_id=unit_id)
    return _page(request, report, status=400, problem_form=form)


@login_required
@require_POST
def self_review(request, unit_id: int):
    report = _report(request.user, unit_id)
    if report.pk is None:
        raise Http404
    form = ReviewForm(request.POST)
    to = ReportState.ACCEPTED if request.POST.get("decision") == "accept" else ReportState.RETURNED
    if form.is_valid():
        try:
            report_transition(actor=request.user, report=report, to=to, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已通过。" if to == ReportState.ACCEPTED else "已退回。")
            return redirect("supervision:self_report", unit_id=unit_id)
    return _page(request, report, status=400, review_form=form)
