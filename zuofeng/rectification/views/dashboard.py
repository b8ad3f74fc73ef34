"""整改工作看板, its drill-down list, and the 整改台账 exports (Excel, background job, Word)."""

import io
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import can_see_unit, may
from zuofeng.campaigns.models import Campaign, ObstructionCategory, ProblemSource, Symptom
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.cn import cn_date
from zuofeng.core.jobs import FINISHED, job_sweep
from zuofeng.core.paging import page_or_404
from zuofeng.core.storage import private_storage
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.exports import ledger_docx_write
from zuofeng.rectification.models import ExportJob, ExportState, Ledger, LedgerState, Light, MeasureState
from zuofeng.rectification.selectors import items_cache
from zuofeng.rectification.selectors.dashboard import dashboard_get, dashboard_items, dashboard_scope
from zuofeng.rectification.selectors.dashboard_cache import CACHE_SECONDS, dashboard_cache_key
from zuofeng.rectification.selectors.export import ledger_export_measures, ledger_export_records
from zuofeng.rectification.selectors.items_cache import items_cache_key, items_page_number
from zuofeng.rectification.services import export as export_services
from zuofeng.rectification.views import items_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 50


def _require(user, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied


def _campaign() -> Campaign:
    campaign = campaign_current()
    if campaign is None:
        raise Http404("尚未加载专项活动。")
    return campaign


def _root_id(request) -> int | None:
    raw = (request.GET.get("root") or request.POST.get("root") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("单位编号不正确。")
    return int(raw)


def _items_url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('rectification:dashboard_items')}?{query}"


def _drill_base(row, items_base: str) -> str:
    """Drill-down URL prefix of one line: its subtree as the new root, or the unit alone within the page's root."""
    if row.drill == "root":
        return f"{items_base.partition('?')[0]}?root={row.unit.pk}"
    return f"{items_base}unit={row.unit.pk}"


def _charts(board, items_base: str) -> dict:
    """Data for charts.js; each clickable point carries the drill-down URL of the items behind it."""
    lights = [Light.RED, Light.YELLOW, Light.GREEN, Light.CLOSED]
    bases = [_drill_base(row, items_base) for row in board.rows]
    return {
        "category": {
            "labels": [c["label"] for c in board.by_category],
            "values": [c["n"] for c in board.by_category],
            "urls": [f"{items_base}category={c['key']}" for c in board.by_category],
        },
        "lights": {
            "units": [_line_name(row) for row in board.rows],
            "series": [
                {
                    "name": Light(light).label,
                    "key": light,
                    "values": [row.lights[light] if light != Light.CLOSED else row.closed for row in board.rows],
                    "urls": [f"{base}&light={light}" for base in bases],
                }
                for light in lights
            ],
        },
        "closures": {
            "weeks": [f"{c['week'].month}月{c['week'].day}日当周" for c in board.closures],
            "values": [c["n"] for c in board.closures],
        },
    }


def _line_name(row) -> str:
    return f"{row.unit.display_name}（本级）" if row.own else row.unit.display_name


_LIGHT_CLASSES = {
    Light.RED: "text-bg-danger",
    Light.YELLOW: "text-bg-warning",
    Light.GREEN: "text-bg-success",
    Light.CLOSED: "text-bg-secondary",
    Light.NONE: "text-bg-light border",
}
# One string per table row: cheaper than an {% include %} per row on a page a leader reloads often.
_ROW = (
    '<tr><td data-value="{index}">{name}{members}</td><td>{ledger}</td>'
    '<td data-value="{problems}"><a href="{base}">{problems}</a></td>'
    '<td data-value="{measures}"><a href="{base}">{measures}</a></td>'
    '<td data-value="{submitted}"><a href="{base}&amp;flag=submitted">{submitted}</a></td>'
    '<td data-value="{approved}"><a href="{base}&amp;flag=approved">{approved}</a></td>'
    '<td data-value="{closed}"><a href="{base}&amp;flag=closed">{closed}</a></td>'
    '<td data-value="{overdue}"><a href="{base}&amp;flag=overdue"{late}>{overdue}</a></td>'
    '<td data-value="{rate}">{rate}%</td>'
    '<td data-value="{light}"><a href="{base}{light_filter}">'
    '<span class="badge {light_class}">{light_label}</span></a></td>'
    "</tr>"
)


def _rows_html(rows, *, items_base: str) -> str:
    parts = []
    for index, row in enumerate(rows):
        name = escape(_line_name(row))
        if row.drill == "root":
            # a subtree line opens the next level down: its own figures and one line per child
            name = f'<a href="?root={row.unit.pk}" title="查看其下级单位">{name}</a>'
        light = row.light  # the share rule, worked out once per line
        parts.append(
            _ROW.format(
                index=index,
                name=name,
                members=f' <span class="small text-muted">（含下级 {row.members} 个单位）</span>'
                if row.members > 1
                else "",
                ledger=row.ledger_state_label,
                base=escape(_drill_base(row, items_base)),
                problems=row.problems,
                measures=row.measures,
                submitted=row.submitted,
                approved=row.approved,
                closed=row.closed,
                overdue=row.overdue,
                late=' class="zf-late"' if row.overdue else "",
                rate=row.rate,
                light=light,
                light_filter="" if light == Light.NONE else f"&amp;light={light}",
                light_class=_LIGHT_CLASSES[light],
                light_label=Light(light).label,
            )
        )
    # every value is a number, a fixed label or escaped
    return mark_safe("".join(parts))


@login_required
def dashboard(request):
    _require(request.user, "ledger.dashboard")
    campaign = _campaign()
    root_id = _root_id(request)
    scope = dashboard_scope(user=request.user, campaign=campaign, root_id=root_id)
    items_base = _items_url(root=root_id) + ("&" if root_id else "")
    context = {
        "campaign": campaign,
        "root": scope.root,
        "items_base": items_base,
        "direct_limit": export_services.DIRECT_LIMIT,
        "export_lists": list(export_services.LISTS.items()),
        "recent_exports": ExportJob.objects.filter(requested_by=request.user).order_by("-id")[:5],
        "cache_minutes": CACHE_SECONDS // 60,
    }
    today = clock.today()
    key = dashboard_cache_key(scope=scope, today=today)  # before the figures: see dashboard_cache
    cached = cache.get(key)
    if cached is None:
        board = dashboard_get(scope=scope, today=today)
        board_context = {
            "board": board,
            "unit_rows": _rows_html(board.rows, items_base=items_base),
            "root": scope.root,
            "items_base": items_base,
            "charts": _charts(board, items_base),
        }
        context.update(board_context)  # for tests and debugging; the page itself uses board_html
        html = render_to_string("rectification/dashboard/_board.html", board_context)
        local = timezone.localtime(clock.now())
        cached = {"html": html, "computed_at": f"{cn_date(local)} {local:%H:%M:%S}"}
        cache.set(key, cached, CACHE_SECONDS)
    context["board_html"] = mark_safe(cached["html"])  # rendered by the template engine, escaped there
    context["computed_at"] = cached["computed_at"]
    return render(request, "rectification/dashboard/dashboard.html", context)


class CappedPaginator(Paginator):
    """Counts at most CAP rows: an exact count of a city's 100,000 red lights scans them all, and
    the dashboard number that was clicked already says how many there are."""

    CAP = 10_000

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.CAP, self._counted)

    @property
    def capped(self) -> bool:
        return self._counted > self.CAP


