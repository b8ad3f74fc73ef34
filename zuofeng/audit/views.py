"""The auditor's pages (审计管理员 only): list, detail, export, chain verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zuofeng.accounts.models import SecurityPolicy
from zuofeng.accounts.permissions import may
from zuofeng.audit import export, selectors
from zuofeng.audit.forms import AuditFilterForm
from zuofeng.audit.models import AuditEntry, AuditHead
from zuofeng.audit.services import audit_access
from zuofeng.audit.verify import audit_chain_check
from zuofeng.core import clock
from zuofeng.core.paging import page_or_404

PAGE_SIZE = 50


def _filter_form(request) -> AuditFilterForm | None:
    # Built only for the auditor: its choices read the trail.
    return AuditFilterForm(request.GET) if may(request.user, "audit.view") else None


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def entry_list(request):
    form = _filter_form(request)
    audit_access(actor=request.user, action="audit.view", detail=form.describe() if form else "")
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entry_list(actor=request.user, filters=filters)
    page = page_or_404(Paginator(entries, PAGE_SIZE), request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "retention_days": SecurityPolicy.current().audit_retention_days,
    }
    return render(request, "audit/list.html", context)


@login_required
def entry_detail(request, pk: int):
    audit_access(actor=request.user, action="audit.view_entry", object_type="audit.auditentry", object_id=str(pk))
    try:
        entry = selectors.audit_entry_get(actor=request.user, pk=pk)
    except AuditEntry.DoesNotExist:
        raise Http404
    return render(request, "audit/detail.html", {"entry": entry, "rows": selectors.diff_rows(entry)})


@login_required
def entry_export(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    form = _filter_form(request)
    if form is not None and not form.is_valid():
        messages.error(request, "筛选条件有误，请修改后再导出。")
        return redirect(f"{reverse('audit:list')}?{_query_without_page(request)}")
    # A fixed upper id, so rows appended while the file is written do not creep into it.
    up_to_id = AuditHead.objects.filter(pk=1).values_list("last_id", flat=True).first() or 0
    filters = {**(form.cleaned_data if form else {}), "up_to_id": up_to_id}
    count = selectors.audit_entry_list(actor=request.user, filters=filters).count() if form else 0
    if fmt == "xlsx" and count > export.XLSX_MAX_ROWS:
        messages.error(request, f"共 {count} 条，超过 Excel 单表上限，请缩小日期范围或改用 CSV 导出。")
        return redirect(f"{reverse('audit:list')}?{_query_without_page(request)}")
    detail = f"导出 {fmt.upper()}，共 {count} 条；{form.describe()}" if form else ""
    audit_access(actor=request.user, action="audit.export", detail=detail)
    entries = selectors.audit_entry_list(actor=request.user, filters=filters)
    filename = f"审计日志_{timezone.localtime(clock.now()):%Y%m%d%H%M}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(export.csv_rows(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
        return response
    return FileResponse(
        export.write_xlsx(entries),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
def chain_verify(request):
    result = audit_chain_check(actor=request.user)
    return render(
        request,
        "audit/verify.html",
        {"result": result, "retention_days": SecurityPolicy.current().audit_retention_days},
    )
