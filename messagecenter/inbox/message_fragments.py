"""The messages of a conversation page, each rendered once and then kept by its version.

A page shows up to 50 messages, and rendering each one through its template (author,
time, status notes, body, files) was a third of a conversation page's time. A message's
fragment is kept under a digest of everything the template shows of it: its own fields,
its files and bounce notes, the names of both sides and the viewer's side, the language
and time zone. Any change to one of them is a new key, so nothing has to be invalidated
and a fragment is never stale; unused ones fall out of the cache. The cache is the
process's memory (settings.FRAGMENT_CACHE): a new deploy, with perhaps a changed
template, starts empty. A change to what the template shows must add it to the digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from messagecenter.messaging.models import Message
from messagecenter.relay.bounces import BounceNote
from messagecenter.threads.models import Conversation

MESSAGE_TEMPLATE = "includes/message.html"
# Kept a day after last written; a busy process drops the least recently used first.
_KEPT_SECONDS = 24 * 3600


def _version(
    message: Message,
    conversation: Conversation,
    side: str,
    notes: Sequence[BounceNote],
) -> str:
    """A digest of everything includes/message.html shows (see the module's docstring)."""
    sender = message.sender
    shown = (
        MESSAGE_TEMPLATE,
        translation.get_language(),
        timezone.get_current_timezone_name(),
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
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=20).hexdigest()
    return f"message:{digest}"


def rendered_messages(
    messages: Sequence[Message],
    *,
    conversation: Conversation,
    side: str,
    email_bounces: Mapping[int, list[BounceNote]] | None = None,
) -> list[SafeString]:
    """Each message's HTML, oldest first like ``messages``: kept ones from the cache (one
    lookup for all), the rest rendered and kept."""
    bounces = email_bounces or {}
    keys = [_version(m, conversation, side, bounces.get(m.pk, [])) for m in messages]
    cache = caches[settings.FRAGMENT_CACHE]
    kept: dict[str, str] = cache.get_many(keys)
    rendered: dict[str, str] = {}
    template = get_template(MESSAGE_TEMPLATE)
    for message, key in zip(messages, keys, strict=True):
        if key not in kept and key not in rendered:
            rendered[key] = template.render(
                {
                    "message": message,
                    "conversation": conversation,
                    "side": side,
                    "email_bounces": bounces,
                }
            )
    if rendered:
        cache.set_many(rendered, _KEPT_SECONDS)
    # The template's output, made safe by its own escaping.
    return [mark_safe(kept.get(key) or rendered[key]) for key in keys]  # noqa: S308
