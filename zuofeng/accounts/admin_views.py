"""Account administration (账号管理) by the system administrator: accounts, roles, passwords, locks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from zuofeng.accounts import services
from zuofeng.accounts.admin_changes import admin_change_request
from zuofeng.accounts.admin_forms import PasswordResetForm, RoleAssignForm, UserCreateForm
from zuofeng.accounts.models import (
    AccountOperation,
    AdminChangeRequest,
    AdminChangeState,
    LoginAttempt,
    Role,
    RoleAssignment,
    User,
)
from zuofeng.accounts.permissions import TWO_ADMINS, account_change_decision, account_target_kind, may
from zuofeng.core import clock
from zuofeng.core.paging import page_or_404


def _require_manage(request) -> None:
    if not may(request.user, "accounts.manage"):
        raise PermissionDenied


def _locked_usernames(usernames) -> set[str]:
    return set(
        LoginAttempt.objects.filter(username__in=usernames, locked_until__gt=clock.now()).values_list(
            "username", flat=True
        )
    )


SERVICE_TO_FORM_FIELD = {"password": "password1"}


def _needs_second_admin(actor, account, operation: str, role: str = "") -> bool:
    kind = account_target_kind(account, operation=operation, role=role)
    return account_change_decision(actor, operation=operation, target_kind=kind) == TWO_ADMINS


def _requested(request, account, **change) -> None:
    """File a 三员变更申请 instead of making the change; it takes effect when another administrator approves."""
    made = admin_change_request(actor=request.user, target=account, **change)
    messages.info(
        request,
        f"“{made.get_operation_display()}”涉及三员账号，已提交三员变更申请 #{made.pk}，"
        "须由安全管理员或审计管理员批准后生效。",
    )


def _errors_to_form(form, error: ValidationError, default_field: str) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = SERVICE_TO_FORM_FIELD.get(name, name)
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error)


@login_required
def user_list(request):
    _require_manage(request)
    query = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    users = (
        User.objects.select_related("person__unit")
        .prefetch_related(Prefetch("role_assignments", RoleAssignment.objects.select_related("unit").order_by("id")))
        .order_by("username")
    )
    if query:
        users = users.filter(Q(username__icontains=query) | Q(person__name__contains=query) | Q(first_name=query))
    if role in Role.values:
        users = users.filter(role_assignments__role=role).distinct()
    page = page_or_404(Paginator(users, 50), request.GET.get("page"))
    locked = _locked_usernames([u.username for u in page.object_list])
    context = {"page": page, "q": query, "role": role, "roles": Role.choices, "locked": locked}
    return render(request, "accounts/user_list.html", context)


@login_required
@sensitive_post_parameters("password1", "password2")
def user_create(request):
    _require_manage(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                person=data["person"],
                full_name=data["full_name"],
            )
        except ValidationError as error:
            _errors_to_form(form, error, "username")
        else:
            messages.success(request, f"已创建账号“{user.username}”，首次登录须修改密码。请为其分配角色。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _detail(request, account: User, *, role_form=None, password_form=None, status: int = 200):
    context = {
        "account": account,
        "assignments": account.role_assignments.select_related("unit").order_by("id"),
        "locked": bool(_locked_usernames([account.username])),
        "role_form": role_form or RoleAssignForm(),
        "password_form": password_form or PasswordResetForm(),
        "pending_changes": AdminChangeRequest.objects.filter(target=account, state=AdminChangeState.PENDING)
        .select_related("requested_by")
        .order_by("id"),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
def user_detail(request, pk: int):
    _require_manage(request)
    return _detail(request, get_object_or_404(User.objects.select_related("person__unit"), pk=pk))


@login_required
@require_POST
def user_role_add(request, pk: int):
    _require_manage(request)
    account = get_object_or_404(User, pk=pk)
    form = RoleAssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if _needs_second_admin(request.user, account, AccountOperation.GRANT, data["role"]):
                _requested(request, account, operation=AccountOperation.GRANT, role=data["role"])
                return redirect("accounts:user_detail", pk=account.pk)
            services.role_assign(
                actor=request.user,
                user=account,
                role=data["role"],
                unit=data["unit"],
                include_subtree=data["include_subtree"],
            )
        except ValidationError as error:
            _errors_to_form(form, error, "role")
        else:
            messages.success(request, f"已为“{account.username}”分配角色“{Role(data['role']).label}”。")
            return redirect("accounts:user_detail", pk=account.pk)
    return _detail(request, account, role_form=form)


@login_required
@require_POST
def user_role_remove(request, pk: int, assignment_pk: int):
    _require_manage(request)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user_id=pk)
    label = str(assignment)
    if _needs_second_admin(request.user, assignment.user, AccountOperation.REVOKE):
        try:
            _requested(request, assignment.user, operation=AccountOperation.REVOKE, role=assignment.role)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("accounts:user_detail", pk=pk)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, f"已移除角色“{label}”。")
    return redirect("accounts:user_detail", pk=pk)


@login_required
@require_POST
@sensitive_post_parameters("password1", "password2")
def user_password_reset(request, pk: int):
    _require_manage(request)
    account = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            if _needs_second_admin(request.user, account, AccountOperation.RESET_PASSWORD):
                password = form.cleaned_data["password1"]
                _requested(request, account, operation=AccountOperation.RESET_PASSWORD, password=password)
                return redirect("accounts:user_detail", pk=account.pk)
            services.password_change(actor=request.user, user=account, new_password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(
                "password1", error.error_dict.get("password", error) if hasattr(error, "error_dict") else error
            )
        else:
            messages.success(request, f"已重置“{account.username}”的密码，其下次登录须修改密码。")
            return redirect("accounts:user_detail", pk=account.pk)
    return _detail(request, account, password_form=form)


@login_required
@require_POST
def user_set_active(request, pk: int):
    _require_manage(request)
    account = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    operation = AccountOperation.ACTIVATE if active else AccountOperation.DEACTIVATE
    try:
        if account.pk != request.user.pk and _needs_second_admin(request.user, account, operation):
            _requested(request, account, operation=operation)
            return redirect("accounts:user_detail", pk=account.pk)
        services.user_set_active(actor=request.user, user=account, active=active)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已{'启用' if active else '停用'}账号“{account.username}”。")
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_POST
def user_unlock(request, pk: int):
    _require_manage(request)
    account = get_object_or_404(User, pk=pk)
    services.account_unlock(actor=request.user, username=account.username)
    messages.success(request, f"已解除“{account.username}”的登录锁定。")
    return redirect("accounts:user_detail", pk=account.pk)
