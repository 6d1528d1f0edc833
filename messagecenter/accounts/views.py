"""The person's own settings: which email they get, and a buyer's opt-out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.preferences import preferences_update
from messagecenter.accounts.selectors import is_seller_member
from messagecenter.accounts.services import opt_out_set
from messagecenter.accounts.settings_forms import NotificationSettingsForm


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = NotificationSettingsForm(
        request.POST or None,
        user=user,
        is_seller=is_seller_member(user),
    )
    if request.method == "POST" and form.is_valid():
        preferences_update(user=user, choices=form.choices())
        if "opted_out_of_unsolicited" in form.fields:
            opt_out_set(user=user, opted_out=form.cleaned_data["opted_out_of_unsolicited"])
        messages.success(request, "Your settings are saved.")
        return redirect("notification_settings")
    return render(request, "accounts/settings.html", {"form": form})