def _choices(choices, extra=()) -> list:
    return [("", "全部"), *choices, *extra]


class ItemsFilter(forms.Form):
    root = forms.IntegerField(required=False, min_value=1)
    unit = forms.IntegerField(required=False, min_value=1)
    category = forms.IntegerField(required=False, min_value=1)
    symptom = forms.IntegerField(required=False, min_value=1)
    source = forms.IntegerField(required=False, min_value=1)
    light = forms.ChoiceField(label="亮灯", required=False, choices=_choices(Light.choices))
    state = forms.ChoiceField(label="措施状态", required=False, choices=_choices(MeasureState.choices))
    ledger_state = forms.ChoiceField(label="清单状态", required=False, choices=_choices(LedgerState.choices))
    flag = forms.ChoiceField(
        label="范围",
        required=False,
        choices=_choices(
            [("submitted", "已提交"), ("approved", "已通过"), ("closed", "已销号"), ("open", "未销号")],
            [("overdue", "逾期")],
        ),
    )


@login_required
def items(request):
    _require(request.user, "ledger.dashboard")
    campaign = _campaign()
    form = ItemsFilter(request.GET)
    if not form.is_valid():
        return render(request, "rectification/dashboard/items.html", {"form": form, "root": None}, status=400)
    filters = form.cleaned_data
    scope = dashboard_scope(user=request.user, campaign=campaign, root_id=filters.pop("root"))
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()
    number = items_page_number(request.GET.get("page"))
    key = None
    if number is not None:  # before the table: see items_cache
        key = items_cache_key(scope=scope, filters=filters, page=number, query=query, today=clock.today())
    context = {"form": form, "root": scope.root, "campaign": campaign}
    part = cache.get(key) if key else None
    if part is None:
        drawn = _items_part(request, scope=scope, filters=filters, query=query, form=form)
        context.update(drawn)  # for tests and debugging; the page itself uses part
        part = drawn["part"]
        if key and "（不存在）" not in "".join(drawn["conditions"]):  # a new category bumps no marker
            cache.set(key, part, items_cache.CACHE_SECONDS)
    context["part"] = mark_safe(part)  # drawn by the template engine, escaped there
    return render(request, "rectification/dashboard/items.html", context)


def _items_part(request, *, scope, filters: dict, query: str, form) -> dict:
    """The count, the table and the page links of one page of items, drawn without the request (no
    person, session or CSRF token can enter it); 404 for a page that does not exist."""
    measures = dashboard_items(scope=scope, **filters).only(*items_rows.FIELDS)
    page = page_or_404(CappedPaginator(measures, PAGE_SIZE), request.GET.get("page"))
    page.object_list = list(page.object_list)
    units_qualify([m.unit for m in page.object_list])  # out of their tree here: 区教育局·办公室
    drawn = {
        "page": page,
        "root": scope.root,
        "query": query,
        "conditions": _conditions(form, filters, scope.user),
        "rows": items_rows.items_rows_html(page.object_list),
    }
    drawn["part"] = render_to_string("rectification/dashboard/_items_table.html", drawn)
    return drawn


