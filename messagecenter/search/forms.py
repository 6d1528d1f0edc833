from __future__ import annotations

from django import forms

from messagecenter.search.selectors import FILTER_LABELS, MAX_QUERY_LENGTH, SearchFilter
from messagecenter.threads.models import Side


class SearchForm(forms.Form):
    """What the search box sends: the words, and the inbox it was typed in with its filter."""

    q = forms.CharField(
        label="Search messages",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    side = forms.ChoiceField(
        choices=[("", "Everything"), *Side.choices], required=False, widget=forms.HiddenInput
    )
    filter = forms.ChoiceField(
        choices=[(f.value, FILTER_LABELS[f]) for f in SearchFilter], required=False
    )

    def side_value(self) -> Side | None:
        value = self.cleaned_data.get("side") if self.is_valid() else ""
        return Side(value) if value else None

    def filter_value(self) -> SearchFilter:
        value = self.cleaned_data.get("filter") if self.is_valid() else ""
        return SearchFilter(value) if value else SearchFilter.ALL
