"""The unit's list page: a table edited in place with htmx, Excel template and import.

Successful adds, deletes and moves answer with the whole table (HX-Retarget #ledger-table);
an edit answers with its own row. Without htmx every POST redirects back to the page.

Fast entry chains the forms: a saved new problem answers with the table and its first measure's
form open; a saved new measure with the next measure's form of the same problem; that form sent
blank (Enter on an empty 整改措施) with the next problem's form. New rows start from the row above
(问题来源 and 查摆日期; 责任领导, 责任单位 and 开始日期), so a clerk types only what differs.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.forms import add_service_errors
from zuofeng.core.frames import framed
from zuofeng.core.paging import page_or_404
from zuofeng.core.pieces import CSRF_SLOT
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.forms.ledger import ImportForm, MeasureForm, ProblemForm
from zuofeng.rectification.models import Ledger, LedgerState
from zuofeng.rectification.selectors import ledger as selectors
from zuofeng.rectification.selectors.ledger_cache import CACHE_SECONDS, ledger_page_key
from zuofeng.rectification.selectors.ledger_rows import ledger_lines
from zuofeng.rectification.services import ledger as services
from zuofeng.rectification.services.importer import ledger_import
from zuofeng.rectification.services.ledger_template import ledger_template
from zuofeng.rectification.views.ledger_rows import Rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
T = "rectification/ledger/"


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _access(user, ledger) -> dict:
    can_edit = may(user, "ledger.edit", ledger)
    return {
        "can_edit": can_edit,
        "editable": can_edit and ledger.state in services.EDITABLE_STATES,
        "can_add": can_edit and ledger.state != LedgerState.SUBMITTED,
    }


def _require_edit(user, ledger) -> None:
    if not may(user, "ledger.edit", ledger):
        raise PermissionDenied("您无权修改该单位的整改清单。")


def _rows(ledger, access: dict, open_measure_for: int | None = None) -> Rows:
    return Rows(ledger_pk=ledger.pk, unit_name=ledger.unit.display_name, open_measure_for=open_measure_for, **access)


def _table_context(
    user, ledger, notice: str = "", *, open_measure=None, open_problem: bool = False, access: dict | None = None
) -> dict:
    """The table; `open_measure` (a problem) or `open_problem` opens the next entry form in it."""
    problems = ledger_lines(ledger=ledger)
    access = access or _access(user, ledger)
    context = {"ledger": ledger, "notice": notice, **access}
    if open_measure is not None and access["can_add"]:
        context["open_measure_for"] = open_measure.pk
        context["open_measure_form"] = _new_measure_form(ledger, open_measure)
    elif open_problem and access["can_add"]:
        context["open_problem_form"] = _new_problem_form(ledger)
    rows = _rows(ledger, access, context.get("open_measure_for"))
    context["rows"] = [(problem, rows.body(problem)) for problem in problems]
    context["measure_count"] = sum(len(problem.measures) for problem in problems)
    return context


def _table_response(request, ledger, notice: str = "", **open_next):
    if not _htmx(request):
        return redirect("rectification:ledger_detail", pk=ledger.pk)
    ledger.refresh_from_db(fields=["state", "version"])
    response = render(request, T + "_table.html", _table_context(request.user, ledger, notice, **open_next))
    response["HX-Retarget"] = "#ledger-table"
    response["HX-Reswap"] = "outerHTML"
    return response


def _rebind_version(form_class, request, *, ledger, prefix: str, version: int):
    """After a stale save: keep what was typed, but carry the current version so a re-save is deliberate."""
    data = request.POST.copy()
    data[f"{prefix}-version"] = str(version)
    form = form_class(data, ledger=ledger, prefix=prefix)
    form.is_valid()
    return form


def _form_response(request, template: str, context: dict):
    if _htmx(request):
        return render(request, T + template, context)
    return render(request, T + "form_page.html", {**context, "row_template": T + template})


@login_required
def ledger_list(request):
    user = request.user
    if not may(user, "ledger.view"):
        raise PermissionDenied
    campaign = campaign_current()
    page = page_or_404(Paginator(selectors.ledger_list(user=user), 100), request.GET.get("page"))
    selectors.ledger_counts(ledgers=page.object_list)
    units_qualify([ledger.unit for ledger in page.object_list])  # 55 units are called 办公室
    openable = [u for u in selectors.units_editable(user=user) if may(user, "ledger.edit", u)]
    have = set()
    if campaign is not None:
        have = set(Ledger.objects.filter(campaign=campaign, unit__in=openable).values_list("unit_id", flat=True))
    context = {"page": page, "ledgers": page.object_list, "campaign": campaign, "openable": openable, "have": have}
    return render(request, T + "list.html", context)


@login_required
@require_POST
def ledger_open(request):
    campaign = campaign_current()
    unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
    if campaign is None:
        messages.error(request, "尚未导入专项活动，暂不能建立整改清单。")
        return redirect("rectification:ledger_list")
    ledger = services.ledger_get_or_create(actor=request.user, unit=unit, campaign=campaign)
    if not may(request.user, "ledger.view", ledger):
        raise PermissionDenied
    return redirect("rectification:ledger_detail", pk=ledger.pk)


def _shared_part(ledger, access: dict, can_review: bool) -> dict:
    """The part of the page every viewer with these rights sees alike — the heading with its buttons,
    the table and the history — drawn without the request, so nothing of the person or their session
    (navigation, messages) can enter it, and with a slot for the CSRF token that each request fills
    (core/pieces.py); cached under selectors/ledger_cache.ledger_page_key."""
    heading = {"ledger": ledger, "import_form": ImportForm(), "can_review": can_review, **access}
    body = render_to_string(T + "_heading.html", {**heading, "csrf_token": CSRF_SLOT})
    body += render_to_string(T + "_table.html", _table_context(None, ledger, access=access))
    body += render_to_string("rectification/review/_history.html", {"ledger": ledger})
    return {"title": ledger.unit.qualified_name, "body": body, "slot": CSRF_SLOT}


@login_required
def ledger_detail(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk, marked=True)  # checks the right to see it
    access = _access(request.user, ledger)
    can_review = ledger.state == LedgerState.SUBMITTED and may(request.user, "ledger.review", ledger)
    key = ledger_page_key(ledger=ledger, access={**access, "can_review": can_review}, today=clock.today())
    part = cache.get(key)
    if part is None:
        part = _shared_part(ledger, access, can_review)
        cache.set(key, part, CACHE_SECONDS)
    return framed(request, T + "detail.html", shown={"title": part["title"]}, part=part)


@login_required
def ledger_table(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    return render(request, T + "_table.html", _table_context(request.user, ledger))


# --- problems -----------------------------------------------------------------------------


def _problem_values(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def _new_problem_form(ledger, data=None) -> ProblemForm:
    last = selectors.previous_problem(ledger=ledger)
    initial = {"found_on": last.found_on if last else clock.today(), "source": last.source_id if last else None}
    return ProblemForm(data, ledger=ledger, prefix="pnew", initial=initial)


@login_required
def problem_new(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    form = _new_problem_form(ledger, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(actor=request.user, ledger=ledger, **_problem_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _table_response(request, ledger, open_measure=problem)
    return _form_response(request, "_problem_form.html", {"ledger": ledger, "form": form, "problem": None})


@login_required
def problem_row(request, pk: int, problem_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    lines = ledger_lines(ledger=ledger, problem_id=problem_id)
    if not lines:
        raise Http404("没有这个问题")
    return HttpResponse(_rows(ledger, _access(request.user, ledger)).problem(lines[0]))


@login_required
def problem_edit(request, pk: int, problem_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    problem = selectors.problem_get(ledger=ledger, pk=problem_id)
    if request.method == "GET" and (
        services.problem_is_locked(problem) or not _access(request.user, ledger)["editable"]
    ):
        return problem_row(request, pk, problem_id)  # nothing to edit: show the row as it now is
    prefix = f"p{problem.pk}"
    initial = {
        "category": problem.category,
        "symptom": problem.symptom,
        "source": problem.source,
        "source_detail": problem.source_detail,
        "description": problem.description,
        "benchmarks": list(problem.benchmarks.all()),
        "found_on": problem.found_on,
        "version": problem.version,
    }
    form = ProblemForm(request.POST or None, ledger=ledger, prefix=prefix, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(
                actor=request.user, problem=problem, version=form.cleaned_data["version"], data=_problem_values(form)
            )
        except services.StaleVersion as error:
            stale = error
            form = _rebind_version(ProblemForm, request, ledger=ledger, prefix=prefix, version=error.obj.version)
            form.add_error(None, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not _htmx(request):
                return redirect("rectification:ledger_detail", pk=ledger.pk)
            return problem_row(request, pk, problem_id)
    context = {"ledger": ledger, "form": form, "problem": problem, "stale": stale}
    return _form_response(request, "_problem_form.html", context)


def _post_version(request):
    value = request.POST.get("version")
    return int(value) if value and value.isdigit() else None


def _refusal(request, ledger, error: ValidationError):
    """A refused delete or move: say why above the table, which is redrawn as it now is."""
    notice = "；".join(error.messages)
    if not _htmx(request):
        messages.error(request, notice)
    return _table_response(request, ledger, notice=notice)


@login_required
@require_POST
def problem_delete(request, pk: int, problem_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    problem = selectors.problem_get(ledger=ledger, pk=problem_id)
    try:
        services.problem_delete(actor=request.user, problem=problem, version=_post_version(request))
    except ValidationError as error:
        return _refusal(request, ledger, error)
    return _table_response(request, ledger)


@login_required
@require_POST
def problem_move(request, pk: int, problem_id: int, direction: str):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    ids = list(ledger.problems.order_by("order", "id").values_list("pk", flat=True))
    if problem_id not in ids or direction not in ("up", "down"):
        raise Http404
    try:
        services.problem_reorder(
            actor=request.user,
            ledger=ledger,
            ordered_ids=services.moved(ids, problem_id, -1 if direction == "up" else 1),
        )
    except ValidationError as error:
        return _refusal(request, ledger, error)
    return _table_response(request, ledger)


# --- measures -----------------------------------------------------------------------------


def _new_measure_form(ledger, problem, data=None) -> MeasureForm:
    last = selectors.previous_measure(ledger=ledger, problem=problem)
    initial = {"starts_on": clock.today()}
    if last is not None:
        initial = {
            "responsible_leader": last.responsible_leader,
            "responsible_unit": last.responsible_unit,
            "starts_on": last.starts_on,
        }
    return MeasureForm(data, ledger=ledger, prefix=f"mnew{problem.pk}", initial=initial)


def _left_blank(form) -> bool:
    return not any(form.data.get(form.add_prefix(name), "").strip() for name in ("text", "standard"))


@login_required
def measure_new(request, pk: int, problem_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    problem = selectors.problem_get(ledger=ledger, pk=problem_id)
    form = _new_measure_form(ledger, problem, request.POST if request.method == "POST" else None)
    if request.method == "POST" and problem.measures.all() and _left_blank(form):
        return _table_response(request, ledger, open_problem=True)  # done with this problem: next one
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.measure_create(actor=request.user, problem=problem, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("then") == "problem":
                return _table_response(request, ledger, open_problem=True)
            return _table_response(request, ledger, open_measure=problem)
    context = {"ledger": ledger, "form": form, "problem": problem, "measure": None}
    return _form_response(request, "_measure_form.html", context)


@login_required
def measure_row(request, pk: int, measure_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    lines = ledger_lines(ledger=ledger, measure_id=measure_id)
    if not lines:
        raise Http404("没有这条整改措施")
    return HttpResponse(_rows(ledger, _access(request.user, ledger)).measure(lines[0].measures[0], lines[0]))


@login_required
def measure_edit(request, pk: int, measure_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    measure = selectors.measure_get(ledger=ledger, pk=measure_id)
    if request.method == "GET" and (
        services.measure_is_locked(measure) or not _access(request.user, ledger)["editable"]
    ):
        return measure_row(request, pk, measure_id)
    prefix = f"m{measure.pk}"
    initial = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
    initial["version"] = measure.version
    form = MeasureForm(request.POST or None, ledger=ledger, prefix=prefix, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.measure_update(
                actor=request.user, measure=measure, version=form.cleaned_data["version"], data=values
            )
        except services.StaleVersion as error:
            stale = error
            form = _rebind_version(MeasureForm, request, ledger=ledger, prefix=prefix, version=error.obj.version)
            form.add_error(None, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not _htmx(request):
                return redirect("rectification:ledger_detail", pk=ledger.pk)
            return measure_row(request, pk, measure_id)
    context = {"ledger": ledger, "form": form, "problem": measure.problem, "measure": measure, "stale": stale}
    return _form_response(request, "_measure_form.html", context)


@login_required
@require_POST
def measure_delete(request, pk: int, measure_id: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    measure = selectors.measure_get(ledger=ledger, pk=measure_id)
    try:
        services.measure_delete(actor=request.user, measure=measure, version=_post_version(request))
    except ValidationError as error:
        return _refusal(request, ledger, error)
    return _table_response(request, ledger)


@login_required
@require_POST
def measure_move(request, pk: int, measure_id: int, direction: str):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    measure = selectors.measure_get(ledger=ledger, pk=measure_id)
    if direction not in ("up", "down"):
        raise Http404
    ids = list(measure.problem.measures.order_by("order", "id").values_list("pk", flat=True))
    try:
        services.measure_reorder(
            actor=request.user,
            problem=measure.problem,
            ordered_ids=services.moved(ids, measure.pk, -1 if direction == "up" else 1),
        )
    except ValidationError as error:
        return _refusal(request, ledger, error)
    return _table_response(request, ledger)


# --- dependent fields -----------------------------------------------------------------------


def _param(request, suffix: str) -> str:
    """The value of the one GET parameter ending in `suffix` (form prefixes differ per row)."""
    for key, value in request.GET.items():
        if key.endswith(suffix) and value.isdigit():
            return value
    return ""


@login_required
def ledger_symptoms(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    category_id = _param(request, "category")
    symptoms = ledger.campaign.symptoms.filter(is_active=True, category_id=category_id or 0)
    return render(request, T + "_options.html", {"options": symptoms, "empty": "（不选）"})


def _tree_unit(ledger, unit_id: str) -> Unit | None:
    """A unit of the ledger's own tree (the only ones a measure may name), or None."""
    return Unit.objects.filter(pk=unit_id or 0, path__startswith=ledger.unit.path).first()


@login_required
def ledger_people(request, pk: int):
    """The 责任人 typeahead: people matching a name or pinyin initials, within the chosen 责任单位."""
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    q = request.GET.get("q", "")
    unit = _tree_unit(ledger, _param(request, "unit"))
    people = selectors.ledger_people(user=request.user, ledger=ledger, q=q, unit=unit)
    return render(request, T + "_people_options.html", {"people": people, "q": q.strip()})


# --- Excel ----------------------------------------------------------------------------------


@login_required
def ledger_template_download(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    response = HttpResponse(ledger_template(campaign=ledger.campaign), content_type=XLSX)
    name = f"{ledger.unit.display_name}整改清单模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def ledger_import_view(request, pk: int):
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    _require_edit(request.user, ledger)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = ledger_import(actor=request.user, ledger=ledger, uploaded=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.ok:
                messages.success(request, f"导入成功：{result.summary()}。")
                return redirect("rectification:ledger_detail", pk=ledger.pk)
    return render(request, T + "import.html", {"ledger": ledger, "form": form, "result": result})
