"""Showing a message's body: its inline pictures come from its own attachments."""

from __future__ import annotations

import html
import re

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from messagecenter.messaging.models import Message

register = template.Library()

_INLINE = re.compile(r'<img src="cid:([^"]+)" alt="([^"]*)">')


@register.filter
def message_body(message: Message) -> SafeString:
    """The sanitized body, each ``cid:`` picture pointed at the attachment it names (through
    the access-checked download view); a picture whose file is gone is left out."""
    markup = message.body_html
    if "cid:" in markup:
        urls = {
            attachment.original_name.lower(): reverse("attachment_download", args=[attachment.pk])
            for attachment in message.attachments.all()  # prefetched by the page's selector
        }

        def show(match: re.Match[str]) -> str:
            url = urls.get(html.unescape(match.group(1)).lower())
            if url is None:
                return ""
            return f'<img src="{url}" alt="{match.group(2)}" class="message__inline-image">'

        markup = _INLINE.sub(show, markup)
    # body_html is the sanitizer's output, the only HTML ever marked safe.
    return mark_safe(markup)  # noqa: S308
