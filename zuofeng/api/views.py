"""A page where each user creates and revokes their own API tokens (not part of the API itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zuofeng.api import services
from zuofeng.api.forms import TokenCreateForm
from zuofeng.api.selectors import api_token_list


@never_cache  # the response may carry a raw token, shown this once
@login_required
def token_list(request):
    form = TokenCreateForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name" if hasattr(error, "error_dict") else None, error)
        else:
            form = TokenCreateForm()
    context = {"form": form, "issued": issued, "tokens": api_token_list(user=request.user)}
    return render(request, "api/tokens.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已吊销，使用它的程序将无法再访问接口。")
    return redirect("api_tokens:list")
