"""The office's 通报 pages: write, fill (typed, from results, from supervision), release field by field,
publish (曝光) and withdraw, or send internally to chosen units (内部通报)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core.forms import add_service_errors
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.notices.documents import bulletin_document, document_response
from zuofeng.notices.forms.bulletins import BulletinForm, ItemForm, SendForm
from zuofeng.notices.models import BULLETIN_FIELDS, PERSONAL_FIELDS, Bulletin
from zuofeng.notices.services import bulletins as services
from zuofeng.supervision.models import CaseState, FindingState
from zuofeng.supervision.selectors.cases import case_list_read, cases_visible
from zuofeng.supervision.selectors.rounds import findings_visible


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


def _findings(user, bulletin):
    """Confirmed findings not yet in this bulletin (the office sees them all)."""
    return (
        findings_visible(user=user)
        .filter(state=FindingState.CONFIRMED)
        .exclude(pk__in=bulletin.items.filter(finding__isnull=False).values("finding"))
        .order_by("-found_on", "id")
    )


def _cases(user, bulletin, *, listing: bool):
    """Decided cases not yet in this bulletin; listing them on the page is a case read, audited."""
    cases = cases_visible(user=user).filter(state=CaseState.DECIDED)
    cases = cases.exclude(pk__in=bulletin.items.filter(case__isnull=False).values("case"))
    if listing:
        ids = {c.pk for c in case_list_read(user=user)}
        return [c for c in cases.order_by("-decided_on", "id") if c.pk in ids]
    return cases


@login_required
def detail(request, pk: int, item_form=None, send_form=None):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    criticism = bulletin.kind == "criticism" and bulletin.state == "draft"
    context = {
        "bulletin": bulletin,
        "items": bulletin.items.all(),
        "fields": BULLETIN_FIELDS,
        "personal": PERSONAL_FIELDS,
        "item_form": item_form or ItemForm(),
        "selected": _selected(bulletin) if bulletin.kind == "praise" else [],
        "findings": _findings(request.user, bulletin) if criticism else [],
        "cases": _cases(request.user, bulletin, listing=True) if criticism else [],
        "send_form": send_form or SendForm(),
    }
    return render(request, "notices/bulletins/detail.html", context, status=400 if item_form or send_form else 200)


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


@login_required
@require_POST
def from_supervision(request, pk: int):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    findings = list(_findings(request.user, bulletin).filter(pk__in=_ids(request.POST.getlist("findings"))))
    cases = list(_cases(request.user, bulletin, listing=False).filter(pk__in=_ids(request.POST.getlist("cases"))))
    try:
        services.bulletin_items_from_supervision(actor=request.user, bulletin=bulletin, findings=findings, cases=cases)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("notices:bulletin", pk)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
@require_POST
def send(request, pk: int):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    form = SendForm(request.POST)
    if form.is_valid():
        released = {i.pk: request.POST.getlist(f"release-{i.pk}") for i in bulletin.items.all()}
        units = [u.pk for u in form.cleaned_data["units"]]
        try:
            bulletin = services.bulletin_send(actor=request.user, bulletin=bulletin, released=released, unit_ids=units)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已印发（{bulletin.notice.doc_number}），各单位签收情况见未签收表。")
            return redirect("notices:bulletin", pk)
    return detail(request, pk, send_form=form)


@login_required
def document(request, pk: int, fmt: str):
    """The bulletin as Word or PDF in GB/T 9704 layout (a sent one: the notice it was issued as)."""
    _office(request.user)
    bulletin = get_object_or_404(Bulletin, pk=pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    return document_response(bulletin_document(bulletin), fmt=fmt, name=bulletin.title)
