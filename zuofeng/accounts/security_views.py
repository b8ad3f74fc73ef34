"""The security-policy page (安全策略) of 安全管理员: password, lockout, idle and retention rules."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from zuofeng.accounts import services
from zuofeng.accounts.models import SecurityPolicy
from zuofeng.backups.selectors import backup_last_seen


class SecurityPolicyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in services.POLICY_FIELDS:
            label = str(SecurityPolicy._meta.get_field(name).verbose_name)
            low, high, message = services.POLICY_LIMITS[name]
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=low,
                max_value=high,
                widget=forms.NumberInput(attrs={"min": low, "max": high}),
                help_text=f"可设置 {low}–{high}",
                error_messages={
                    "required": f"请填写{label}。",
                    "invalid": f"{label}须为整数。",
                    "min_value": message,
                    "max_value": message,
                },
            )


@login_required
def security_policy(request):
    services.security_page_access(actor=request.user)
    if request.method == "POST" and "unlock" in request.POST:
        username = request.POST["unlock"]
        services.account_unlock(actor=request.user, username=username)
        messages.success(request, f"已解除账号“{username}”的登录锁定。")
        return redirect("accounts:security_policy")
    policy = SecurityPolicy.current()
    initial = {name: getattr(policy, name) for name in services.POLICY_FIELDS}
    form = SecurityPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "安全策略已保存，新的规则立即生效。")
            return redirect("accounts:security_policy")
    context = {
        "form": form,
        "policy": policy,
        "locks": services.login_locks_current(actor=request.user),
        "backup": backup_last_seen(actor=request.user),
    }
    return render(request, "accounts/security_policy.html", context)
