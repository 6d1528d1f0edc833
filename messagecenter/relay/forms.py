"""The form on the seller's sending-addresses page. It only reads input; the service
decides (valid address, not a masked one, not already there)."""

from __future__ import annotations

from django import forms


class ApprovedSenderForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        max_length=254,
        help_text="For example a shared support mailbox. We email it a link to confirm. "
        "Masked marketplace addresses and other accounts' addresses can't be added.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
