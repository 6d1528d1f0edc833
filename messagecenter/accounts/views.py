"""The person's own settings: language and time zone, which email they get, and a
buyer's opt-out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.locale import locale_set, time_zone_names
from messagecenter.accounts.lockout import sign_in_unlock
from messagecenter.accounts.password_reset import RecipientLocalePasswordResetForm
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
        locale_set(
            user=user,
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        preferences_update(user=user, choices=form.choices())
        if "opted_out_of_unsolicited" in form.fields:
            opt_out_set(user=user, opted_out=form.cleaned_data["opted_out_of_unsolicited"])
        messages.success(request, _("Your settings are saved."))
        return redirect("notification_settings")
    return render(
        request, "accounts/settings.html", {"form": form, "time_zones": time_zone_names()}
    )


class SitePasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email. The answer is the same whether or not the address
    has an account, so the page cannot be used to find out who is registered."""

    template_name = "registration/password_reset_form.html"
    form_class = RecipientLocalePasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property  # read at send time, so the link always uses the configured SITE_URL
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"site_url": settings.SITE_URL, "marketplace": settings.MARKETPLACE_NAME}


class SitePasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link; it also lifts a lock on the account."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        sign_in_unlock(users=[form.user])
        return response
