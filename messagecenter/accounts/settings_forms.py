"""The settings page's form: email per kind, and a buyer's opt-out."""

from __future__ import annotations

from typing import Any

from django import forms

from messagecenter.accounts.models import NotificationPreference
from messagecenter.accounts.preferences import BUYER_KINDS, Kind, frequencies_for


class NotificationSettingsForm(forms.Form):
    opted_out_of_unsolicited = forms.BooleanField(
        label="Only messages I need",
        required=False,
        help_text="Sellers can still send what is needed to complete an order (delivery "
        "scheduling, invoices, problems with the order) and answer your questions. "
        "Other messages, such as product tips or review requests, are not delivered.",
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
        if is_seller and not user.orders.exists():
            del self.fields["opted_out_of_unsolicited"]

    def email_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("email_")]

    def choices(self) -> dict[str, str]:
        return {
            name.removeprefix("email_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("email_")
        }
