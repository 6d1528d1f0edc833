"""Forms of the API settings page. They read input; services decide."""

from __future__ import annotations

from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say which tool will use it, so you know what to revoke later.",
    )
