"""问责案件: the office opens and decides; the leader of the subject's unit reads and files a statement.
Everyone else gets 403 (by role) or 404 (another unit's case); every reading is audited (selectors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.forms import add_service_errors
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.forms.cases import CaseForm, DecisionForm, StatementForm
from zuofeng.supervision.models import AccountabilityCase, CaseState
from zuofeng.supervision.selectors import cases as selectors
from zuofeng.supervision.services.cases import case_open, case_statement
from zuofeng.supervision.workflow import case_transition


@login_required
@require_GET
def case_list(request):
    if not may(request.user, "case.view"):
        raise PermissionDenied
    return render(
        request,
        "supervision/cases/list.html",
        {"cases": selectors.case_list_read(user=request.user), "can_manage": may(request.user, "case.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    if not may(request.user, "case.manage"):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_open(actor=request.user, campaign=campaign_current(), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已立案。")
            return redirect("supervision:case_detail", pk=case.pk)
    return render(request, "supervision/cases/form.html", {"form": form}, status=400 if form.errors else 200)


def _case(user, pk: int) -> AccountabilityCase:
    if not may(user, "case.view"):
        raise PermissionDenied
    try:
        return selectors.case_read(user=user, pk=pk)
    except AccountabilityCase.DoesNotExist:
        raise Http404 from None


def _detail(request, case, *, status: int = 200, **forms):
    is_open = case.state == CaseState.OPEN
    measures = {m.key: m.name for m in supervision_def(case.campaign).accountability_measures}
    context = {
        "case": case,
        "measure_name": measures.get(case.measure, case.measure),
        "can_state": is_open and may(request.user, "case.statement", case),
        "can_decide": is_open and may(request.user, "case.manage", case),
        "statement_form": forms.get("statement_form") or StatementForm(initial={"statement": case.statement}),
        "decision_form": forms.get("decision_form") or DecisionForm(campaign=case.campaign),
    }
    return render(request, "supervision/cases/detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request, pk: int):
    return _detail(request, _case(request.user, pk))


@login_required
@require_POST
def case_statement_file(request, pk: int):
    case = _case(request.user, pk)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            case_statement(actor=request.user, case=case, text=form.cleaned_data["statement"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "申辩意见已提交。")
            return redirect("supervision:case_detail", pk=case.pk)
    return _detail(request, case, status=400, statement_form=form)


@login_required
@require_POST
def case_decide(request, pk: int):
    case = _case(request.user, pk)
    form = DecisionForm(request.POST, campaign=case.campaign)
    if form.is_valid():
        try:
            case_transition(actor=request.user, case=case, to=CaseState.DECIDED, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "问责决定已记录。")
            return redirect("supervision:case_detail", pk=case.pk)
    return _detail(request, case, status=400, decision_form=form)
