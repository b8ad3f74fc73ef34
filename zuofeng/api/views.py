"""Token pages (not part of the API itself): each user's own tokens, and every token for 安全管理员."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zuofeng.accounts.permissions import may
from zuofeng.api import services
from zuofeng.api.forms import TokenCreateForm
from zuofeng.api.selectors import api_token_list, api_token_list_all
from zuofeng.core import clock


@never_cache  # the response may carry a raw token, shown this once
@login_required
def token_list(request):
    may_create = may(request.user, "api_token.create")
    if request.method == "POST" and not may_create:
        raise PermissionDenied
    form = TokenCreateForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name" if hasattr(error, "error_dict") else None, error)
        else:
            form = TokenCreateForm()
    context = {
        "form": form,
        "issued": issued,
        "may_create": may_create,
        "lifetime_days": services.TOKEN_LIFETIME.days,
        "now": clock.now(),
        "tokens": api_token_list(user=request.user),
    }
    return render(request, "api/tokens.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已吊销，使用它的程序将无法再访问接口。")
    return redirect("api_tokens:list")


@login_required
def token_admin(request):
    """全部接口令牌: 安全管理员 sees who holds which token and revokes any (the secret is never stored)."""
    tokens = api_token_list_all(actor=request.user)
    page = Paginator(tokens, 50).get_page(request.GET.get("page"))
    return render(request, "api/token_admin.html", {"page": page, "now": clock.now()})


@require_POST
@login_required
def token_admin_revoke(request, pk: int):
    token = get_object_or_404(api_token_list_all(actor=request.user), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"已吊销账号“{token.user.username}”的令牌“{token.name}”。")
    return redirect("api_tokens:admin")
