"""Pages for the public, no login: report, receipt, follow the case with code and secret, rate the reply."""

import secrets

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zuofeng.audit.context import client_ip
from zuofeng.campaigns.models import Symptom
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.complaints.captcha import captcha_new, captcha_png
from zuofeng.complaints.forms.public import RateForm, ReportForm, TrackForm
from zuofeng.complaints.models import Captcha, Complaint, ComplaintState
from zuofeng.complaints.selectors.cases import public_events, unit_search
from zuofeng.complaints.services.intake import Report, complaint_report
from zuofeng.complaints.services.public import complaint_by_code, complaint_rate
from zuofeng.core.forms import add_service_errors
from zuofeng.organisation.models import Unit

TRACKED = "complaints_tracked"  # the codes this browser has opened with their secret


def _fresh_captcha(form_data=None) -> dict:
    captcha = captcha_new()
    return {"captcha": captcha.token}


def _campaign():
    campaign = campaign_current()
    if campaign is None:
        raise Http404("当前没有进行中的专项活动。")
    return campaign


def report(request):
    campaign = _campaign()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            receipt = _submit(request, form, campaign)
            if receipt is not None:
                request.session["complaints_receipt"] = {"code": receipt.complaint.code, "secret": receipt.secret}
                _remember(request, receipt.complaint.code)
                return redirect("complaints:report_done")
        # A captcha is spent or wrong after a try: draw a new one, keep everything else typed.
        data = request.POST.copy()
        data.update(_fresh_captcha())
        data["captcha_answer"] = ""
        form.data = data
    else:
        initial = {**_fresh_captcha(), "submission_key": secrets.token_hex(16)}
        form = ReportForm(initial=initial, campaign=campaign)
    unit = _chosen_unit(form)
    return render(request, "complaints/public/report.html", {"form": form, "campaign": campaign, "chosen_unit": unit})


def _chosen_unit(form):
    raw = form.data.get("unit") if form.is_bound else None
    if raw and str(raw).isdigit():
        return Unit.objects.filter(pk=int(raw), is_active=True).first()
    return None


def _submit(request, form, campaign):
    d = form.cleaned_data
    unit = Unit.objects.filter(pk=d["unit"], is_active=True).first() if d.get("unit") else None
    symptom = Symptom.objects.filter(pk=d["symptom"], campaign=campaign).first() if d.get("symptom") else None
    report_ = Report(
        kind=d["kind"],
        text=d["text"],
        symptom=symptom,
        unit=unit,
        happened_on=d.get("happened_on"),
        place=d.get("place", ""),
        named=d["named"],
        name=d.get("name", ""),
        phone=d.get("phone", ""),
        contact=d.get("contact", ""),
        files=d.get("files") or [],
    )
    try:
        return complaint_report(
            campaign=campaign,
            report=report_,
            address=client_ip(request) or "",
            submission_key=d["submission_key"],
            captcha_token=d["captcha"],
            captcha_answer=d["captcha_answer"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def report_done(request):
    receipt = request.session.get("complaints_receipt")
    if not receipt:
        return redirect("complaints:track")
    return render(request, "complaints/public/done.html", {"receipt": receipt})


@require_GET
def captcha_image(request, token: str):
    captcha = Captcha.objects.filter(token=token, used_at__isnull=True).first()
    if captcha is None:
        raise Http404("验证码已失效，请刷新页面。")
    return HttpResponse(captcha_png(captcha), content_type="image/png")


@require_GET
def units(request):
    q = request.GET.get("q") or request.GET.get("unit_query", "")
    hits = unit_search(q)
    return render(request, "complaints/public/_units.html", {"hits": hits, "q": q})


def _remember(request, code: str) -> None:
    codes = request.session.get(TRACKED, [])
    if code not in codes:
        request.session[TRACKED] = [*codes[-19:], code]


def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_by_code(
                code=form.cleaned_data["code"], secret=form.cleaned_data["secret"], address=client_ip(request) or ""
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _remember(request, complaint.code)
            return redirect("complaints:track_case", code=complaint.code)
    return render(request, "complaints/public/track.html", {"form": form})


def _tracked(request, code: str) -> Complaint:
    if code not in request.session.get(TRACKED, []):
        raise Http404("请先输入查询码和查询密码。")
    complaint = Complaint.objects.select_related("unit", "merged_into").filter(code=code).first()
    if complaint is None:
        raise Http404("请先输入查询码和查询密码。")
    return complaint


def track_case(request, code: str):
    complaint = _tracked(request, code)
    return render(
        request,
        "complaints/public/case.html",
        {
            "c": complaint,
            "events": public_events(complaint),
            "rate_form": RateForm() if complaint.state == ComplaintState.ANSWERED else None,
            "show_reply": complaint.state in (ComplaintState.ANSWERED, ComplaintState.RATED, ComplaintState.CONCLUDED),
        },
    )


@require_POST
def rate(request, code: str):
    complaint = _tracked(request, code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            complaint_rate(
                complaint=complaint, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("complaints:track_case", code=code)
    return render(
        request,
        "complaints/public/case.html",
        {"c": complaint, "events": public_events(complaint), "rate_form": form, "show_reply": True},
    )
