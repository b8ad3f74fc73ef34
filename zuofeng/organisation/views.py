"""Unit and people pages, and the Excel import. Reads go through selectors, writes through services."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may, reviewed_units
from zuofeng.audit.models import AuditResult
from zuofeng.audit.services import audit_record
from zuofeng.core.forms import add_service_errors
from zuofeng.core.ids import id_or_none
from zuofeng.core.paging import page_or_404
from zuofeng.organisation import selectors, services
from zuofeng.organisation.forms import ImportForm, PersonForm, ReviewerForm, UnitFilterForm, UnitForm
from zuofeng.organisation.import_template import import_template
from zuofeng.organisation.importer import organisation_import
from zuofeng.organisation.models import Person, Unit

UNITS_PER_PAGE = 100

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(user, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied


def _visible_unit(user, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent", "reviewer"), pk=pk)
    if not may(user, "unit.view", unit):
        raise Http404
    return unit


def _partial(request, full: str, rows: str, context: dict):
    """htmx filters get just the rows; a history restore needs the whole page back."""
    htmx = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, rows if htmx else full, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
def unit_list(request):
    """The tree opens at its top level; each row expands its children on demand (a district has
    thousands of units). A filter or search lists the matches flat, a page at a time."""
    _require(request.user, "unit.view")
    form = UnitFilterForm(request.GET)
    form.is_valid()
    kind, query = form.cleaned_data.get("kind", ""), form.cleaned_data.get("q", "")
    visible = selectors.unit_list(user=request.user)
    parent_id = request.GET.get("parent", "")
    if kind or query:
        found = selectors.unit_list(user=request.user, kind=kind, query=query)
        page = page_or_404(Paginator(found, UNITS_PER_PAGE), request.GET.get("page"))
        units, top = list(page.object_list), None
    else:
        page = None
        top = visible.order_by("depth").values_list("depth", flat=True).first() or 0
        if parent_id.isdigit():
            units = list(visible.filter(parent_id=int(parent_id)))
        else:
            units = list(visible.filter(depth=top))
    counts = selectors.visible_child_counts(user=request.user, parents=units)
    for unit in units:
        unit.indent = 0 if top is None else unit.depth - top
        unit.visible_children = 0 if top is None else counts.get(unit.pk, 0)
    context = {
        "form": form,
        "units": units,
        "page": page,
        "total": page.paginator.count if page else visible.count(),
        "can_manage": may(request.user, "organisation.manage"),
    }
    if parent_id.isdigit() and request.headers.get("HX-Request"):
        return render(request, "organisation/_unit_tree_rows.html", context)
    return _partial(request, "organisation/unit_list.html", "organisation/_unit_rows.html", context)


@login_required
def unit_detail(request, pk: int):
    user = request.user
    unit = _visible_unit(user, pk)
    visible = selectors.unit_list(user=user)
    context = {
        "unit": unit,
        "children": visible.filter(parent=unit),
        "reviewed": visible.filter(pk__in=reviewed_units(unit).values("pk")),
        "parent_visible": unit.parent_id is not None and visible.filter(pk=unit.parent_id).exists(),
        "reviewer": unit.reviewer or unit.parent,
        "people": selectors.people_with_phones(user=user, people=selectors.person_list(user=user, unit=unit)),
        "can_manage": may(user, "organisation.manage"),
        "can_assign": may(user, "unit.assign_reviewer") or may(user, "organisation.manage"),
        "can_reorder": may(user, "unit.reorder"),
    }
    if context["can_assign"]:
        context["reviewer_form"] = ReviewerForm(unit=unit)
    return render(request, "organisation/unit_detail.html", context)


@login_required
@require_POST
def unit_reviewer(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    if not (may(request.user, "unit.assign_reviewer") or may(request.user, "organisation.manage")):
        # Refused before the form is read, so record it here; the service is never reached.
        audit_record(actor=request.user, action="unit.assign_reviewer", obj=unit, result=AuditResult.DENIED)
        if not may(request.user, "unit.view", unit):
            raise Http404
        raise PermissionDenied
    form = ReviewerForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            services.unit_assign_reviewer(actor=request.user, unit=unit, reviewer=form.cleaned_data["reviewer"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            reviewer = unit.reviewer or unit.parent
            messages.success(request, f"已将“{unit.name}”的审核单位设为“{reviewer.name if reviewer else '作风办'}”。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("organisation:unit_detail", pk=unit.pk)


@login_required
@require_POST
def unit_move(request, pk: int):
    """上移 / 下移 among siblings; back to the parent's page when moved from its list of children."""
    unit = get_object_or_404(Unit, pk=pk)
    try:
        services.unit_move(actor=request.user, unit=unit, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已调整“{unit.name}”的排序。")
    if request.POST.get("back") == "parent" and unit.parent_id:
        return redirect("organisation:unit_detail", pk=unit.parent_id)
    return redirect("organisation:unit_detail", pk=unit.pk)


def _unit_form_page(request, unit: Unit, initial=None):
    _require(request.user, "organisation.manage")
    form = UnitForm(request.POST or None, instance=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.unit_save(actor=request.user, unit=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已保存单位“{saved.name}”。")
            return redirect("organisation:unit_detail", pk=saved.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request):
    initial = {}
    parent = Unit.objects.filter(pk=id_or_none(request.GET.get("parent"))).first()
    if parent is not None:
        initial = {"parent": parent, "order": parent.children.count() + 1}
    return _unit_form_page(request, Unit(), initial)


@login_required
def unit_edit(request, pk: int):
    return _unit_form_page(request, get_object_or_404(Unit, pk=pk))


@login_required
def person_list(request):
    _require(request.user, "person.view")
    query = request.GET.get("q", "").strip()[:50]
    page = page_or_404(Paginator(selectors.person_list(user=request.user, query=query), 50), request.GET.get("page"))
    people = selectors.people_with_phones(user=request.user, people=page.object_list)
    context = {"page": page, "people": people, "q": query, "can_manage": may(request.user, "organisation.manage")}
    return _partial(request, "organisation/person_list.html", "organisation/_person_rows.html", context)


@login_required
def person_detail(request, pk: int):
    """A person: unit, position, phone (masked unless the viewer may see it) and the records other apps
    keep of them — their post activities (岗位建功, the basis of 服务标兵 / 阳湖先锋 nominations)."""
    # Imported here: organisation is below the business apps; only this page reads one of them.
    from zuofeng.projects.selectors.initiatives import person_activities

    person = selectors.person_list(user=request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    context = {
        "person": selectors.people_with_phones(user=request.user, people=[person])[0],
        "activities": person_activities(user=request.user, person=person)
        if may(request.user, "activity.view")
        else None,
        "can_manage": may(request.user, "organisation.manage"),
    }
    return render(request, "organisation/person_detail.html", context)


def _person_form_page(request, person: Person, initial=None):
    _require(request.user, "organisation.manage")
    form = PersonForm(request.POST or None, instance=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_save(actor=request.user, person=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已保存人员“{saved.name}”。")
            return redirect("organisation:unit_detail", pk=saved.unit_id)
    return render(request, "organisation/person_form.html", {"form": form, "person": person})


@login_required
def person_create(request):
    unit = Unit.objects.filter(pk=id_or_none(request.GET.get("unit"))).first()
    return _person_form_page(request, Person(), {"unit": unit} if unit else None)


@login_required
def person_edit(request, pk: int):
    return _person_form_page(request, get_object_or_404(Person, pk=pk))


@login_required
def import_view(request):
    _require(request.user, "organisation.manage")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = organisation_import(actor=request.user, uploaded=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"导入成功。{result.summary()}。")
            return redirect("organisation:import")
    return render(request, "organisation/import.html", {"form": form, "result": result})


@login_required
def import_template_download(request):
    _require(request.user, "organisation.manage")
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('单位和人员导入模板.xlsx')}"
    return response
