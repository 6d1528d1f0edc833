from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from messagecenter.accounts.models import User
from messagecenter.core.keyset import SortKey, keyset_page
from messagecenter.core.related_rows import attach_related
from messagecenter.messaging.models import CLOCK_RUNNING, Attachment, Message
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

    def flagged(self, flag: str) -> list[Message]:
        """The messages shown for which a flag message_window read is true."""
        return [m for m in self.messages if getattr(m, flag)]


# What a page shows of a message (includes/message.html), what its fragment's version
# names (inbox/message_fragments.py) and what the reply clock card reads: the other
# columns (the body as written, the notification and email bookkeeping) are left unread.
# Each column read costs the page its decoding, each datetime most of all; a column
# missing here is read once per message when touched.
PAGE_FIELDS = (
    "id",
    "conversation_id",
    "sender_side",
    "subject",
    "body_html",
    "rejection_reason",
    "delivered_at",
    "status",
    "created_at",
    "is_automatic",
    "reply_due_at",
    "answered_at",
    "response_seconds",
    "no_response_needed_at",
    "late_at",
)
# The people named on the seller's side only: the team member who wrote each message, and
# who marked one as needing no response (the reply clock card). The buyer's side names the
# business and the buyer, both of the conversation, and reads neither.
_SENDER, _MARKED_BY = "sender", "no_response_needed_by"
_NAME_FIELDS = ("id", "display_name", "first_name", "last_name")


def _sender_column(name: str) -> str:
    return f"sender_{name}_read"


def _share_senders(messages: list[Message], db: str) -> None:
    """Give each message its sender (names only, like the page's other people), one User
    per sender, from the name columns message_window read with the message."""
    senders: dict[int, User] = {}
    cache_sender = Message._meta.get_field(_SENDER).set_cached_value  # type: ignore[union-attr]
    for message in messages:
        sender_id = message.sender_id
        sender = None
        if sender_id is not None:
            sender = senders.get(sender_id)
            if sender is None:
                # from_db takes a deferred model's values in the model's column order.
                names = [f.attname for f in User._meta.concrete_fields if f.attname in _NAME_FIELDS]
                sender = senders[sender_id] = User.from_db(
                    db,
                    names,
                    [
                        sender_id if name == "id" else getattr(message, _sender_column(name))
                        for name in names
                    ],
                )
        cache_sender(message, sender)


def message_window(
    conversation: Conversation,
    side: Side | str,
    *,
    cursor: str | None = None,
    per_page: int = MESSAGES_PER_PAGE,
    flags: Mapping[str, Any] | None = None,
) -> MessageWindow:
    """The ``per_page`` messages the cursor points at (the latest without one), in one
    query, and their files in one more when any of them has files.

    A long conversation is read from its end through the (conversation, created_at) index
    rather than loaded whole; the page links to the earlier ones with the cursor. Each
    message says in the same query whether it has files (``has_files``); ``flags`` are
    more such per-message expressions the page asks for (say, whether a message's email
    bounced), read the same way.
    """
    seller_side = side == Side.SELLER
    rows = messages_in_conversation(conversation, side).prefetch_related(None).select_related(None)
    if seller_side:
        # Who marked a message as needing no response: rarely anyone, and then no object.
        rows = rows.select_related(_MARKED_BY).only(
            *PAGE_FIELDS,
            _SENDER,
            _MARKED_BY,
            *(f"{_MARKED_BY}__{name}" for name in _NAME_FIELDS),
        )
        # The senders' names read as columns of the message: a page's 50 messages have a
        # few senders, and a User made per message (select_related) cost more than the rest
        # of the row. _share_senders makes one User per sender.
        rows = rows.annotate(
            **{_sender_column(name): F(f"{_SENDER}__{name}") for name in _NAME_FIELDS[1:]}
        )
    else:
        rows = rows.only(*PAGE_FIELDS)
    rows = rows.annotate(
        has_files=Exists(Attachment.objects.filter(message_id=OuterRef("pk"))),
        **(flags or {}),
    )
    page = keyset_page(rows, MESSAGE_KEYS, cursor, per_page)
    shown = list(reversed(page.object_list))
    if seller_side:
        _share_senders(shown, rows.db)
    # Most messages carry no file: a page of them asks for none.
    attach_related(shown, "attachments", having=[m for m in shown if m.has_files])
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
