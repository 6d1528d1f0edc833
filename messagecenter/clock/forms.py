"""The "no response needed" form of the seller's conversation page."""

from __future__ import annotations

from django import forms


class NoResponseNeededForm(forms.Form):
    message = forms.IntegerField(widget=forms.HiddenInput)
