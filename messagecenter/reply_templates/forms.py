"""The templates page's form. It only reads input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.message_types import SELLER_TYPES
from messagecenter.accounts.models import SellerBusiness
from messagecenter.core.errors import UserFacingError
from messagecenter.reply_templates.placeholders import known_placeholders_text
from messagecenter.reply_templates.services import MAX_BODY, TemplateBlocked


def _type_choices() -> list[tuple[str, str]]:
    return [(t.id, t.label) for t in SELLER_TYPES]


class ReplyTemplateForm(forms.Form):
    business = forms.TypedChoiceField(label=_("Business"), coerce=int)
    name = forms.CharField(
        label=_("Name"),
        max_length=40,
        help_text=_(
            "A short handle without spaces: type “/” and the name in a reply to insert it."
        ),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    message_types = forms.MultipleChoiceField(
        label=_("Only for these message types"),
        required=False,
        choices=_type_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the template is offered for every type."),
    )

    def __init__(self, *args: Any, businesses: list[SellerBusiness], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Placeholders are filled from the conversation's order when you insert the "
            "template: %(placeholders)s."
        ) % {"placeholders": known_placeholders_text()}
        field = self.fields["business"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(b.pk, b.name) for b in businesses]
        if len(businesses) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("business", businesses[0].pk)

    def show_error(self, error: UserFacingError) -> None:
        """A service's refusal next to the field it names (each explanation of a blocked
        template on its own line)."""
        field = error.field if error.field in self.fields else None
        if isinstance(error, TemplateBlocked):
            self.add_error(field, gettext("The message policy would block this template."))
            for explanation in error.explanations:
                self.add_error(field, explanation)
        else:
            self.add_error(field, error.message)
