"""我的申报: a unit's nominations — list, fill in (with autosave), submit with the stamped scan, withdraw."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.models import Award
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.core import clock
from zuofeng.core.uploads import CONTENT_TYPES, EXTENSIONS
from zuofeng.core.wordcount import word_count
from zuofeng.nominations.forms import NominationForm, ScanForm
from zuofeng.nominations.models import Nomination, NominationState, Opinion
from zuofeng.nominations.selectors import nominations as selectors
from zuofeng.nominations.services.forms import (
    data_errors,
    data_for_draft,
    display_value,
    form_fields,
    is_empty,
    masked_value,
)
from zuofeng.nominations.services.lifecycle import (
    EDITABLE_STATES,
    nomination_create_draft,
    nomination_save_draft,
    nomination_submit,
    nomination_withdraw,
)
from zuofeng.nominations.workflow import submission_closes_at
from zuofeng.organisation.models import Unit


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@login_required
def mine(request):
    # The three administrators (三员) see no business data; judges work from their judging page.
    if not may(request.user, "nomination.edit") and not may(request.user, "award.manage"):
        raise PermissionDenied
    campaign = campaign_current()
    units = selectors.nominating_units(request.user)
    sections = [
        {"unit": unit, "awards": selectors.unit_award_overview(user=request.user, unit=unit, campaign=campaign)}
        for unit in units
    ]
    return render(
        request,
        "nominations/nominate/mine.html",
        {"campaign": campaign, "sections": sections, "is_office": may(request.user, "award.manage")},
    )


def _new(request, award_id: int) -> tuple[Award, Unit, Nomination]:
    """The award and unit of a form not yet saved, and an unsaved nomination standing for it."""
    award = get_object_or_404(Award.objects.select_related("campaign"), pk=award_id, is_active=True)
    unit_id = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = get_object_or_404(Unit, pk=int(unit_id) if unit_id.isdigit() else 0)
    probe = Nomination(award=award, campaign=award.campaign, unit=unit)
    if not may(request.user, "nomination.edit", probe):
        raise PermissionDenied("您无权为该单位填写申报。")
    return award, unit, probe


def _created_draft(request, award: Award, unit: Unit) -> Nomination | None:
    """The draft this form created at its first save: its id comes back in the form (None before that)."""
    pk = request.POST.get("nomination", "")
    if not pk.isdigit():
        return None
    nomination = selectors.nomination_get(user=request.user, pk=int(pk))
    if (nomination.award_id, nomination.unit_id) != (award.pk, unit.pk):
        raise Http404
    return nomination


@login_required
def create(request, award_id: int):
    """A blank form: nothing is stored until the first save (button or autosave), which creates the draft."""
    award, unit, probe = _new(request, award_id)
    if not award.form:
        messages.error(request, f"“{award.name}”不接受申报。")
        return redirect("nominations:mine")
    if request.method != "POST":
        form = NominationForm(award=award)
        return render(request, "nominations/nominate/edit.html", _edit_context(probe, form))
    draft = _created_draft(request, award, unit)
    if draft is not None:
        return edit(request, draft.pk)
    submitting = request.POST.get("action") == "submit"
    form = NominationForm(request.POST, award=award, submitting=submitting)
    form.is_valid()
    try:
        nomination = nomination_create_draft(actor=request.user, award=award, unit=unit, data=form.raw)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("nominations:mine")
    return _saved(request, nomination, form, submitting=submitting)


@login_required
@require_POST
def create_autosave(request, award_id: int):
    award, unit, _probe = _new(request, award_id)
    draft = _created_draft(request, award, unit)
    if draft is not None:
        return autosave(request, draft.pk)
    form = NominationForm(request.POST, award=award)
    form.is_valid()
    if all(is_empty(value) for value in data_for_draft(award, form.raw).values()):
        return HttpResponse("")  # nothing typed yet: no draft
    try:
        nomination = nomination_create_draft(actor=request.user, award=award, unit=unit, data=form.raw)
    except ValidationError as error:
        return render(request, "nominations/nominate/_autosave.html", {"error": error.messages[0]})
    context = {"nomination": nomination, "saved_at": timezone.localtime(clock.now()), "created": True}
    return render(request, "nominations/nominate/_autosave.html", context)


def _edit_context(nomination, form, **extra) -> dict:
    closes_at = submission_closes_at(award=nomination.award, unit=nomination.unit)
    return {
        "closed": closes_at is not None and clock.now() > closes_at,
        "nomination": nomination,
        "award": nomination.award,
        "form": form,
        "rows": _form_rows(nomination.award, form),
        "standing": selectors.quota_standing(award=nomination.award, unit=nomination.unit),
        "closes_at": closes_at,
        "version": nomination.version,
        **extra,
    }


def _form_rows(award, form) -> list[list[dict]]:
    """The form's rows as printed (the opinion block left out): bound field, honours rows, 字数 so far."""
    rows = []
    for row in award.form.get("rows", []):
        cells = []
        for f in row:
            if f["key"] not in form.fields:
                continue
            bound = form[f["key"]]
            cell = {"field": bound, "honours_rows": None, "count": 0}
            if f.get("type") == "honours":
                cell["honours_rows"] = form.honour_rows(f["key"])
            elif f.get("max_chars"):
                cell["count"] = word_count(str(bound.value() or ""))
            cells.append(cell)
        if cells:
            rows.append(cells)
    return rows


