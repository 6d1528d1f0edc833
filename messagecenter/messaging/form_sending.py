"""Run a send service on behalf of a form, turning refusals into form errors."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from messagecenter.errors import UserFacingError
from messagecenter.messaging.models import Message

FILES_LOST_NOTE = "Your text is kept below; please attach the files again before sending."


def send_with_form(form: forms.Form, send: Callable[[], Message]) -> Message | None:
    """The sent message, or None with the reason added to the form next to its field."""
    try:
        return send()
    except UserFacingError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        if form.cleaned_data.get("attachments"):
            form.add_error("attachments", FILES_LOST_NOTE)
        return None
