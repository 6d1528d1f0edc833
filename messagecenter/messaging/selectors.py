from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, Q, QuerySet

from messagecenter.accounts.models import User
from messagecenter.core.joined_row import MAIN, JoinedRow
from messagecenter.core.keyset import (
    Position,
    SortKey,
    beyond_sql,
    order_sql,
    page_from,
    position_of,
)
from messagecenter.core.one_round_trip import Statement, rows_of_each
from messagecenter.core.related_rows import attach_related
from messagecenter.messaging.models import CLOCK_RUNNING, Attachment, Message
from messagecenter.threads.models import Conversation, Side

# What the sending side sees of its own undelivered messages; the other side never does.
OWN_UNDELIVERED = (
    Message.Status.HELD,
    Message.Status.REJECTED,
    Message.Status.UNDELIVERABLE,
)


def visible_on_side(side: Side | str) -> Q:
    """Which messages a participant on this side sees, on the ``status`` and
    ``sender_side`` columns of a message or of a row that copies them (search).

    Delivered messages are seen by both sides. Held and rejected ones only by the side
    that wrote them; blocked ones by nobody but administrators.
    """
    return Q(status=Message.Status.DELIVERED) | Q(sender_side=side, status__in=OWN_UNDELIVERED)


def messages_in_conversation(conversation: Conversation, side: Side | str) -> QuerySet[Message]:
    """The messages a participant on this side sees (``visible_on_side``), oldest first,
    with sender and files."""
    return (
        Message.objects.filter(visible_on_side(side), conversation=conversation)
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


# What a page shows of a message (includes/message.html) and what its fragment's version
# names (inbox/message_fragments.py), the keyset's columns among them; then what the
# conversation page's reply clock card reads besides (``clock``). The other columns (the
# body as written, the notification and email bookkeeping) are left unread. Each column
# read costs the page its decoding, each datetime most of all; a column missing here is
# read once per message when touched.
MESSAGE_FIELDS = (
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
)
CLOCK_FIELDS = (
    "reply_due_at",
    "answered_at",
    "response_seconds",
    "no_response_needed_at",
    "late_at",
)
PAGE_FIELDS = (*MESSAGE_FIELDS, *CLOCK_FIELDS)
# The people named on the seller's side only: the team member who wrote each message, and,
# for the reply clock card, who marked one as needing no response (their names are read as
# columns of the row). The buyer's side names the business and the buyer, both of the
# conversation, and reads neither.
_SENDER, _MARKED_BY = "sender", "no_response_needed_by"
_NAME_FIELDS = ("display_name", "first_name", "last_name")
_USER_COLUMNS = ("id", *_NAME_FIELDS)
# The page's row of a message, by side and by whether the clock's columns are read:
# (seller side, clock) -> row.
_ROWS = {
    (False, True): JoinedRow(Message, only=PAGE_FIELDS),
    (True, True): JoinedRow(Message, only=(*PAGE_FIELDS, "sender_id", "no_response_needed_by_id")),
    (False, False): JoinedRow(Message, only=MESSAGE_FIELDS),
    (True, False): JoinedRow(Message, only=(*MESSAGE_FIELDS, "sender_id")),
}
_KEY_COLUMNS = (f"{MAIN}.created_at", f"{MAIN}.id")
# from_db takes a deferred model's values in the model's column order.
_USER_ATTNAMES = [f.attname for f in User._meta.concrete_fields if f.attname in _USER_COLUMNS]


def _has_rows_of(model: type[Model]) -> str:
    """SQL: whether any row of ``model`` points at the message (by its foreign key)."""
    pointer = next(
        f.column
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Message
    )
    # Names from the models, never from input.
    return f"EXISTS (SELECT 1 FROM {model._meta.db_table} x WHERE x.{pointer} = {MAIN}.id)"  # noqa: S608


def _window_sql(
    seller_side: bool, clock: bool, beyond: str, order: str, flags: Mapping[str, str]
) -> str:
    """The page's messages as one hand-written statement. Built by the ORM (select_related,
    only, the name columns, the EXISTS columns, the keyset filter), the same SELECT cost
    the page more in Python than the database spent on it."""
    row = _ROWS[seller_side, clock]
    columns, tables = [row.columns], row.tables
    if seller_side:
        users = User._meta.db_table
        columns += [f"sender.{name}" for name in _NAME_FIELDS]
        tables += f" LEFT JOIN {users} sender ON sender.id = {MAIN}.sender_id"
        if clock:
            columns += [f"marked_by.{name}" for name in _NAME_FIELDS]
            tables += (
                f" LEFT JOIN {users} marked_by ON marked_by.id = {MAIN}.no_response_needed_by_id"
            )
    columns += list(flags.values())
    own_undelivered = ", ".join(["%s"] * len(OWN_UNDELIVERED))
    return (
        f"SELECT {', '.join(columns)} FROM {tables}"  # noqa: S608
        f" WHERE {MAIN}.conversation_id = %s"
        # visible_on_side's rule: delivered, or the viewer's side's own undelivered
        f" AND ({MAIN}.status = %s"
        f" OR ({MAIN}.sender_side = %s AND {MAIN}.status IN ({own_undelivered})))"
        f"{' AND ' + beyond if beyond else ''} ORDER BY {order} LIMIT %s"
    )


def _person(person_id: int | None, names: Sequence[Any], known: dict[int, User]) -> User | None:
    """One User per person named on the page, with only the name columns read."""
    if person_id is None:
        return None
    if person_id not in known:
        values = dict(zip(_NAME_FIELDS, names, strict=True), id=person_id)
        known[person_id] = User.from_db(
            User.objects.db, _USER_ATTNAMES, [values[name] for name in _USER_ATTNAMES]
        )
    return known[person_id]


_cache_sender = Message._meta.get_field(_SENDER).set_cached_value  # type: ignore[union-attr]
_cache_marked_by = Message._meta.get_field(_MARKED_BY).set_cached_value  # type: ignore[union-attr]


@dataclass(frozen=True)
class WindowQuery:
    """The statement that reads a message window, to run alone (message_window) or with a
    page's other reads in one round trip (core/one_round_trip.py), and how its rows
    become the window."""

    sql: str
    params: list[Any]
    seller_side: bool
    clock: bool  # the reply clock's columns read, and who marked a message (seller side)
    position: Position
    per_page: int
    flags: tuple[str, ...]  # the names of the EXISTS columns that end each row

    @property
    def statement(self) -> Statement:
        return self.sql, self.params

    def window(self, rows: Sequence[Sequence[Any]]) -> MessageWindow:
        """The window from the statement's rows (newest first, one more than a page)."""
        fetched: list[Message] = []
        # Each sender and marker named once: a User made per message cost more than the
        # rest of its row.
        people: dict[int, User] = {}
        names = len(_NAME_FIELDS)
        for message, extra in _ROWS[self.seller_side, self.clock].instances(rows):
            assert isinstance(message, Message)
            if self.seller_side:
                _cache_sender(message, _person(message.sender_id, extra[:names], people))
                extra = extra[names:]
            if self.seller_side and self.clock:
                marked_by = _person(message.no_response_needed_by_id, extra[:names], people)
                _cache_marked_by(message, marked_by)
                extra = extra[names:]
            for name, value in zip(self.flags, extra, strict=True):
                setattr(message, name, bool(value))  # SQLite answers EXISTS with 0 or 1
            fetched.append(message)
        page = page_from(fetched, MESSAGE_KEYS, self.position, self.per_page)
        shown = list(reversed(page.object_list))  # read newest first, shown oldest first
        # Most messages carry no file: a page of them asks for none.
        attach_related(shown, "attachments", having=[m for m in shown if m.has_files])
        return MessageWindow(
            messages=shown, earlier_cursor=page.older_cursor, is_latest=page.newer_cursor is None
        )


def message_window_query(
    conversation: Conversation,
    side: Side | str,
    *,
    cursor: str | None = None,
    per_page: int = MESSAGES_PER_PAGE,
    flags: Mapping[str, type[Model]] | None = None,
    clock: bool = True,
) -> WindowQuery:
    """message_window's statement, for a page that runs it with its other reads.
    ``clock=False``: for a page without the reply clock card (Contact Buyer), which reads
    only what the messages show."""
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
    seller_side = side == Side.SELLER
    order = order_sql(MESSAGE_KEYS, position.forwards, _KEY_COLUMNS)
    return WindowQuery(
        sql=_window_sql(seller_side, clock, beyond, order, flag_sql),
        params=[
            conversation.pk,
            Message.Status.DELIVERED,
            str(side),
            *OWN_UNDELIVERED,
            *after,
            per_page + 1,
        ],
        seller_side=seller_side,
        clock=clock,
        position=position,
        per_page=per_page,
        flags=tuple(flag_sql),
    )


def message_window(
    conversation: Conversation,
    side: Side | str,
    *,
    cursor: str | None = None,
    per_page: int = MESSAGES_PER_PAGE,
    flags: Mapping[str, type[Model]] | None = None,
    clock: bool = True,
) -> MessageWindow:
    """The ``per_page`` messages the cursor points at (the latest without one), in one
    query, and their files in one more when any of them has files.

    A long conversation is read from its end through the (conversation, created_at) index
    rather than loaded whole; the page links to the earlier ones with the cursor. Each
    message says in the same query whether it has files (``has_files``); ``flags`` name
    more such models the page asks about (say, whether a message's email bounced: the
    model of bounces), each read as whether any of its rows points at the message.
    ``clock=False`` leaves out the reply clock's columns (message_window_query).
    """
    query = message_window_query(
        conversation, side, cursor=cursor, per_page=per_page, flags=flags, clock=clock
    )
    [rows] = rows_of_each([query.statement])
    return query.window(rows)


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