@login_required
def edit(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    if not may(request.user, "nomination.edit", nomination):
        raise PermissionDenied("您无权修改该申报。")
    if nomination.state not in EDITABLE_STATES:
        messages.info(request, f"该申报当前为“{nomination.get_state_display()}”，不能修改；如需修改请先撤回。")
        return redirect("nominations:detail", pk=pk)
    award = nomination.award
    if request.method != "POST":
        form = NominationForm(award=award, initial=nomination.data)
        return render(request, "nominations/nominate/edit.html", _edit_context(nomination, form))
    submitting = request.POST.get("action") == "submit"
    form = NominationForm(request.POST, award=award, submitting=submitting)
    form.is_valid()
    try:
        nomination_save_draft(actor=request.user, nomination=nomination, data=form.raw, version=_version(request))
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return render(request, "nominations/nominate/edit.html", _edit_context(nomination, form, stale=True))
    return _saved(request, nomination, form, submitting=submitting)


def _saved(request, nomination, form, *, submitting: bool):
    if form.errors:
        note = "已保存草稿，但标出的内容须改正后才能报送。" if submitting else "草稿已保存；标出的内容在报送前须改正。"
        messages.warning(request, note)
        return render(request, "nominations/nominate/edit.html", _edit_context(nomination, form))
    if submitting:
        return redirect("nominations:submit", pk=nomination.pk)
    messages.success(request, "草稿已保存。")
    return redirect("nominations:edit", pk=nomination.pk)


@login_required
@require_POST
def autosave(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    form = NominationForm(request.POST, award=nomination.award)
    form.is_valid()
    context = {"nomination": nomination}
    try:
        nomination_save_draft(actor=request.user, nomination=nomination, data=form.raw, version=_version(request))
        context["saved_at"] = timezone.localtime(clock.now())
    except (ValidationError, PermissionDenied) as error:
        context["error"] = error.messages[0] if isinstance(error, ValidationError) else str(error)
    return render(request, "nominations/nominate/_autosave.html", context)


@login_required
def submit(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    if not may(request.user, "nomination.submit", nomination):
        raise PermissionDenied("只有本单位管理员可以报送申报。")
    scan_form = ScanForm(request.POST or None, request.FILES or None)
    problems: dict = {}
    general = ""
    if request.method == "POST" and scan_form.is_valid():
        try:
            nomination_submit(
                actor=request.user, nomination=nomination, stamped_scan=scan_form.cleaned_data["stamped_scan"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                problems = {k: v[0].messages[0] for k, v in error.error_dict.items()}
                if "stamped_scan" in problems:
                    scan_form.add_error("stamped_scan", problems.pop("stamped_scan"))
            else:
                general = error.messages[0]
        else:
            messages.success(request, f"“{nomination.title or nomination.award.name}”已报送。")
            return redirect("nominations:detail", pk=pk)
    elif nomination.state in EDITABLE_STATES:
        problems = data_errors(nomination.award, nomination.data)
    fields = {f.key: f for f in form_fields(nomination.award)}
    return render(
        request,
        "nominations/nominate/submit.html",
        {
            "nomination": nomination,
            "award": nomination.award,
            "scan_form": scan_form,
            "problems": [(fields[k].name, message) for k, message in problems.items() if k in fields],
            "general": general,
            "values": _values(nomination, private=True),
            "standing": selectors.quota_standing(award=nomination.award, unit=nomination.unit),
            "closes_at": submission_closes_at(award=nomination.award, unit=nomination.unit),
        },
    )


def _values(nomination, *, private: bool) -> list[tuple[str, str]]:
    shown = []
    for field in form_fields(nomination.award):
        value = nomination.data.get(field.key)
        text = display_value(field, value) if private or not field.private else masked_value(field, value)
        shown.append((field.label, text))
    return shown


@login_required
def detail(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    user = request.user
    private = may(user, "nomination.view_private", nomination)
    return render(
        request,
        "nominations/nominate/detail.html",
        {
            "nomination": nomination,
            "award": nomination.award,
            "values": _values(nomination, private=private),
            "private": private,
            "standing": selectors.quota_standing(award=nomination.award, unit=nomination.unit),
            "closes_at": submission_closes_at(award=nomination.award, unit=nomination.unit),
            "can_edit": nomination.state in EDITABLE_STATES and may(user, "nomination.edit", nomination),
            "can_submit": nomination.state in EDITABLE_STATES and may(user, "nomination.submit", nomination),
            "can_withdraw": nomination.state in (NominationState.SUBMITTED, NominationState.OPINION_GIVEN)
            and may(user, "nomination.withdraw", nomination),
            "opinion": Opinion.objects.filter(nomination=nomination).first(),
            "events": [
                (e, NominationState(e.to_state).label if e.to_state in NominationState.values else e.to_state)
                for e in nomination.events.select_related("actor")[:20]
            ],
        },
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk)
    try:
        nomination_withdraw(actor=request.user, nomination=nomination, reason=request.POST.get("reason", "").strip())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已撤回。截止前可以修改后重新报送。")
    return redirect("nominations:detail", pk=pk)


@login_required
def scan(request, pk: int):
    nomination = selectors.nomination_get(user=request.user, pk=pk, action="nomination.view_private")
    if not nomination.stamped_scan:
        raise Http404("没有盖章扫描件")
    name = nomination.stamped_scan_name or os.path.basename(nomination.stamped_scan.name)
    kind = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    return FileResponse(
        nomination.stamped_scan.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
