"""Keeping the search rows current, in the transaction of the write they describe.

A message costs one statement when stored (``message_row_write``: its row, with the
vector on PostgreSQL; SQLite's FTS5 table follows by trigger) and one when a review
changes it. What it says comes from the policy engine's verdict, which already parsed the
body and told its language, and the file names from the uploads in hand: nothing is read
again. A conversation's row (its order, names and products) is one INSERT ... SELECT when
it is opened, which is rare; the migration and ``rebuild_search_index`` use the same SQL
for every conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.core.by_vendor import by_vendor
from messagecenter.messaging.models import Message
from messagecenter.search.languages import SIMPLE, config_for
from messagecenter.search.models import ConversationSearch, MessageSearch
from messagecenter.threads.models import Conversation
from orders.models import Order, OrderLine, Product

# The highlight's private markers (search/passages.py): never part of an indexed text.
START_MARK, STOP_MARK = "\x02", "\x03"
_NOT_WORD = re.compile(r"[\W_]+")


def file_name_words(name: str) -> str:
    """A file's name and, after it, its words: the parser reads "kestrel-warranty.pdf"
    as one token, and people search for "kestrel"."""
    return f"{name} {' '.join(_NOT_WORD.split(name))}".strip()


def search_text(subject: str, body: str, file_names: Iterable[str] = ()) -> str:
    """What a message's row holds: its subject, its text and its files' names, one a
    line, without the highlight's markers."""
    text = "\n".join([subject, body, *(file_name_words(name) for name in file_names)])
    return text.replace(START_MARK, "").replace(STOP_MARK, "")


@dataclass(frozen=True)
class MessageRow:
    """A message's search row, as written."""

    message_id: int
    conversation_id: int
    seller_id: int
    buyer_id: int
    sender_side: str
    status: str
    created_at: datetime
    language: str
    text: str

    @property
    def config(self) -> str:
        return config_for(self.language)

    def values(self) -> list[Any]:
        return [
            self.message_id,
            self.conversation_id,
            self.seller_id,
            self.buyer_id,
            self.sender_side,
            self.status,
            self.created_at,
            self.config,
            self.text,
        ]


def row_of(message: Message, *, buyer_id: int, language: str, text: str) -> MessageRow:
    return MessageRow(
        message_id=message.pk,
        conversation_id=message.conversation_id,
        seller_id=message.seller_id,
        buyer_id=buyer_id,
        sender_side=message.sender_side,
        status=message.status,
        created_at=message.created_at,
        language=language,
        text=text,
    )


_M = MessageSearch._meta.db_table
_MESSAGE_COLUMNS = (
    "message_id, conversation_id, seller_id, buyer_id, sender_side, status, created_at,"
    " config, text"
)
_UPSERT_SET = (
    "conversation_id = EXCLUDED.conversation_id, seller_id = EXCLUDED.seller_id,"
    " buyer_id = EXCLUDED.buyer_id, sender_side = EXCLUDED.sender_side,"
    " status = EXCLUDED.status, created_at = EXCLUDED.created_at, config = EXCLUDED.config,"
    " text = EXCLUDED.text"
)


@by_vendor
def message_rows_write(rows: Sequence[MessageRow]) -> None:
    """Write (or write again) messages' rows: one statement for one row.

    The vector holds the words stemmed in the message's language and as written
    (simple): a short message's language is often a guess, and a word left out with
    ``-word`` must leave out the messages holding it in any form."""
    sql = (
        f"INSERT INTO {_M} ({_MESSAGE_COLUMNS}, document)"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
        f" to_tsvector(%s::regconfig, %s) || to_tsvector('{SIMPLE}', %s))"
        f" ON CONFLICT (message_id) DO UPDATE SET {_UPSERT_SET}, document = EXCLUDED.document"
    )
    _write(sql, [[*row.values(), row.config, row.text, row.text] for row in rows])


@message_rows_write.sqlite
def _message_rows_write_sqlite(rows: Sequence[MessageRow]) -> None:
    # The FTS5 table (search_message_fts) follows the row through its triggers.
    sql = (
        f"INSERT INTO {_M} ({_MESSAGE_COLUMNS})"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        f" ON CONFLICT (message_id) DO UPDATE SET {_UPSERT_SET}"
    )
    _write(sql, [row.values() for row in rows])


def _write(sql: str, rows: list[list[Any]]) -> None:
    with connection.cursor() as cursor:
        if len(rows) == 1:  # a send: one plain statement
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def message_status_record(message: Message) -> None:
    """A message's status changed (a review's decision): its row follows."""
    MessageSearch.objects.filter(pk=message.pk).update(status=message.status)


def _conversation_facts_sql(condition: str) -> str:
    """INSERT ... SELECT of the conversations' rows matching ``condition`` (on ``c``):
    order number, the buyer's name as sellers see it, the seller's name, the product asked
    about and the order's lines, in one text. Portable SQL: the same on both databases,
    but for the aggregate's name and the vector."""
    postgresql = connection.vendor == "postgresql"
    aggregate = "string_agg" if postgresql else "group_concat"
    lines = (
        f"(SELECT {aggregate}(l.title || ' ' || l.sku, ' · ')"  # noqa: S608
        f" FROM {OrderLine._meta.db_table} l WHERE l.order_id = c.order_id)"
    )
    buyer_name = (
        "COALESCE(NULLIF(u.display_name, ''), NULLIF(TRIM(u.first_name || ' ' || u.last_name),"
        " ''), 'Customer')"
    )
    text = (
        f"COALESCE(o.number || ' · ', '') || {buyer_name} || ' · ' || s.name"
        f" || COALESCE(' · ' || p.title || ' ' || p.sku, '') || COALESCE(' · ' || {lines}, '')"
    )
    vector = f", to_tsvector('{SIMPLE}', f.text)" if postgresql else ""
    table = ConversationSearch._meta.db_table
    return (
        f"INSERT INTO {table} (conversation_id, seller_id, buyer_id, created_at, text"  # noqa: S608
        f"{', document' if postgresql else ''})"
        f" SELECT f.id, f.seller_id, f.buyer_id, f.created_at, f.text{vector} FROM ("
        f"SELECT c.id, c.seller_id, c.buyer_id, c.created_at, {text} AS text"
        f" FROM {Conversation._meta.db_table} c"
        f" JOIN {User._meta.db_table} u ON u.id = c.buyer_id"
        f" JOIN {SellerBusiness._meta.db_table} s ON s.id = c.seller_id"
        f" LEFT JOIN {Order._meta.db_table} o ON o.id = c.order_id"
        f" LEFT JOIN {Product._meta.db_table} p ON p.id = c.product_id"
        f" WHERE {condition}) f WHERE true"
        " ON CONFLICT (conversation_id) DO UPDATE SET text = EXCLUDED.text"
        f"{', document = EXCLUDED.document' if postgresql else ''}"
    )


def conversation_row_write(conversation_id: int) -> None:
    """A conversation's row, from its order, people and products: one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_conversation_facts_sql("c.id = %s"), [conversation_id])


def conversation_rows_write(first_id: int, last_id: int) -> int:
    """The rows of the conversations with ids in [first_id, last_id]; how many."""
    with connection.cursor() as cursor:
        cursor.execute(_conversation_facts_sql("c.id BETWEEN %s AND %s"), [first_id, last_id])
        return cursor.rowcount
