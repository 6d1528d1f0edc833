"""The "no response needed" form of the seller's conversation page."""

from __future__ import annotations

from django import forms

from messagecenter.core.ids import IdField


class NoResponseNeededForm(forms.Form):
    message = IdField(widget=forms.HiddenInput)
