"""The webhook settings form. It reads input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from messagecenter.webhooks.models import WebhookEvent


class WebhookForm(forms.Form):
    business = forms.ChoiceField(label=_("Seller business"))
    url = forms.URLField(
        label=_("URL"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("An HTTPS address on the public internet that answers POST with 2xx."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[e.value for e in WebhookEvent],
    )

    def __init__(self, *args: Any, businesses: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["business"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(pk), name) for pk, name in businesses]
        if len(businesses) == 1:
            field.widget = forms.HiddenInput()
            field.initial = str(businesses[0][0])
