"""Settings pages: personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.api.forms import ApiTokenForm
from messagecenter.api.tokens import (
    NewToken,
    access_token_of_user,
    api_token_create,
    api_token_revoke,
    tokens_for_user,
)
from messagecenter.core.errors import UserFacingError


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ApiTokenForm(request.POST or None)
    created: NewToken | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created = api_token_create(user=user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        except UserFacingError as error:
            form.add_error("name", error.message)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": tokens_for_user(user)},
        status=400 if request.method == "POST" and created is None else 200,
    )


@login_required
@require_POST
def api_token_revoke_view(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = access_token_of_user(request.user, token_id)
    api_token_revoke(token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens")
