"""The office's board: per award who has submitted and who has not, 催办, extensions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.campaigns.models import Award
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.nominations.forms import ExtensionForm
from zuofeng.nominations.selectors.board import campaign_board, nominating_unit_list, units_to_chase
from zuofeng.nominations.services.lifecycle import deadline_extension_grant, nomination_remind
from zuofeng.organisation.models import Unit


def _office(user) -> None:
    if not may(user, "award.manage"):
        raise PermissionDenied("只有作风办可以查看申报情况。")


@login_required
def board(request, extension_form=None, extension_award=None):
    _office(request.user)
    campaign = campaign_current()
    return render(
        request,
        "nominations/board/board.html",
        {
            "campaign": campaign,
            "boards": campaign_board(campaign=campaign),
            "units": nominating_unit_list(),
            "extension_form": extension_form,
            "extension_award": extension_award,
        },
    )


@login_required
@require_POST
def remind(request, award_id: int):
    _office(request.user)
    award = get_object_or_404(Award, pk=award_id)
    if request.POST.get("unit"):
        units = [get_object_or_404(Unit, pk=request.POST["unit"])]
    else:
        units = units_to_chase(award=award)
    sent = nomination_remind(actor=request.user, award=award, units=units)
    names = "、".join(u.display_name for u in units[:5]) + ("等" if len(units) > 5 else "")
    if sent:
        messages.success(request, f"已向{names}共 {len(units)} 个单位催办“{award.name}”（{sent} 人）。")
    else:
        messages.warning(request, f"{names or '这些单位'}没有可接收催办的单位管理员账号。")
    return redirect("nominations:board")


@login_required
@require_POST
def extend(request):
    _office(request.user)
    form = ExtensionForm(request.POST)
    award = Award.objects.filter(pk=request.POST.get("award") or 0).first()
    if award is None:
        messages.error(request, "没有这个奖项。")
        return redirect("nominations:board")
    if form.is_valid():
        unit = Unit.objects.filter(pk=form.cleaned_data["unit"], parent__isnull=True).first()
        if unit is None:
            form.add_error("unit", "请选择申报单位。")
        else:
            until = form.cleaned_data["until"]
            until = timezone.make_aware(until) if timezone.is_naive(until) else until
            try:
                deadline_extension_grant(
                    actor=request.user, award=award, unit=unit, until=until, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, problems)
            else:
                messages.success(request, f"已同意{unit.display_name}“{award.name}”延期申报。")
                return redirect("nominations:board")
    response = board(request, extension_form=form, extension_award=award)
    response.status_code = 400
    return response
