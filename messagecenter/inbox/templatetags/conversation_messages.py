"""``{% conversation_messages messages_in_thread %}``: a page's messages, from the cache of
rendered messages (inbox/message_fragments.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from messagecenter.inbox.message_fragments import rendered_messages
from messagecenter.messaging.models import Message

register = template.Library()


@register.simple_tag(takes_context=True)
def conversation_messages(context: Context, messages: Sequence[Message]) -> SafeString:
    bounces = context.get("email_bounces")
    return rendered_messages(
        messages,
        conversation=context["conversation"],
        side=context["side"],
        bounces=bounces if isinstance(bounces, Mapping) else {},
    )
