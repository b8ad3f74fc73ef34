"""Inspection rounds: the list, planning a round (office), the round page with its overview and the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.supervision.definition import focus_choices
from zuofeng.supervision.forms.rounds import RoundForm
from zuofeng.supervision.models import FindingState, InspectionRound
from zuofeng.supervision.selectors import rounds as selectors
from zuofeng.supervision.services.report import round_report_docx
from zuofeng.supervision.services.rounds import round_create

FINDINGS_SHOWN = 100
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _round(user, pk: int) -> InspectionRound:
    if not may(user, "round.view"):
        raise PermissionDenied
    try:
        return selectors.round_visible(user=user, pk=pk)
    except InspectionRound.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def round_list(request):
    if not may(request.user, "round.view"):
        raise PermissionDenied
    rounds = selectors.rounds_visible(user=request.user).prefetch_related("team")
    return render(
        request,
        "supervision/rounds/list.html",
        {"rounds": rounds, "can_manage": may(request.user, "round.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    if not may(request.user, "round.manage"):
        raise PermissionDenied
    campaign = campaign_current()
    if campaign is None:
        raise Http404("尚未载入专项活动")
    form = RoundForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = round_create(
                actor=request.user,
                campaign=campaign,
                name=data["name"],
                focus=data["focus"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                team=list(data["team"]),
                units=list(data["units"]),
                sample_seed=data.get("sample_seed"),
                sample_size=data.get("sample_size"),
                keep_location=data["keep_location"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已安排“{round_.name}”，共 {round_.units.count()} 个单位。")
            return redirect("supervision:round_detail", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/rounds/form.html", {"form": form}, status=status)


@login_required
@require_GET
def round_detail(request, pk: int):
    round_ = _round(request.user, pk)
    findings = selectors.findings_visible(user=request.user).filter(round=round_).order_by("-id")
    return render(
        request,
        "supervision/rounds/detail.html",
        {
            "round": round_,
            "focus": dict(focus_choices(round_.campaign)).get(round_.focus, round_.focus),
            "overview": selectors.round_overview(round_=round_),
            # the newest first; a city-wide round has hundreds, the report and the API carry them all
            "findings": findings[:FINDINGS_SHOWN],
            "shown": FINDINGS_SHOWN,
            "team": round_.team.all(),
            "can_record": may(request.user, "finding.record", round_),
            "can_confirm": may(request.user, "finding.confirm"),
            "recorded": FindingState.RECORDED,
        },
    )


@login_required
@require_GET
def round_report(request, pk: int):
    round_ = _round(request.user, pk)
    if not may(request.user, "round.manage"):
        raise PermissionDenied
    audit_record(actor=request.user, action="round.report", obj=round_)
    response = HttpResponse(round_report_docx(round_=round_), content_type=DOCX_TYPE)
    filename = f"督查情况报告-{round_.pk}-{clock.today():%Y%m%d}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{__import__('urllib.parse').parse.quote(filename)}"
    return response
