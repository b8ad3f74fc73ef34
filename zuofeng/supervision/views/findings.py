"""Findings: recorded by an inspector of the round (desk or phone), confirmed or dismissed by the office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.core.ids import id_or_none
from zuofeng.core.storage import private_storage
from zuofeng.supervision.forms.rounds import DecideForm, FindingForm
from zuofeng.supervision.models import Finding, FindingPhoto, FindingState
from zuofeng.supervision.selectors import rounds as selectors
from zuofeng.supervision.services.findings import ANSWERS, finding_record
from zuofeng.supervision.views.rounds import _round
from zuofeng.supervision.workflow import default_deadline, finding_transition


@login_required
@require_http_methods(["GET", "POST"])
def finding_new(request, pk: int):
    round_ = _round(request.user, pk)
    if not may(request.user, "finding.record", round_):
        raise PermissionDenied
    initial = {"found_on": clock.today(), "unit": id_or_none(request.GET.get("unit"))}
    form = FindingForm(request.POST or None, request.FILES or None, round_=round_, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = finding_record(
                actor=request.user,
                round=round_,
                unit=data["unit"],
                category=data["category"],
                severity=data["severity"],
                text=data["text"],
                found_on=data["found_on"],
                checklist=form.checklist(),
                photos=data["photos"],
                **form.related_items(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "督查发现已保存。")
            # The page's script clears the browser draft when it sees this marker (static/supervision/draft.js).
            return redirect(f"/supervision/findings/{finding.pk}/?saved=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/findings/form.html", {"round": round_, "form": form}, status=status)


@login_required
@require_GET
def finding_related(request, pk: int):
    """The 相关问题或措施 field for the unit just chosen (htmx swaps it into the finding form)."""
    round_ = _round(request.user, pk)
    if not may(request.user, "finding.record", round_):
        raise PermissionDenied
    form = FindingForm(round_=round_, user=request.user, initial={"unit": id_or_none(request.GET.get("unit"))})
    return render(request, "supervision/findings/related_field.html", {"form": form})


def _finding(user, pk: int) -> Finding:
    if not may(user, "finding.view"):
        raise PermissionDenied
    try:
        return selectors.finding_visible(user=user, pk=pk)
    except Finding.DoesNotExist:
        raise Http404 from None


def _detail(request, finding: Finding, form=None, status: int = 200):
    from zuofeng.supervision.definition import checklist_items

    campaign = finding.round.campaign if finding.round_id else finding.recheck.campaign
    answers = [(name, ANSWERS.get(finding.checklist.get(key), "—")) for key, name in checklist_items(campaign)]
    can_decide = finding.state == FindingState.RECORDED and may(request.user, "finding.confirm", finding)
    return render(
        request,
        "supervision/findings/detail.html",
        {
            "finding": finding,
            "answers": answers,
            "photos": finding.photos.all(),
            "can_decide": can_decide,
            "form": form or DecideForm(initial={"deadline": default_deadline(finding)}) if can_decide else None,
        },
        status=status,
    )


@login_required
@require_GET
def finding_detail(request, pk: int):
    return _detail(request, _finding(request.user, pk))


@login_required
@require_POST
def finding_decide(request, pk: int):
    finding = _finding(request.user, pk)
    form = DecideForm(request.POST)
    to = FindingState.CONFIRMED if request.POST.get("decision") == "confirm" else FindingState.DISMISSED
    if form.is_valid():
        try:
            finding_transition(
                actor=request.user,
                finding=finding,
                to=to,
                comment=form.cleaned_data["comment"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "已确认，问题已转入单位整改清单。" if to == FindingState.CONFIRMED else "已不予确认。"
            )
            return redirect("supervision:finding_detail", pk=finding.pk)
    return _detail(request, finding, form=form, status=400)


@login_required
@require_GET
def photo_download(request, pk: int):
    photo = FindingPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    _finding(request.user, photo.finding_id)  # 403/404 unless the finding is visible
    response = FileResponse(private_storage().open(photo.file.name, "rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    return response
