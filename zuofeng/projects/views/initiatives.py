"""创新举措 (record, 推广, 借鉴, nominate) and 岗位建功活动 (record, list) pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.models import Award
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.core.ids import id_or_none
from zuofeng.core.paging import page_or_404
from zuofeng.projects.forms.initiatives import ActivityForm, AdoptForm, InitiativeEvidenceForm, InitiativeForm
from zuofeng.projects.models import Initiative
from zuofeng.projects.selectors import initiatives as selectors
from zuofeng.projects.services import initiatives as services
from zuofeng.projects.services.nominate import record_awards, record_nominate
from zuofeng.projects.views.common import current_campaign, editing_units, require_view, unit_for_new


@login_required
@require_GET
def initiative_list(request):
    require_view(request.user, "initiative.view")
    qs = selectors.initiatives_visible(user=request.user).order_by("-promoted_at", "unit__sort_key", "-started_on")
    if request.GET.get("promoted") == "1":
        qs = qs.filter(promoted_at__isnull=False)
    page = page_or_404(Paginator(qs, 50), request.GET.get("page"))
    context = {"page": page, "rows": page.object_list, "can_create": unit_for_new(request) is not None}
    return render(request, "projects/initiatives/list.html", context)


def _initiative(user, pk: int) -> Initiative:
    try:
        return selectors.initiative_visible(user=user, pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None


def _adopting_unit(user, initiative: Initiative):
    """The unit this person would record an adoption for: one they fill in for, not the initiative's."""
    for unit in editing_units(user):
        if unit.pk != initiative.unit_id and not initiative.adoptions.filter(unit=unit).exists():
            return unit
    return None


def _detail(request, initiative, *, status: int = 200, adopt_form=None, evidence_form=None):
    adopting = _adopting_unit(request.user, initiative) if initiative.promoted_at else None
    context = {
        "initiative": initiative,
        "adoptions": initiative.adoptions.select_related("unit").order_by("adopted_on", "id"),
        "evidence": initiative.evidence.order_by("id"),
        "can_promote": initiative.promoted_at is None and may(request.user, "initiative.promote", initiative),
        "adopting_unit": adopting,
        "adopt_form": adopt_form or AdoptForm(initial={"adopted_on": clock.today()}),
        "can_add_evidence": may(request.user, "initiative.edit", initiative),
        "evidence_form": evidence_form or InitiativeEvidenceForm(),
        "nominate_awards": record_awards(initiative.campaign, "initiative")
        if may(request.user, "initiative.edit", initiative)
        else [],
    }
    return render(request, "projects/initiatives/detail.html", context, status=status)


@login_required
@require_GET
def initiative_detail(request, pk: int):
    return _detail(request, _initiative(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def initiative_new(request):
    unit = unit_for_new(request)
    if unit is None or not may(request.user, "initiative.edit", unit):
        raise PermissionDenied
    form = InitiativeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                actor=request.user, campaign=current_campaign(), unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "创新举措已登记。")
            return redirect("projects:initiative", pk=initiative.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/initiatives/form.html", {"form": form, "unit": unit}, status=status)


@login_required
@require_POST
def initiative_evidence_add(request, pk: int):
    initiative = _initiative(request.user, pk)
    if not may(request.user, "initiative.edit", initiative):
        raise PermissionDenied
    form = InitiativeEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.initiative_evidence_add(
                actor=request.user, initiative=initiative, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "佐证材料已上传。")
            return redirect("projects:initiative", pk=pk)
    return _detail(request, initiative, status=400, evidence_form=form)


@login_required
@require_POST
def initiative_promote(request, pk: int):
    initiative = _initiative(request.user, pk)
    try:
        services.initiative_promote(actor=request.user, initiative=initiative)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已列为推广事项，各单位可登记借鉴。")
    return redirect("projects:initiative", pk=pk)


@login_required
@require_POST
def initiative_adopt(request, pk: int):
    initiative = _initiative(request.user, pk)
    unit = _adopting_unit(request.user, initiative)
    if unit is None:
        raise PermissionDenied
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_adopt(actor=request.user, initiative=initiative, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已登记借鉴。")
            return redirect("projects:initiative", pk=pk)
    return _detail(request, initiative, status=400, adopt_form=form)


@login_required
@require_POST
def initiative_nominate(request, pk: int):
    initiative = _initiative(request.user, pk)
    if not may(request.user, "initiative.edit", initiative):
        raise PermissionDenied
    award = get_object_or_404(Award, pk=id_or_none(request.POST.get("award")) or 0, campaign=initiative.campaign)
    try:
        nomination = record_nominate(actor=request.user, award=award, initiative=initiative)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("projects:initiative", pk=pk)
    messages.success(request, f"已按本举措填好“{award.name}”申报表，请核对补充后保存报送。")
    return redirect("nominations:edit", pk=nomination.pk)


@login_required
@require_GET
def activity_list(request):
    require_view(request.user, "activity.view")
    qs = selectors.activities_visible(user=request.user).order_by("-held_on", "-id")
    page = page_or_404(Paginator(qs, 50), request.GET.get("page"))
    context = {"page": page, "rows": page.object_list, "can_create": unit_for_new(request) is not None}
    return render(request, "projects/activities/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    unit = unit_for_new(request)
    if unit is None or not may(request.user, "activity.edit", unit):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["participants"] = list(data["participants"])
        try:
            services.activity_create(actor=request.user, campaign=current_campaign(), unit=unit, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "岗位建功活动已登记。")
            return redirect("projects:activities")
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/activities/form.html", {"form": form, "unit": unit}, status=status)


@login_required
@require_GET
def person_record(request, pk: int):
    """The old address of a person's post activities: they are on the person's page now."""
    return redirect("organisation:person_detail", pk=pk, permanent=True)
