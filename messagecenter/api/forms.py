"""Forms of the API settings page. They read input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say which tool will use it, so you know what to revoke later."),
    )
