from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from messagecenter.search.selectors import FILTER_LABELS, MAX_QUERY_LENGTH, SearchFilter
from messagecenter.threads.models import Side


class SearchForm(forms.Form):
    """What the search box sends: the words, and the inbox it was typed in with its filter."""

    # Longer text is cut (selectors.MAX_QUERY_LENGTH), not refused; an unknown side or
    # filter is ignored: the words are searched whatever else the link says.
    q = forms.CharField(
        label=gettext_lazy("Search messages"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
    )
    side = forms.ChoiceField(
        choices=[("", gettext_lazy("Everything")), *Side.choices],
        required=False,
        widget=forms.HiddenInput,
    )
    filter = forms.ChoiceField(
        choices=[(f.value, FILTER_LABELS[f]) for f in SearchFilter], required=False
    )

    def text(self) -> str:
        self.is_valid()  # cleans each field; the valid ones are kept
        return str(self.cleaned_data.get("q") or "")

    def side_value(self) -> Side | None:
        self.is_valid()
        value = self.cleaned_data.get("side")
        return Side(value) if value else None

    def filter_value(self) -> SearchFilter:
        self.is_valid()
        value = self.cleaned_data.get("filter")
        return SearchFilter(value) if value else SearchFilter.ALL
