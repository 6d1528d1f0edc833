"""The messages of a conversation page, each rendered once and then kept by its version
(core/fragments.py): a third of a conversation page's time was rendering its 50 messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.safestring import SafeString

from messagecenter.core.fragments import rendered_rows
from messagecenter.messaging.models import Message
from messagecenter.relay.bounces import BounceNote
from messagecenter.threads.models import Conversation

MESSAGE_TEMPLATE = "includes/message.html"


def _version(
    message: Message, conversation: Conversation, side: str, notes: Sequence[BounceNote]
) -> tuple[Any, ...]:
    """Everything includes/message.html shows: a change to any of it is a new fragment."""
    sender = message.sender
    return (
        side,
        conversation.subject,
        conversation.seller.name,
        conversation.buyer.public_name,
        message.pk,
        message.sender_side,
        sender.public_name if sender is not None else None,
        message.created_at.isoformat(),
        message.subject,
        message.status,
        message.rejection_reason,
        message.is_automatic,
        message.body_html,
        [(a.pk, a.original_name, a.size) for a in message.attachments.all()],
        [(n.recipient, n.reason) for n in notes],
    )


def rendered_messages(
    messages: Sequence[Message],
    *,
    conversation: Conversation,
    side: str,
    email_bounces: Mapping[int, list[BounceNote]] | None = None,
) -> list[SafeString]:
    """Each message's HTML, oldest first like ``messages``."""
    bounces = email_bounces or {}
    return rendered_rows(
        MESSAGE_TEMPLATE,
        [
            (
                _version(m, conversation, side, bounces.get(m.pk, [])),
                {
                    "message": m,
                    "conversation": conversation,
                    "side": side,
                    "email_bounces": bounces,
                },
            )
            for m in messages
        ],
    )
