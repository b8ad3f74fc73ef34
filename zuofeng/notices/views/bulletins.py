"""The office's 通报 pages: write, fill, release field by field, publish (曝光) and withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.forms import add_service_errors
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.notices.forms.bulletins import BulletinForm, ItemForm
from zuofeng.notices.models import BULLETIN_FIELDS, PERSONAL_FIELDS, Bulletin
from zuofeng.notices.services import bulletins as services


def _office(user) -> None:
    if not may(user, "bulletin.manage"):
        raise PermissionDenied("只有作风办可以发布通报。")


@login_required
def index(request, form=None):
    _office(request.user)
    context = {"bulletins": Bulletin.objects.all(), "form": form or BulletinForm()}
    return render(request, "notices/bulletins/list.html", context, status=400 if form else 200)


@login_required
@require_POST
def create(request):
    _office(request.user)
    form = BulletinForm(request.POST)
    if form.is_valid():
        try:
            bulletin = services.bulletin_create(actor=request.user, campaign=campaign_current(), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notices:bulletin", bulletin.pk)
    return index(request, form=form)


def _selected(bulletin):
    return (
        Nomination.objects.filter(state=NominationState.SELECTED)
        .exclude(bulletinitem__bulletin=bulletin)
        .select_related("award", "unit")
        .order_by("award__order", "unit__sort_key")
    )


@login_required
def detail(request, pk: int, item_form=None):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    context = {
        "bulletin": bulletin,
        "items": bulletin.items.all(),
        "fields": BULLETIN_FIELDS,
        "personal": PERSONAL_FIELDS,
        "item_form": item_form or ItemForm(),
        "selected": _selected(bulletin) if bulletin.kind == "praise" else [],
    }
    return render(request, "notices/bulletins/detail.html", context, status=400 if item_form else 200)


@login_required
@require_POST
def item_add(request, pk: int):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.bulletin_item_add(actor=request.user, bulletin=bulletin, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notices:bulletin", pk)
    return detail(request, pk, item_form=form)


@login_required
@require_POST
def from_results(request, pk: int):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    chosen = list(_selected(bulletin).filter(pk__in=request.POST.getlist("nominations")))
    try:
        services.bulletin_items_from_results(actor=request.user, bulletin=bulletin, nominations=chosen)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("notices:bulletin", pk)


@login_required
@require_POST
def publish(request, pk: int):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    released = {i.pk: request.POST.getlist(f"release-{i.pk}") for i in bulletin.items.all()}
    try:
        services.bulletin_publish(actor=request.user, bulletin=bulletin, released=released)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已曝光：公开页面只显示所勾选的栏目。")
    return redirect("notices:bulletin", pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    try:
        services.bulletin_withdraw(actor=request.user, bulletin=bulletin)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已撤回，公开页面不再显示该通报。")
    return redirect("notices:bulletin", pk)
