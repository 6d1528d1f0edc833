"""The password reset email, written in the account's language and zone: the person who
owns the address reads it, whatever language the page that asked for it was in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm

from messagecenter.accounts.locale import in_the_locale_of


class RecipientLocalePasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with in_the_locale_of(context["user"]):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
