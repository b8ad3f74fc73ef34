"""活动信息: units report; the office adopts or declines, compiles 简报 and reads per-unit counts."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import assignments
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.notices.forms.info import DecideForm, InfoForm
from zuofeng.notices.models import InfoItem, InfoState
from zuofeng.notices.selectors.info import info_counts, info_items
from zuofeng.notices.services import info as services
from zuofeng.organisation.models import Unit


def _own_units(user):
    ids = [a.unit_id for a in assignments(user) if a.role in (Role.UNIT_LEADER, Role.SECTION_CLERK) and a.unit_id]
    return Unit.objects.filter(pk__in=ids).order_by("sort_key")


def _period(request) -> tuple[str, dt.date, dt.date]:
    """?period=2018-09 (a month) or 2018 (a year); default this month."""
    raw = request.GET.get("period", "")
    today = clock.today()
    try:
        if len(raw) == 4:
            year = int(raw)
            return raw, dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        year, month = (int(p) for p in raw.split("-")) if raw else (today.year, today.month)
        start = dt.date(year, month, 1)
    except ValueError:
        start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return f"{start:%Y-%m}", start, end


@login_required
def index(request, form=None):
    office = may(request.user, "info.decide")
    if not office and not may(request.user, "info.report"):
        raise PermissionDenied("您无权查看活动信息。")
    period, start, end = _period(request)
    items = info_items(user=request.user)
    context = {
        "office": office,
        "form": form or InfoForm(units=_own_units(request.user), initial={"happened_on": clock.today()}),
        "mine": [] if office else items[:50],
        "queue": items.filter(state=InfoState.REPORTED) if office else [],
        "adopted": items.filter(state=InfoState.ADOPTED, briefing__isnull=True) if office else [],
        "counts": info_counts(user=request.user, start=start, end=end),
        "period": period,
        "decide_form": DecideForm(),
    }
    return render(request, "notices/info/index.html", context, status=400 if form else 200)


@login_required
@require_POST
def report(request):
    form = InfoForm(request.POST, request.FILES, units=_own_units(request.user))
    if form.is_valid():
        try:
            services.info_report(actor=request.user, campaign=campaign_current(), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "活动信息已报送作风办。")
            return redirect("notices:info")
    return index(request, form=form)


@login_required
@require_POST
def decide(request, pk: int):
    item = get_object_or_404(InfoItem, pk=pk)
    try:
        services.info_decide(
            actor=request.user, item=item, adopt=request.POST.get("adopt") == "1", reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("notices:info")


@login_required
@require_POST
def compile_briefing(request):
    campaign = campaign_current()
    items = list(InfoItem.objects.filter(pk__in=request.POST.getlist("items")).select_related("unit"))
    try:
        briefing = services.briefing_compile(actor=request.user, campaign=campaign, items=items)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("notices:info")
    messages.success(request, f"简报第{briefing.number}期已生成草稿，请核对后印发。")
    return redirect("notices:edit", briefing.notice_id)
