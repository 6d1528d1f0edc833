from django import forms

from orders.models import Order


class OrderSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": "Order number, buyer or product"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Order.Status.choices]
    )
    ordered_from = forms.DateField(
        label="Ordered from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ordered_to = forms.DateField(
        label="Ordered to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("ordered_from"), data.get("ordered_to")
        if start and end and start > end:
            raise forms.ValidationError("“Ordered from” must be on or before “Ordered to”.")
        return data
