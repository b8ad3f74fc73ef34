"""三员变更申请 page: the three administrators file, approve, reject or withdraw requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from zuofeng.accounts.admin_changes import MOVE_LABELS, admin_change_move, admin_change_request
from zuofeng.accounts.admin_forms import AdminChangeForm
from zuofeng.accounts.models import AdminChangeRequest, AdminChangeState, User
from zuofeng.accounts.permissions import may, may_decide_admin_change

FORM_FIELDS = {"password": "password1", "reason": "reason", "role": "role"}


@login_required
@sensitive_post_parameters("password1", "password2")
def admin_change_list(request):
    if not may(request.user, "admin_change.view"):
        raise PermissionDenied
    form = AdminChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = User.objects.filter(username=data["username"].strip()).first()
        if target is None:
            form.add_error("username", f"账号“{data['username']}”不存在。")
        else:
            try:
                made = admin_change_request(
                    actor=request.user,
                    target=target,
                    operation=data["operation"],
                    role=data["role"],
                    password=data["password1"],
                    reason=data["reason"],
                )
            except PermissionDenied as refused:
                form.add_error("operation", str(refused))
            except ValidationError as error:
                for name, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                    form.add_error(FORM_FIELDS.get(name), errors)
            else:
                messages.success(request, f"已提交三员变更申请 #{made.pk}，须由另一名不同角色的管理员批准后生效。")
                return redirect("accounts:admin_change_list")
    changes = list(
        AdminChangeRequest.objects.select_related("target", "requested_by", "decided_by").order_by("-id")[:100]
    )
    for change in changes:
        pending = change.state == AdminChangeState.PENDING
        change.may_decide = pending and may_decide_admin_change(request.user, change)
        change.may_withdraw = pending and change.requested_by_id == request.user.pk
    status = 422 if form.errors else 200
    return render(request, "accounts/admin_changes.html", {"form": form, "changes": changes}, status=status)


@login_required
@require_POST
def admin_change_decide(request, pk: int, move: str):
    if move not in MOVE_LABELS or not may(request.user, "admin_change.view"):
        raise PermissionDenied
    change = get_object_or_404(AdminChangeRequest, pk=pk)
    try:
        admin_change_move(actor=request.user, change=change, move=move)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已{MOVE_LABELS[move]}三员变更申请 #{change.pk}。")
    return redirect("accounts:admin_change_list")
