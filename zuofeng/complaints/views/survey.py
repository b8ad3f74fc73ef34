"""满意度测评 pages: the office's periods, links, QR codes and posters, set-aside answers; the public's form."""

import contextlib
import io
import secrets

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from zuofeng.audit.context import client_ip
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.complaints.forms.survey import AnswerForm, OpenForm
from zuofeng.complaints.models import ResponseStatus, SurveyPeriod, SurveyResponse
from zuofeng.complaints.selectors.survey import survey_results
from zuofeng.complaints.services.survey import (
    survey_answer,
    survey_close,
    survey_link_target,
    survey_open,
    survey_response_decide,
    survey_token,
)
from zuofeng.complaints.views.handling import office_only as _office
from zuofeng.core.forms import add_service_errors
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify

DEVICE_COOKIE = "zf_survey_device"


@login_required
def periods(request):
    _office(request)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = campaign_current()
        try:
            period = survey_open(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("complaints:survey_period", pk=period.pk)
    return render(request, "complaints/survey/periods.html", {"form": form, "periods": SurveyPeriod.objects.all()})


def _link(request, period, unit) -> str:
    return request.build_absolute_uri(f"/complaints/s/{survey_token(period, unit)}/")


@login_required
def period_detail(request, pk: int):
    _office(request)
    period = get_object_or_404(SurveyPeriod, pk=pk)
    units = units_qualify(list(Unit.objects.filter(is_active=True, parent__isnull=True).order_by("sort_key")))
    # The href is the path (the page works behind any host name); the text is the full address to print.
    links = [
        {"unit": u, "url": _link(request, period, u), "path": f"/complaints/s/{survey_token(period, u)}/"}
        for u in units
    ]
    set_aside = SurveyResponse.objects.filter(period=period, status=ResponseStatus.SET_ASIDE).select_related("unit")
    return render(
        request,
        "complaints/survey/period.html",
        {"period": period, "results": survey_results(period), "links": links, "set_aside": set_aside},
    )


@login_required
@require_POST
def period_close(request, pk: int):
    _office(request)
    survey_close(actor=request.user, period=get_object_or_404(SurveyPeriod, pk=pk))
    return redirect("complaints:survey_period", pk=pk)


@login_required
@require_POST
def response_decide(request, pk: int):
    _office(request)
    response = get_object_or_404(SurveyResponse, pk=pk)
    # Decided already (another tab): the page shows the current state.
    with contextlib.suppress(ValidationError):
        survey_response_decide(actor=request.user, response=response, count=request.POST.get("count") == "1")
    return redirect("complaints:survey_period", pk=response.period_id)


def _period_unit(request, pk: int, unit_pk: int):
    _office(request)
    return get_object_or_404(SurveyPeriod, pk=pk), get_object_or_404(Unit, pk=unit_pk, is_active=True)


@login_required
def qr_svg(request, pk: int, unit_pk: int):
    period, unit = _period_unit(request, pk, unit_pk)
    out = io.BytesIO()
    segno.make(_link(request, period, unit), error="m").save(out, kind="svg", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
def poster_pdf(request, pk: int, unit_pk: int):
    from zuofeng.documents.pdf import html_pdf

    period, unit = _period_unit(request, pk, unit_pk)
    url = _link(request, period, unit)
    qr = segno.make(url, error="m").svg_data_uri(scale=10, border=2)
    html = render_to_string("complaints/survey/poster.html", {"period": period, "unit": unit, "url": url, "qr": qr})
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=survey-poster-{unit.pk}.pdf"
    return response


def answer(request, token: str):
    target = survey_link_target(token)
    if target is None:
        raise Http404("测评链接无效，请重新扫描单位张贴的二维码。")
    period, unit = target
    unit = units_qualify([unit])[0]
    form = AnswerForm(request.POST or None, items=period.items, by_device=period.by_device)
    device = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_hex(16)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(
                period=period,
                unit=unit,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                phone=form.cleaned_data["phone"],
                device_key=device if period.by_device else "",
                address=client_ip(request) or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = True
    response = render(
        request, "complaints/survey/answer.html", {"period": period, "unit": unit, "form": form, "done": done}
    )
    response.set_cookie(DEVICE_COOKIE, device, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response
