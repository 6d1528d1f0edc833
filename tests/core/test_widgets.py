"""The select box written in Python gives the markup Django's own select gives."""

from __future__ import annotations

import re

import pytest
from django import forms

from messagecenter.core.widgets import PlainFileInput, PlainSelect, PlainTextarea, PlainTextInput
from messagecenter.inbox.forms import MessageTypeSelect

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


class _DjangosMessageTypeSelect(forms.Select):
    """Contact Buyer's select as Django's own options made it, before MessageTypeSelect
    wrote its options itself: the markup it must still give."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.closed: dict[str, str] = {}
        self.not_delivered: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        reason = self.closed.get(str(value))
        if reason:
            option["attrs"]["disabled"] = True
            option["attrs"]["title"] = reason
            option["label"] = f"{label} (not available now)"
        elif str(value) in self.not_delivered:
            option["attrs"]["title"] = self.not_delivered[str(value)]
            option["label"] = f"{label} (not delivered: the buyer opted out)"
        return option


@pytest.mark.parametrize("data", [None, {"message_type": "shipment_delay"}])
def test_the_message_type_select_gives_djangos_markup(data):
    types = [
        ("Necessary", [("shipment_delay", "Shipment delay"), ("invoice", "Invoice")]),
        ("Proactive", [("product_support", 'Product "support" & care')]),
    ]
    rendered = []
    for widget in (MessageTypeSelect(), _DjangosMessageTypeSelect()):
        widget.closed = {"invoice": "Only after the order shipped <today>."}
        widget.not_delivered = {"product_support": "The buyer opted out & said so."}
        field = forms.ChoiceField(choices=types, widget=widget, help_text="Pick one.")
        form = type("Compose", (forms.Form,), {"message_type": field})(data)
        form.is_valid()
        rendered.append(_attributes_sorted(str(form["message_type"])))

    ours, djangos = rendered
    assert ours == djangos
    assert 'disabled title="Only after the order shipped &lt;today&gt;."' in ours
    assert "Product &quot;support&quot; &amp; care (not delivered: the buyer opted out)" in ours


def _compose_form(text_input, textarea, file_input):
    """A message form's fields, with the given widgets."""

    class MultipleFiles(file_input):
        allow_multiple_selected = True

    class Compose(forms.Form):
        subject = forms.CharField(label="Subject", max_length=200, widget=text_input)
        body = forms.CharField(
            label="Message", strip=False, widget=textarea(attrs={"rows": 8, "data-x": "true"})
        )
        attachments = forms.FileField(
            label="Attachments",
            required=False,
            help_text="Up to 5 files.",
            widget=MultipleFiles(attrs={"accept": ".pdf,.png"}),
        )

    return Compose


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"subject": 'Order "1001" & <more>', "body": "Line one\n<b>not bold</b> & 'quoted'"},
        {"subject": "", "body": ""},  # errors: aria-invalid, no value shown
    ],
)
def test_the_message_form_inputs_give_djangos_markup(data):
    ours = _compose_form(PlainTextInput, PlainTextarea, PlainFileInput)(data)
    djangos = _compose_form(forms.TextInput, forms.Textarea, forms.ClearableFileInput)(data)
    if data is not None:
        ours.is_valid()
        djangos.is_valid()

    for name in ("subject", "body", "attachments"):
        assert _attributes_sorted(str(ours[name])) == _attributes_sorted(str(djangos[name]))
    if data and data["body"]:
        assert "&lt;b&gt;not bold&lt;/b&gt; &amp; &#x27;quoted&#x27;</textarea>" in str(
            ours["body"]
        )
