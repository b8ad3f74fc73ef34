from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from zuofeng.accounts import services
from zuofeng.accounts.forms import LoginForm, PasswordChangeForm
from zuofeng.accounts.home import my_work
from zuofeng.audit.services import audit_record


@sensitive_post_parameters("password")
def login_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_authenticate(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except services.LoginRefused as refused:
            form.add_error(None, str(refused))
        else:
            login(request, user)
            target = request.POST.get("next") or request.GET.get("next")
            if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "home"
            if user.must_change_password:
                messages.warning(request, "您的密码由管理员设置，请先修改密码。")
                return redirect("accounts:password_change")
            return redirect(target)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="auth.logout")
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
@sensitive_post_parameters()
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change_own(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except services.OldPasswordRefused as refused:
            if refused.locked:
                logout(request)
                messages.error(request, str(refused))
                return redirect("accounts:login")
            form.add_error("old_password", str(refused))
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def home(request):
    return render(request, "accounts/home.html", my_work(user=request.user))
