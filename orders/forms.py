from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import Order


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Order number, buyer or product")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Order.Status.choices]
    )
    ordered_from = forms.DateField(
        label=_("Ordered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ordered_to = forms.DateField(
        label=_("Ordered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("ordered_from"), data.get("ordered_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("“Ordered from” must be on or before “Ordered to”."), code="dates_reversed"
            )
        return data
