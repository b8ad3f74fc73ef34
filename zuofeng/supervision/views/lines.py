"""条线督促: the department's dashboard by line, a line unit's list read-only, 催办; keeping the links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.forms import add_service_errors
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify
from zuofeng.supervision.forms.lines import LineExcelForm, LineImportForm, LineLinkEditForm, LineLinkForm
from zuofeng.supervision.models import LineLink
from zuofeng.supervision.selectors.lines import line_dashboard, line_ledger
from zuofeng.supervision.services import lines as services


@login_required
@require_GET
def line_board(request):
    if may(request.user, "line.manage") and not may(request.user, "line.view"):
        return redirect("supervision:line_manage")
    if not may(request.user, "line.view"):
        raise PermissionDenied
    campaign = campaign_current()
    rows = line_dashboard(user=request.user, campaign=campaign) if campaign else []
    return render(request, "supervision/lines/board.html", {"rows": rows})


def _line_unit(user, unit_id: int) -> Unit:
    if not may(user, "line.view"):
        raise PermissionDenied
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not may(user, "line.view", unit):
        raise Http404
    return unit


@login_required
@require_GET
def line_unit(request, unit_id: int):
    unit = _line_unit(request.user, unit_id)
    campaign = campaign_current()
    ledger = line_ledger(user=request.user, unit=unit, campaign=campaign) if campaign else None
    audit_record(actor=request.user, action="line.view", obj=unit)
    return render(request, "supervision/lines/unit.html", {"unit": unit, "ledger": ledger})


@login_required
@require_POST
def line_unit_remind(request, unit_id: int):
    unit = _line_unit(request.user, unit_id)
    sent = services.line_remind(actor=request.user, unit=unit, text=request.POST.get("text", ""))
    messages.success(request, f"已催办 {sent} 人。" if sent else "今天已催办过该单位。")
    return redirect("supervision:line_board")


@login_required
@require_http_methods(["GET", "POST"])
def line_manage(request):
    if not may(request.user, "line.manage"):
        raise PermissionDenied
    form, import_form, excel_form = LineLinkForm(), LineImportForm(), LineExcelForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "excel":
                excel_form = LineExcelForm(request.POST, request.FILES)
                if excel_form.is_valid():
                    file = excel_form.cleaned_data["file"]
                    n = services.line_links_import_xlsx(actor=request.user, file=file)
                    messages.success(request, f"已从 Excel 导入 {n} 条条线关系。")
                    return redirect("supervision:line_manage")
            elif "text" in request.POST:
                import_form = LineImportForm(request.POST)
                if import_form.is_valid():
                    n = services.line_links_import(actor=request.user, text=import_form.cleaned_data["text"])
                    messages.success(request, f"已导入 {n} 条条线关系。")
                    return redirect("supervision:line_manage")
            else:
                form = LineLinkForm(request.POST)
                if form.is_valid():
                    services.line_link_add(actor=request.user, **form.cleaned_data)
                    messages.success(request, "已添加条线关系。")
                    return redirect("supervision:line_manage")
        except ValidationError as error:
            bound = excel_form if request.POST.get("action") == "excel" else import_form
            add_service_errors(bound if bound.is_bound else form, error)
    links = list(LineLink.objects.select_related("department", "unit"))
    units_qualify([link.unit for link in links])  # 16 × 经济发展局: the town tells them apart
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supervision/lines/manage.html",
        {"links": links, "form": form, "import_form": import_form, "excel_form": excel_form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, pk: int):
    if not may(request.user, "line.manage"):
        raise PermissionDenied
    link = get_object_or_404(LineLink.objects.select_related("department", "unit"), pk=pk)
    initial = {"department": link.department_id, "unit": link.unit_id, "line": link.line, "version": link.version}
    form = LineLinkEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_link_edit(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已修改条线关系。")
            return redirect("supervision:line_manage")
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/lines/edit.html", {"link": link, "form": form}, status=status)


@login_required
@require_POST
def line_remove(request, pk: int):
    link = get_object_or_404(LineLink, pk=pk)
    services.line_link_remove(actor=request.user, link=link)
    messages.success(request, "已删除条线关系。")
    return redirect("supervision:line_manage")
