"""The settings page's form: language and time zone, email per kind, and a buyer's
opt-out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from messagecenter.accounts.locale import (
    is_time_zone,
    language_choices,
    language_of,
    zone_of,
)
from messagecenter.accounts.models import NotificationPreference
from messagecenter.accounts.preferences import BUYER_KINDS, Kind, frequencies_for


class NotificationSettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_(
            "Dates and times on the pages and in your email are shown in this zone. "
            "Type a city to find it, such as Europe/Berlin."
        ),
        # The page's <datalist id="time-zones"> offers every zone while typing.
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    opted_out_of_unsolicited = forms.BooleanField(
        label=_("Only messages I need"),
        required=False,
        help_text=_(
            "Sellers can still send what is needed to complete an order (delivery "
            "scheduling, invoices, problems with the order) and answer your questions. "
            "Other messages, such as product tips or review requests, are not delivered."
        ),
    )

    def __init__(self, *args: Any, user: Any, is_seller: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = list(Kind) if is_seller else list(BUYER_KINDS)
        current = {kind: frequencies_for([user], kind)[user.pk] for kind in kinds}
        for kind in kinds:
            self.fields[f"email_{kind.value}"] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationPreference.Frequency.choices,
                initial=current[kind],
            )
        self.initial.setdefault("opted_out_of_unsolicited", user.opted_out_of_unsolicited)
        self.initial.setdefault("language", language_of(user))
        self.initial.setdefault("time_zone", str(zone_of(user)))
        if is_seller and not user.orders.exists():
            del self.fields["opted_out_of_unsolicited"]

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if not is_time_zone(name):
            raise forms.ValidationError(
                _(
                    "“%(name)s” is not a time zone. Choose one from the list, such as "
                    "Europe/Berlin or America/New_York."
                ),
                params={"name": name},
                code="unknown_time_zone",
            )
        return name

    def email_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("email_")]

    def choices(self) -> dict[str, str]:
        return {
            name.removeprefix("email_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("email_")
        }
