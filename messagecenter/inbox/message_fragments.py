"""The messages of a conversation page, each rendered once and kept, keyed by what it shows.

Conversation and compose pages show up to 50 messages through includes/message.html, and
rendering them was most of those pages. A message's HTML depends only on the message
(status, subject, body, files, who wrote it), the email bounces noted on it, the names of
the two sides, the conversation's subject, and the viewer's side, language and time zone.
The key is a digest of all of them, so a change to any of them renders the message again:
nothing is invalidated by hand. The cache is each process's own memory
(settings.CACHES["message-fragments"]), so a deploy with a changed template starts empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from messagecenter.messaging.models import Message
from messagecenter.relay.bounces import BounceNote
from messagecenter.threads.models import Conversation

CACHE = "message-fragments"
TEMPLATE = "includes/message.html"
KEEP_SECONDS = 24 * 3600


def _key(
    message: Message, conversation: Conversation, side: str, bounces: Sequence[BounceNote]
) -> str:
    sender = message.sender
    shown = (
        message.pk,
        message.sender_side,
        message.status,
        message.subject,
        message.body_html,
        message.rejection_reason,
        message.is_automatic,
        message.created_at.isoformat(),
        sender.public_name if sender is not None else None,
        # prefetched by the page's selector
        [(a.pk, a.original_name, a.size) for a in message.attachments.all()],
        [(b.recipient, b.reason) for b in bounces],
        conversation.subject,
        conversation.seller.name,
        conversation.buyer.public_name,
        side,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"message:{message.pk}:{digest}"


def rendered_messages(
    messages: Sequence[Message],
    *,
    conversation: Conversation,
    side: str,
    bounces: Mapping[int, Sequence[BounceNote]],
) -> SafeString:
    """The messages' HTML, oldest first, from the cache where it holds them."""
    keys = [_key(m, conversation, side, bounces.get(m.pk, ())) for m in messages]
    cache = caches[CACHE]
    kept = cache.get_many(keys)
    template = get_template(TEMPLATE)
    rendered: dict[str, str] = {}
    parts = []
    for key, message in zip(keys, messages, strict=True):
        html = kept.get(key)
        if html is None:
            html = template.render(
                {
                    "message": message,
                    "conversation": conversation,
                    "side": side,
                    "email_bounces": bounces,
                }
            )
            rendered[key] = html
        parts.append(html)
    if rendered:
        cache.set_many(rendered, KEEP_SECONDS)
    # Each part is includes/message.html's output, escaped by the template engine.
    return mark_safe("".join(parts))  # noqa: S308
