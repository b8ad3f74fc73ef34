"""回头看: planning a sample of closed measures (office), verifying each (team), reopening (office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.forms import add_service_errors
from zuofeng.supervision.forms.rechecks import RecheckForm, VerifyForm
from zuofeng.supervision.models import RecheckItem, RecheckSample, Verdict
from zuofeng.supervision.selectors import rechecks as selectors
from zuofeng.supervision.services.rechecks import recheck_create, recheck_reopen, recheck_verify


@login_required
@require_GET
def recheck_list(request):
    if not may(request.user, "recheck.view"):
        raise PermissionDenied
    return render(
        request,
        "supervision/rechecks/list.html",
        {"samples": selectors.samples_visible(user=request.user), "can_manage": may(request.user, "recheck.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recheck_new(request):
    if not may(request.user, "recheck.manage"):
        raise PermissionDenied
    form = RecheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = recheck_create(
                actor=request.user,
                campaign=campaign_current(),
                name=data["name"],
                scope=data["scope"],
                size=data["size"],
                seed=data["seed"],
                team=list(data["team"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已抽取 {sample.items.count()} 件已销号措施。")
            return redirect("supervision:recheck_detail", pk=sample.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/rechecks/form.html", {"form": form}, status=status)


def _sample(user, pk: int) -> RecheckSample:
    if not may(user, "recheck.view"):
        raise PermissionDenied
    try:
        return selectors.sample_visible(user=user, pk=pk)
    except RecheckSample.DoesNotExist:
        raise Http404 from None


def _detail(request, sample: RecheckSample, *, error_item=None, error_messages=(), status: int = 200):
    return render(
        request,
        "supervision/rechecks/detail.html",
        {
            "sample": sample,
            "items": selectors.sample_items(sample=sample),
            "can_verify": may(request.user, "recheck.verify", sample),
            "can_reopen": may(request.user, "measure.reopen"),
            "error_item": error_item,
            "error_messages": error_messages,
            "pending": Verdict.PENDING,
            "not_fixed": Verdict.NOT_FIXED,
        },
        status=status,
    )


@login_required
@require_GET
def recheck_detail(request, pk: int):
    return _detail(request, _sample(request.user, pk))


def _item(user, pk: int, item_pk: int) -> tuple[RecheckSample, RecheckItem]:
    sample = _sample(user, pk)
    item = RecheckItem.objects.filter(pk=item_pk, sample=sample).select_related("measure", "finding").first()
    if item is None:
        raise Http404
    return sample, item


@login_required
@require_POST
def recheck_item_verify(request, pk: int, item_pk: int):
    sample, item = _item(request.user, pk, item_pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            recheck_verify(
                actor=request.user,
                item=item,
                verdict=form.cleaned_data["verdict"],
                text=form.cleaned_data["text"],
                severity=form.cleaned_data["severity"] or "general",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "核查结论已保存。")
            return redirect("supervision:recheck_detail", pk=sample.pk)
    messages_ = [e for errs in form.errors.values() for e in errs]
    return _detail(request, sample, error_item=item.pk, error_messages=messages_, status=400)


@login_required
@require_POST
def recheck_item_reopen(request, pk: int, item_pk: int):
    sample, item = _item(request.user, pk, item_pk)
    try:
        recheck_reopen(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "措施已重新打开，计为纸面销号。")
    return redirect("supervision:recheck_detail", pk=sample.pk)
