from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from messagecenter.notes.models import NOTE_MAX_LENGTH


class NoteForm(forms.Form):
    # Length and emptiness are judged by the service (notes/services.py), on the text as
    # stored, so the page, the tests and any other caller get the same sentence.
    body = forms.CharField(
        label=_("Internal note"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "maxlength": NOTE_MAX_LENGTH,
                "data-mentions": "",
                "autocomplete": "off",
            }
        ),
    )
