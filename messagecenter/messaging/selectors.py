from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet

from messagecenter.accounts.models import User
from messagecenter.core.keyset import SortKey, beyond_sql, order_sql, page_from, position_of
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
_NAME_FIELDS = ("display_name", "first_name", "last_name")
_USER_COLUMNS = ("id", *_NAME_FIELDS)
_KEY_COLUMNS = ("m.created_at", "m.id")


def _has_rows_of(model: type[Model]) -> str:
    """SQL: whether any row of ``model`` points at the message (by its foreign key)."""
    pointer = next(
        f.column
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Message
    )
    # Names from the models, never from input.
    return f"EXISTS (SELECT 1 FROM {model._meta.db_table} x WHERE x.{pointer} = m.id)"  # noqa: S608


def _window_sql(seller_side: bool, beyond: str, order: str, flags: Mapping[str, str]) -> str:
    """The page's messages as one hand-written statement. Built by the ORM (select_related,
    only, the name columns, the EXISTS columns, the keyset filter), the same SELECT cost
    the page more in Python than the database spent on it."""
    columns = [f"m.{Message._meta.get_field(name).column}" for name in PAGE_FIELDS]  # type: ignore[union-attr]
    joins = ""
    if seller_side:
        columns += ["m.sender_id", "m.no_response_needed_by_id"]
        columns += [f"sender.{name} AS sender_{name}" for name in _NAME_FIELDS]
        columns += [f"marked_by.{name} AS marked_by_{name}" for name in _NAME_FIELDS]
        users = User._meta.db_table
        joins = (
            f" LEFT JOIN {users} sender ON sender.id = m.sender_id"
            f" LEFT JOIN {users} marked_by ON marked_by.id = m.no_response_needed_by_id"
        )
    columns += [f"{sql} AS {name}" for name, sql in flags.items()]
    own_undelivered = ", ".join(["%s"] * len(OWN_UNDELIVERED))
    return (
        f"SELECT {', '.join(columns)} FROM {Message._meta.db_table} m{joins}"  # noqa: S608
        " WHERE m.conversation_id = %s"
        # messages_in_conversation's rule: delivered, or the viewer's side's own undelivered
        f" AND (m.status = %s OR (m.sender_side = %s AND m.status IN ({own_undelivered})))"
        f"{' AND ' + beyond if beyond else ''} ORDER BY {order} LIMIT %s"
    )


def _person(
    db: str, prefix: str, person_id: int | None, row: Any, known: dict[int, User]
) -> User | None:
    """One User per person named on the page, with only the name columns read."""
    if person_id is None:
        return None
    if person_id not in known:
        # from_db takes a deferred model's values in the model's column order.
        names = [f.attname for f in User._meta.concrete_fields if f.attname in _USER_COLUMNS]
        known[person_id] = User.from_db(
            db,
            names,
            [person_id if name == "id" else getattr(row, f"{prefix}_{name}") for name in names],
        )
    return known[person_id]


def _name_people(messages: list[Message], db: str) -> None:
    """Give each message its sender and whoever marked it as needing no response, from the
    name columns read with it: as select_related would, without a User made per message."""
    known: dict[int, User] = {}
    cache_sender = Message._meta.get_field(_SENDER).set_cached_value  # type: ignore[union-attr]
    cache_marked_by = Message._meta.get_field(_MARKED_BY).set_cached_value  # type: ignore[union-attr]
    for message in messages:
        cache_sender(message, _person(db, "sender", message.sender_id, message, known))
        marked_by_id = message.no_response_needed_by_id
        cache_marked_by(message, _person(db, "marked_by", marked_by_id, message, known))


def message_window(
    conversation: Conversation,
    side: Side | str,
    *,
    cursor: str | None = None,
    per_page: int = MESSAGES_PER_PAGE,
    flags: Mapping[str, type[Model]] | None = None,
) -> MessageWindow:
    """The ``per_page`` messages the cursor points at (the latest without one), in one
    query, and their files in one more when any of them has files.

    A long conversation is read from its end through the (conversation, created_at) index
    rather than loaded whole; the page links to the earlier ones with the cursor. Each
    message says in the same query whether it has files (``has_files``); ``flags`` name
    more such models the page asks about (say, whether a message's email bounced: the
    model of bounces), each read as whether any of its rows points at the message.
    """
    seller_side = side == Side.SELLER
    position = position_of(cursor, MESSAGE_KEYS)
    beyond = ""
    after: list[Any] = []
    if position.after is not None:
        # Adapted as the ORM would (SQLite keeps datetimes as text in UTC).
        when, message_id = position.after
        adapted = [connection.ops.adapt_datetimefield_value(when), message_id]
        beyond, after = beyond_sql(MESSAGE_KEYS, adapted, position.forwards, _KEY_COLUMNS)
    flag_sql = {"has_files": _has_rows_of(Attachment)}
    flag_sql |= {name: _has_rows_of(model) for name, model in (flags or {}).items()}
    sql = _window_sql(
        seller_side, beyond, order_sql(MESSAGE_KEYS, position.forwards, _KEY_COLUMNS), flag_sql
    )
    params = [
        conversation.pk,
        Message.Status.DELIVERED,
        str(side),
        *OWN_UNDELIVERED,
        *after,
        per_page + 1,
    ]
    fetched = list(Message.objects.raw(sql, params))
    for message in fetched:
        for name in flag_sql:  # SQLite answers EXISTS with 0 or 1
            setattr(message, name, bool(getattr(message, name)))
    page = page_from(fetched, MESSAGE_KEYS, position, per_page)
    shown = list(reversed(page.object_list))  # newest first in the page, oldest first shown
    if seller_side:
        _name_people(shown, Message.objects.db)
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
