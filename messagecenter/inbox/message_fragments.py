"""The messages of a conversation page, each rendered once and then kept by its version
(core/fragments.py): rendering a page's 50 messages was most of a conversation page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from messagecenter.core.fragments import rendered_rows
from messagecenter.messaging.models import Message
from messagecenter.relay.bounces import BounceNote
from messagecenter.threads.models import Conversation

TEMPLATE = "includes/message.html"


def _shared(conversation: Conversation, side: str) -> tuple[Any, ...]:
    """What includes/message.html shows of the page, the same on every message."""
    return (side, conversation.subject, conversation.seller.name, conversation.buyer.public_name)


def _version(message: Message, side: str, notes: Sequence[BounceNote]) -> tuple[Any, ...]:
    """Everything includes/message.html shows of the message: a change to any of it (or
    to the page's part, _shared) is a new fragment."""
    # The team member's name is shown on the seller's side only, where the page's
    # selector reads the senders (the buyer's reads none).
    sender = message.sender if side == "seller" else None
    return (
        message.pk,
        message.sender_side,
        sender.public_name if sender is not None else None,
        message.created_at.isoformat(),
        message.subject,
        message.status,
        message.rejection_reason,
        message.is_automatic,
        message.body_html,
        # attached by the page's selector, which says whether there are any (has_files):
        # a related manager and queryset made per message cost more than the rest of it.
        # A file's preview, once the worker has made it, is a new fragment.
        [
            (a.pk, a.original_name, a.size, a.has_preview, a.preview_width, a.preview_height)
            for a in message.attachments.all()
        ]
        if getattr(message, "has_files", True)
        else [],
        [(n.recipient, n.reason) for n in notes],
    )


def rendered_messages(
    messages: Sequence[Message],
    *,
    conversation: Conversation,
    side: str,
    bounces: Mapping[int, Sequence[BounceNote]],
) -> SafeString:
    """The messages' HTML, oldest first, from the cache where it holds them."""
    rows = rendered_rows(
        TEMPLATE,
        [
            (
                _version(m, side, bounces.get(m.pk, ())),
                {
                    "message": m,
                    "conversation": conversation,
                    "side": side,
                    "email_bounces": bounces,
                },
            )
            for m in messages
        ],
        shared=_shared(conversation, side),
    )
    # Each row is the template's output, escaped by the template engine.
    return mark_safe("".join(rows))  # noqa: S308
