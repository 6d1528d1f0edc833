"""Forms for writing messages. They only read input; the send service decides."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from compliance.message_types import SELLER_TYPES, TypeGroup
from messagecenter.core.widgets import PlainFileInput, PlainSelect, PlainTextarea, PlainTextInput
from messagecenter.threads.models import ConversationTopic


class MultipleFileInput(PlainFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; limits are checked by the send service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _attachment_help() -> str:
    return ngettext(
        "Up to %(count)d file, %(megabytes)d MB in all: "
        ".txt, .pdf, .doc, .docx, .jpg, .gif, .tiff, .bmp, .png.",
        "Up to %(count)d files, %(megabytes)d MB in all: "
        ".txt, .pdf, .doc, .docx, .jpg, .gif, .tiff, .bmp, .png.",
        settings.ATTACHMENT_MAX_FILES,
    ) % {
        "count": settings.ATTACHMENT_MAX_FILES,
        "megabytes": settings.ATTACHMENT_MAX_TOTAL_BYTES // (1024 * 1024),
    }


# Written in the reader's language when shown (ngettext_lazy's % would translate at import).
ATTACHMENT_HELP = lazy(_attachment_help, str)()
ATTACHMENT_ACCEPT = ".txt,.pdf,.doc,.docx,.jpg,.jpeg,.gif,.tif,.tiff,.bmp,.png"


def _attachments_field() -> MultipleFileField:
    return MultipleFileField(
        label=gettext_lazy("Attachments"),
        help_text=ATTACHMENT_HELP,
        # data-drop-files: static/js/attachments-drop.js adds dropped and pasted files.
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT, "data-drop-files": "true"}),
    )


def _body_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Message"),
        strip=False,
        widget=PlainTextarea(attrs={"rows": 8, "data-rich-editor": "true"}),
        error_messages={"required": gettext_lazy("Write a message before sending.")},
    )


def seller_type_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    names = {
        TypeGroup.CRITICAL: _("Necessary to complete the order"),
        TypeGroup.PROACTIVE: _("Proactive (within 30 days of the order)"),
        TypeGroup.OTHER: pgettext("message type group", "Other"),
    }
    for kind in SELLER_TYPES:
        if kind.group == TypeGroup.REPLY:
            continue
        groups.setdefault(names[kind.group], []).append((kind.id, kind.label))
    return list(groups.items())


class MessageTypeSelect(PlainSelect):
    """A select whose closed message types are shown, disabled, with the reason.

    Written straight from the choices (PlainSelect): Django's template per option was the
    biggest part of rendering Contact Buyer's form.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closed: dict[str, str] = {}
        # Open types the buyer's opt-out would stop, with why.
        self.not_delivered: dict[str, str] = {}

    def option(self, value: str, label: str, selected: bool) -> str:
        chosen = " selected" if selected else ""
        reason = self.closed.get(value)
        if reason:
            shown = _("{type} (not available now)").format(type=label)
            extra = f' disabled title="{escape(reason)}"'
        elif value in self.not_delivered:
            shown = _("{type} (not delivered: the buyer opted out)").format(type=label)
            extra = f' title="{escape(self.not_delivered[value])}"'
        else:
            shown, extra = label, ""
        return f'<option value="{escape(value)}"{chosen}{extra}>{escape(shown)}</option>'


class SellerComposeForm(forms.Form):
    message_type = forms.ChoiceField(
        label=gettext_lazy("Message type"), choices=seller_type_choices, widget=MessageTypeSelect
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200, widget=PlainTextInput)
    body = _body_field()
    attachments = _attachments_field()

    def __init__(self, *args: Any, type_options: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["message_type"]
        assert isinstance(field, forms.ChoiceField)
        assert isinstance(field.widget, MessageTypeSelect)
        field.widget.closed = {o.id: " ".join(o.reasons) for o in type_options if not o.available}
        field.widget.not_delivered = {
            o.id: o.not_delivered for o in type_options if o.not_delivered
        }
        if any(o.id == "reply" and o.available for o in type_options):
            field.choices = [
                (pgettext("message type group", "Answer"), [("reply", _("Reply to the buyer"))]),
                *seller_type_choices(),
            ]
            self.initial.setdefault("message_type", "reply")


class BuyerComposeForm(forms.Form):
    """A buyer's message to a seller. ``ask_topic``: the buyer starts the conversation (or
    continues one without a topic) and says what it is about (includes/topic_picker.html)."""

    topic = forms.ChoiceField(
        label=gettext_lazy("What is your message about?"),
        choices=ConversationTopic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what your message is about."),
            "invalid_choice": gettext_lazy("Choose one of the topics listed."),
        },
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200, widget=PlainTextInput)
    body = _body_field()
    attachments = _attachments_field()

    def __init__(self, *args: Any, ask_topic: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_topic:
            del self.fields["topic"]


class ReplyForm(forms.Form):
    body = _body_field()
    attachments = _attachments_field()
