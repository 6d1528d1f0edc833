"""The select box written in Python gives the markup Django's own select gives."""

from __future__ import annotations

import re

import pytest
from django import forms

from messagecenter.core.widgets import PlainSelect

CHOICES = [
    ("", "Any seller"),
    ("7", "Tom & Jerry's <Toys>"),
    ("12", "Northwind"),
    ("Grouped", [("20", "Cascade"), ("21", 'Aurora "Bay"')]),
]


def _form(widget: type[forms.Select]) -> type[forms.Form]:
    class Filter(forms.Form):
        seller = forms.ChoiceField(required=False, choices=CHOICES, widget=widget)

    return Filter


def _attributes_sorted(html: str) -> str:
    """The markup with each tag's attributes in one order (Django's order is not ours)."""

    def tag(match: re.Match[str]) -> str:
        name, attributes = match.group(1), re.findall(r'\s([\w-]+(?:="[^"]*")?)', match.group(2))
        return "<" + " ".join([name, *sorted(attributes)]) + ">"

    return re.sub(r"<(\w+)((?:\s[\w-]+(?:=\"[^\"]*\")?)*)>", tag, re.sub(r">\s+<", "><", html))


@pytest.mark.parametrize("data", [None, {"seller": "12"}, {"seller": "21"}, {"seller": "nope"}])
def test_the_markup_is_djangos(data):
    ours, djangos = _form(PlainSelect)(data), _form(forms.Select)(data)
    if data:
        ours.is_valid()
        djangos.is_valid()

    assert _attributes_sorted(str(ours["seller"])) == _attributes_sorted(str(djangos["seller"]))


def test_names_are_escaped_and_the_choice_is_selected():
    html = str(_form(PlainSelect)({"seller": "7"})["seller"])

    assert "Tom &amp; Jerry&#x27;s &lt;Toys&gt;" in html
    assert '<option value="7" selected>' in html
    assert html.count(" selected") == 1