_NAMED_FILTERS = {
    "unit": ("单位", Unit),
    "category": ("类别", ObstructionCategory),
    "symptom": ("具体表现", Symptom),
    "source": ("问题来源", ProblemSource),
}


def _conditions(form, filters: dict, user) -> list[str]:
    """The filters in words (“亮灯：红灯”), so a person knows what the number they clicked counted. A
    unit the person may not see is named as one that does not exist: trying ids must not tell them
    the names of units outside their area (its rows are out of their scope anyway)."""
    conditions = []
    for name, (label, model) in _NAMED_FILTERS.items():
        if filters.get(name):
            item = model.objects.filter(pk=filters[name]).first()
            if isinstance(item, Unit) and not can_see_unit(user, item):
                item = None
            name = (item.qualified_name if isinstance(item, Unit) else item.name) if item else "（不存在）"
            conditions.append(f"{label}：{name}")
    for name in ("light", "state", "ledger_state", "flag"):
        if filters.get(name):
            field = form.fields[name]
            conditions.append(f"{field.label}：{dict(field.choices)[filters[name]]}")
    return conditions


class ExportForm(forms.Form):
    """The export button's choice; a form without it (the ledger page's button) exports every list."""

    lists = forms.ChoiceField(
        label="导出哪些清单",
        required=False,
        choices=list(export_services.LISTS.items()),
        error_messages={"invalid_choice": "“导出哪些清单”只能选择“全部清单”或“仅审核通过的清单”。"},
    )


@login_required
@require_POST
def export(request):
    """Small scopes download at once; larger ones become a background job with a progress page."""
    _require(request.user, "ledger.view")
    scope = dashboard_scope(user=request.user, campaign=_campaign(), root_id=_root_id(request), action="ledger.view")
    form = ExportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors["lists"][0], content_type="text/plain; charset=utf-8")
    lists = form.cleaned_data["lists"] or export_services.LISTS_ALL
    approved_only = lists == export_services.LISTS_APPROVED
    total = ledger_export_measures(scope=scope, approved_only=approved_only).count()
    if total < export_services.DIRECT_LIMIT:
        buffer = io.BytesIO()
        export_services.ledger_export_direct(actor=request.user, scope=scope, target=buffer, lists=lists)
        buffer.seek(0)
        filename = export_services.ledger_export_filename(scope=scope)
        return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
    job = export_services.ledger_export_request(actor=request.user, scope=scope, total=total, lists=lists)
    return redirect("rectification:dashboard_export_job", pk=job.pk)


def _own_job(request, pk: int) -> ExportJob:
    # Another person's job is as good as missing: its existence is not theirs to know.
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
def export_job(request, pk: int):
    job = _own_job(request, pk)
    # A job whose worker died would otherwise show “正在导出” for ever: correct it before showing it.
    if job_sweep(ExportJob, [job], check_local_pids=True):
        job.refresh_from_db()
    percent = 100 if job.state == ExportState.DONE else (100 * job.done // job.total if job.total else 0)
    context = {
        "job": job,
        "percent": percent,
        "finished": job.state in FINISHED,
        "retention_days": settings.JOB_RETENTION_DAYS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "rectification/dashboard/_export_progress.html", context)
    return render(request, "rectification/dashboard/export_job.html", context)


@login_required
@require_POST
def export_retry(request, pk: int):
    """重新生成 a failed or deleted export with the same conditions."""
    job = export_services.ledger_export_retry(actor=request.user, job=_own_job(request, pk))
    return redirect("rectification:dashboard_export_job", pk=job.pk)


@login_required
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.state != ExportState.DONE or not job.file:
        raise Http404("导出文件尚未生成。")
    handle = private_storage().open(job.file.name, "rb")
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=XLSX)


@login_required
def word(request, unit_id: int):
    """One unit's own ledger as a Word table, for printing and stamping (单位盖章)."""
    _require(request.user, "ledger.view")
    unit = get_object_or_404(Unit, pk=unit_id)
    if not may(request.user, "ledger.view", unit):
        raise Http404
    campaign = _campaign()
    scope = dashboard_scope(user=request.user, campaign=campaign, action="ledger.view")
    ledger = Ledger.objects.filter(campaign=campaign, unit=unit).first()
    buffer = io.BytesIO()
    ledger_docx_write(
        target=buffer,
        title=export_services.ledger_export_title(campaign=campaign),
        # a top unit stamps with its full name; a section is named under its unit (区教育局·办公室)
        unit_name=unit.name if unit.parent_id is None else unit.qualified_name,
        ledger_state=ledger.get_state_display() if ledger else "尚未建立",
        records=ledger_export_records(ledger_export_measures(scope=scope, unit_id=unit.pk)),
        date=clock.today(),
    )
    buffer.seek(0)
    filename = f"{unit.qualified_name}整改台账.docx"
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=DOCX)
