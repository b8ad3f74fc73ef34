"""The office's and the unit's pages on cases: lists, a case, its moves, moderation, attachments,
and (office only) the reporter's identity, read on request and audited."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.audit.services import audit_record
from zuofeng.complaints.exports import complaint_sheet_response
from zuofeng.complaints.forms.handling import MoveForm, RedactForm
from zuofeng.complaints.models import Attachment, Complaint, ComplaintState
from zuofeng.complaints.selectors.cases import OFFICE_FILTER_LABELS, OFFICE_FILTERS, complaint_light, complaints_for
from zuofeng.complaints.services.office import attachment_check, complaint_redact, reporter_identity_read
from zuofeng.complaints.workflow import MOVES, OFFICE, UNIT, complaint_transition
from zuofeng.core.forms import add_service_errors
from zuofeng.core.paging import page_or_404
from zuofeng.core.uploads import CONTENT_TYPES
from zuofeng.organisation.models import Unit


def office_only(request) -> None:
    if not may(request.user, "complaint.manage"):
        raise PermissionDenied


def _case(request, pk: int) -> Complaint:
    complaint = complaints_for(request.user).select_related("campaign", "merged_into", "problem").filter(pk=pk).first()
    if complaint is None or not may(request.user, "complaint.view", complaint):
        raise Http404("没有这件群众反映，或您无权查看。")
    return complaint


def _page(request, queryset):
    page = page_or_404(Paginator(queryset.order_by("-received_at", "-id"), 30), request.GET.get("page"))
    for c in page.object_list:
        c.light, c.light_words = complaint_light(c)
    return page


@login_required
def office_list(request):
    office_only(request)
    chosen = request.GET.get("show", "received")
    queryset = complaints_for(request.user)
    if chosen in OFFICE_FILTERS:
        queryset = queryset.filter(state__in=OFFICE_FILTERS[chosen])
    else:
        chosen = "all"
    return render(
        request,
        "complaints/office/list.html",
        {"page": _page(request, queryset), "chosen": chosen, "filters": OFFICE_FILTER_LABELS},
    )


@login_required
def unit_list(request):
    if not may(request.user, "complaint.view"):
        raise PermissionDenied
    return render(request, "complaints/unit/list.html", {"page": _page(request, complaints_for(request.user))})


def _moves(complaint: Complaint, who: str) -> list[str]:
    return [to for (current, to), (actor, _) in MOVES.items() if current == complaint.state and actor == who]


def _detail(request, complaint: Complaint, *, form=None, redact_form=None, identity=None, status=200):
    office = may(request.user, "complaint.manage")
    complaint.light, complaint.light_words = complaint_light(complaint)
    moves = (
        _moves(complaint, OFFICE)
        if office
        else (_moves(complaint, UNIT) if may(request.user, "complaint.handle", complaint) else [])
    )
    attachments = [a for a in complaint.attachments.all() if office or a.for_unit]
    posted = form.data.get("to") if form is not None else None
    move_forms = [
        {
            "to": to,
            "label": MOVES[(complaint.state, to)][1],
            "form": form if to == posted else MoveForm(initial={"to": to}, campaign=complaint.campaign, prefix=None),
        }
        for to in moves
    ]
    context = {"c": complaint, "move_forms": move_forms, "attachments": attachments, "S": ComplaintState}
    if office:
        events = complaint.events.select_related("actor")
        suggested = complaint.unit or complaint.reported_unit
        context |= {
            "events": events,
            "identity": identity,
            "suggested_unit": suggested,
            "redact_form": redact_form or RedactForm(initial={"text": complaint.text, "version": complaint.version}),
        }
        return render(request, "complaints/office/detail.html", context, status=status)
    context["events"] = complaint.events.select_related("actor")
    return render(request, "complaints/unit/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, _case(request, pk))


@login_required
@require_POST
def move(request, pk: int):
    complaint = _case(request, pk)
    form = MoveForm(request.POST, campaign=complaint.campaign)
    if form.is_valid():
        d = form.cleaned_data
        fields = {k: d.get(k) for k in ("deadline", "extension_until", "granted", "reply", "obstruction_category")}
        if d.get("unit"):
            fields["unit"] = Unit.objects.filter(pk=d["unit"], is_active=True).first()
        if d.get("merged_into"):
            fields["merged_into"] = Complaint.objects.filter(code=d["merged_into"].strip().upper()).first()
        try:
            complaint_transition(
                actor=request.user, complaint=complaint, to=d["to"], comment=d.get("comment", ""), **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("complaints:detail", pk=pk)
    return _detail(request, complaint, form=form, status=400)


@login_required
@require_POST
def identity(request, pk: int):
    complaint = _case(request, pk)
    return _detail(
        request, complaint, identity=reporter_identity_read(actor=request.user, complaint=complaint) or "anonymous"
    )


@login_required
@require_POST
def redact(request, pk: int):
    office_only(request)
    complaint = _case(request, pk)
    form = RedactForm(request.POST)
    if form.is_valid():
        try:
            complaint_redact(
                actor=request.user,
                complaint=complaint,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("complaints:detail", pk=pk)
    return _detail(request, complaint, redact_form=form, status=400)


@login_required
@require_POST
def attachment_decide(request, pk: int, attachment_pk: int):
    office_only(request)
    complaint = _case(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, complaint=complaint)
    attachment_check(actor=request.user, attachment=attachment, withhold=request.POST.get("withhold") == "1")
    return redirect("complaints:detail", pk=pk)


@login_required
def attachment_file(request, pk: int, attachment_pk: int):
    complaint = _case(request, pk)
    attachment = Attachment.objects.filter(pk=attachment_pk, complaint=complaint).select_related("complaint").first()
    if attachment is None or not may(request.user, "complaint.attachment", attachment):
        raise Http404("没有这个附件，或作风办尚未审看。")
    return FileResponse(
        attachment.file.open("rb"),
        content_type=CONTENT_TYPES[attachment.kind],
        as_attachment=attachment.kind == "pdf",
        filename=attachment.public_name,
    )


@login_required
def sheet(request, pk: int):
    """The case's 交办单 in Word, for whoever may read the case; it carries nothing of the reporter."""
    complaint = _case(request, pk)
    audit_record(actor=request.user, action="complaint.sheet", obj=complaint)
    return complaint_sheet_response(complaint=complaint)
