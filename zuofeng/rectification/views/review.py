"""审核把关 pages: submit, the reviewer's queue, item-by-item review, history, change requests, 9月15日 tracking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current, campaign_get
from zuofeng.core.forms import add_service_errors
from zuofeng.rectification.forms.review import (
    ChangeDecisionForm,
    ChangeRequestForm,
    ChaseForm,
    MilestoneFilterForm,
    ReviewForm,
)
from zuofeng.rectification.models import ChangeState, ItemReview, LedgerEvent, LedgerState
from zuofeng.rectification.selectors import milestone as milestone_selectors
from zuofeng.rectification.selectors import review as selectors
from zuofeng.rectification.services import review as services
from zuofeng.rectification.views import review_rows
from zuofeng.rectification.views.milestone_rows import tracking_rows


def _ledger_url(pk: int) -> str:
    return f"/rectification/ledgers/{pk}/"


def _measure_url(pk: int) -> str:
    return f"/rectification/measures/{pk}/"


def _visible_ledger(user, pk: int):
    ledger = selectors.ledger_for_user(user=user, pk=pk)
    if ledger is None:
        raise Http404("没有这份整改清单")
    return ledger


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _stale_message(*, who: str, at) -> str:
    return f"该条目已被 {who} 于 {timezone.localtime(at):%H:%M} 修改，请核对后再保存。"


@login_required
@require_POST
def ledger_submit(request, pk: int):
    ledger = _visible_ledger(request.user, pk)
    try:
        services.ledger_submit(actor=request.user, ledger=ledger)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "整改清单已提交，等待审核单位审核。")
    return redirect(_ledger_url(ledger.pk))


@login_required
def review_queue(request):
    if not may(request.user, "ledger.review"):
        raise PermissionDenied
    queue = selectors.review_queue(user=request.user)
    rows = {
        "ledger_count": len(queue["ledgers"]),
        "ledger_rows": review_rows.ledger_rows(queue["ledgers"]),
        "change_rows": review_rows.change_rows(queue["changes"]),
        "close_rows": review_rows.close_rows(queue["closes"]),
    }
    return render(request, "rectification/review/queue.html", {**queue, **rows})


@login_required
def ledger_review(request, pk: int):
    user = request.user
    ledger = _visible_ledger(user, pk)
    if not may(user, "ledger.review", ledger):
        raise PermissionDenied
    problems = list(selectors.problems_to_review(ledger=ledger))
    form = ReviewForm(request.POST or None, problems=problems, initial={"version": ledger.version})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != ledger.version:
            last = LedgerEvent.objects.filter(ledger=ledger).select_related("actor", "actor__person").first()
            who = last.actor.display_name if last and last.actor_id else "他人"
            form.add_error(None, _stale_message(who=who, at=last.at if last else ledger.updated_at))
        else:
            try:
                services.ledger_review(actor=user, ledger=ledger, decisions=form.decisions())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if ledger.state == LedgerState.APPROVED:
                    messages.success(request, f"已审核通过{ledger.unit.display_name}的整改清单。")
                else:
                    messages.warning(request, f"已将{ledger.unit.display_name}的整改清单退回修改。")
                return redirect("rectification:review_queue")
    context = {
        "ledger": ledger,
        "form": form,
        "reviewable": ledger.state == LedgerState.SUBMITTED,
        "counts": selectors.reviewed_problem_count(ledger=ledger),
        "ItemReview": ItemReview,
    }
    return render(request, "rectification/review/ledger_review.html", context)


@login_required
def ledger_history(request, pk: int):
    ledger = _visible_ledger(request.user, pk)
    return render(request, "rectification/review/history.html", {"ledger": ledger})


@login_required
def change_new(request, measure_id: int):
    user = request.user
    measure = selectors.measure_for_user(user=user, pk=measure_id)
    if measure is None:
        raise Http404("没有这项整改措施")
    if not may(user, "measure.request_change", measure):
        raise PermissionDenied
    form = ChangeRequestForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != measure.version:
            last = measure.events.select_related("actor", "actor__person").order_by("-at", "-id").first()
            who = last.actor.display_name if last and last.actor_id else "他人"
            form.add_error(None, _stale_message(who=who, at=last.at if last else measure.updated_at))
        else:
            try:
                services.change_request_create(
                    actor=user, measure=measure, new_values=form.new_values(), reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "变更申请已提交，等待审核单位审核。")
                return redirect(_measure_url(measure.pk))
    context = {"measure": measure, "form": form, "measure_url": _measure_url(measure.pk)}
    return render(request, "rectification/review/change_form.html", context)


@login_required
def change_decide(request, pk: int):
    user = request.user
    change = selectors.change_for_user(user=user, pk=pk)
    if change is None:
        raise Http404("没有这项变更申请")
    can_decide = change.state == ChangeState.PENDING and may(user, "change.decide", change)
    form = ChangeDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may(user, "change.decide", change):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.change_request_decide(
                    actor=user,
                    change=change,
                    approve=form.cleaned_data["approve"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "已同意变更。" if change.state == ChangeState.APPROVED else "已退回变更申请。"
                )
                return redirect("rectification:review_queue")
    selectors.change_rows([change])
    context = {
        "change": change,
        "measure": change.measure,
        "form": form,
        "can_decide": can_decide,
        "measure_url": _measure_url(change.measure_id),
    }
    return render(request, "rectification/review/change_decide.html", context)


def _tracking_campaign(request):
    slug = request.GET.get("campaign") or request.POST.get("campaign")
    campaign = campaign_get(slug=slug) if slug else campaign_current()
    if campaign is None:
        raise Http404("尚未导入专项活动")
    return campaign


@login_required
def milestone(request):
    user = request.user
    if not may(user, "reminder.send"):
        raise PermissionDenied
    campaign = _tracking_campaign(request)
    filters = MilestoneFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    tracking = milestone_selectors.milestone_tracking(
        user=user, campaign=campaign, status=status, late=filters.late_value()
    )
    query = request.GET.copy()
    query.pop("page", None)
    page = milestone_selectors.tracking_page(tracking=tracking, number=request.GET.get("page"))
    context = {
        "campaign": campaign,
        "tracking": tracking,
        "page": page,
        "rows": tracking_rows(request, page, campaign),
        "page_query": query.urlencode(),
        "filters": filters,
        "chase_form": ChaseForm(units=milestone_selectors.tracked_units(user=user)),
    }
    return render(request, "rectification/review/milestone.html", context)


@login_required
@require_POST
def milestone_chase(request):
    user = request.user
    if not may(user, "reminder.send"):
        raise PermissionDenied
    campaign = _tracking_campaign(request)
    form = ChaseForm(request.POST, units=milestone_selectors.tracked_units(user=user))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("rectification:milestone")
    if form.cleaned_data["all_late"]:
        units = milestone_selectors.milestone_tracking(user=user, campaign=campaign, late=True).chase_units
    else:
        units = list(form.cleaned_data["units"].order_by("sort_key"))
    if not units:
        messages.info(request, "没有需要催办的逾期单位。")
        return redirect("rectification:milestone")
    sent = services.reminder_chase(actor=user, units=units, message=form.cleaned_data["message"], campaign=campaign)
    names = "、".join(u.display_name for u in units[:5]) + ("等" if len(units) > 5 else "")
    messages.success(request, f"已向{names}{len(units)}个单位发出催办，共通知{len(sent)}人。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "rectification:milestone"
    return redirect(target or "rectification:milestone")
