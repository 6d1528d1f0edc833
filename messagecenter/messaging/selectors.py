from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from messagecenter.core.keyset import SortKey, keyset_page
from messagecenter.core.related_rows import attach_related
from messagecenter.messaging.models import CLOCK_RUNNING, Message
from messagecenter.threads.models import Conversation, Side

# What the sending side sees of its own undelivered messages; the other side never does.
OWN_UNDELIVERED = (
    Message.Status.HELD,
    Message.Status.REJECTED,
    Message.Status.UNDELIVERABLE,
)


def messages_in_conversation(conversation: Conversation, side: Side | str) -> QuerySet[Message]:
    """The messages a participant on this side sees, oldest first, with sender and files.

    Delivered messages are seen by both sides. Held and rejected ones only by the side
    that wrote them; blocked ones by nobody but administrators.
    """
    visible = Q(status=Message.Status.DELIVERED) | Q(sender_side=side, status__in=OWN_UNDELIVERED)
    return (
        Message.objects.filter(visible, conversation=conversation)
        .select_related("sender", "no_response_needed_by")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


MESSAGES_PER_PAGE = 50
# A conversation read from its end, newest first (msg_conversation_time); shown oldest
# first.
MESSAGE_KEYS = (SortKey("created_at", descending=True), SortKey("id", descending=True))


@dataclass(frozen=True)
class MessageWindow:
    """The latest messages a page shows (oldest first), and where the earlier ones start."""

    messages: list[Message]
    earlier_cursor: str | None  # the key of the oldest shown, when earlier ones exist
    is_latest: bool  # no newer messages were left out


def message_window(
    conversation: Conversation,
    side: Side | str,
    *,
    cursor: str | None = None,
    per_page: int = MESSAGES_PER_PAGE,
) -> MessageWindow:
    """The ``per_page`` messages the cursor points at (the latest without one), in one
    query, and their files in one more.

    A long conversation is read from its end through the (conversation, created_at) index
    rather than loaded whole; the page links to the earlier ones with the cursor.
    """
    rows = messages_in_conversation(conversation, side).prefetch_related(None)
    page = keyset_page(rows, MESSAGE_KEYS, cursor, per_page)
    shown = list(reversed(page.object_list))
    attach_related(shown, "attachments")
    return MessageWindow(
        messages=shown, earlier_cursor=page.older_cursor, is_latest=page.newer_cursor is None
    )


def clock_messages_before(conversation: Conversation, oldest_shown: Message) -> list[Message]:
    """What the reply clock card needs from messages older than the page shows, one query:
    every buyer message still waiting, the last one answered and the last marked as needing
    no answer. Oldest first, like the page."""
    earlier = (
        messages_in_conversation(conversation, Side.SELLER)
        .prefetch_related(None)
        .filter(
            Q(created_at__lt=oldest_shown.created_at)
            | Q(created_at=oldest_shown.created_at, id__lt=oldest_shown.pk)
        )
    )
    newest_first = ("-created_at", "-id")
    last_answered = earlier.filter(answered_at__isnull=False).order_by(*newest_first)
    last_not_needed = earlier.filter(no_response_needed_at__isnull=False).order_by(*newest_first)
    return list(
        earlier.filter(
            CLOCK_RUNNING
            | Q(pk__in=last_answered.values("pk")[:1])
            | Q(pk__in=last_not_needed.values("pk")[:1])
        )
    )
