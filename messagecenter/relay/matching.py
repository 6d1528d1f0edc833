"""Which conversation of a buyer-seller pair an email belongs to.

In order: the message it answers (In-Reply-To, then References, against the Message-IDs
recorded on the pair's messages and on the emails received for them); the order whose
number is in the subject, if it is an order between these two; the pair's most recent
conversation. An order of the pair with no conversation yet is returned as ``order`` so
the caller can open one for the buyer (a seller starts conversations with Contact Buyer).

All three are asked in one statement, written once per process for each number of ids and
order numbers (relay.rows): each way of matching gives its candidates, ranked, and the
best one comes with its order.
"""

# ruff: noqa: S608 (only table names and constants are written into the statement)
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection

from messagecenter.messaging.models import Message
from messagecenter.relay.models import InboundEmail, ProxyAddressPair
from messagecenter.relay.rows import ModelColumns, cache_related
from messagecenter.threads.models import Conversation
from orders.models import Order

ORDER_NUMBER = re.compile(r"(?<!\d)(\d{3}-\d{7}-\d{7})(?!\d)")

# The ways of matching, best first.
_REPLY, _ORDER, _LATEST = 0, 1, 2
_HOW = {_REPLY: "reply", _ORDER: "order", _LATEST: "latest"}


@dataclass(frozen=True)
class ConversationMatch:
    conversation: Conversation | None
    order: Order | None = None  # an order of the pair named in the subject, not yet talked about
    how: str = ""  # "reply", "order", "latest" or "" when nothing matched


def conversation_for_email(
    pair: ProxyAddressPair, *, reply_to_ids: tuple[str, ...], subject: str
) -> ConversationMatch:
    sql, params = match_statement(pair, reply_to_ids=reply_to_ids, subject=subject)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return match_from_row(row or (None,), 0)


def match_statement(
    pair: ProxyAddressPair, *, reply_to_ids: tuple[str, ...], subject: str
) -> tuple[str, list[Any]]:
    """The statement and its parameters: at most one row, read with ``match_from_row``
    (the intake asks it together with the log's questions, history.intake_lookup)."""
    # Stored with or without the angle brackets, depending on who wrote them: each id is
    # looked for in both forms, as written first, the most direct answer (In-Reply-To)
    # before the rest.
    forms = [form for message_id in reply_to_ids for form in (message_id, message_id.strip("<>"))]
    numbers = list(dict.fromkeys(ORDER_NUMBER.findall(subject or "")))
    params: list[Any] = []
    if forms:
        wanted = [value for place, form in enumerate(forms) for value in (form, place)]
        params += [*wanted, pair.buyer_id, pair.seller_id] * 2
    if numbers:
        params += [*numbers, pair.buyer_id, pair.seller_id, pair.buyer_id, pair.seller_id]
    params += [pair.buyer_id, pair.seller_id]
    return _match_sql(len(forms), len(numbers)), params


def match_from_row(row: Sequence[Any], start: int) -> ConversationMatch:
    """The match in ``row`` from ``start`` (all NULL when nothing matched)."""
    how = row[start]
    if how is None:
        return ConversationMatch(None)
    conversation = _CONVERSATION.read(row, start + 1)
    order = _ORDER_COLUMNS.read(row, start + 1 + len(_CONVERSATION))
    if conversation is None:  # a named order of the pair that has no conversation yet
        return ConversationMatch(None, order=order)
    # With its order: judging the message that comes in reads the order's facts.
    cache_related(conversation, "order", order)
    return ConversationMatch(conversation, how=_HOW[how])


_CONVERSATION = ModelColumns(Conversation, "c")
_ORDER_COLUMNS = ModelColumns(Order, "o")


@lru_cache(maxsize=64)
def _match_sql(forms: int, numbers: int) -> str:
    """Every candidate as (how, place, conversation, order without one), the best first:
    the conversations holding a message the email answers, ranked by which id and form
    named it (the relay's own copy before the intake log); the newest order of the pair
    named in the subject, with its conversation if it has one; the pair's latest
    conversation. Only names and constants are written in; every value is a parameter."""
    conversations = Conversation._meta.db_table
    messages = Message._meta.db_table
    orders = Order._meta.db_table
    of_pair = "c.buyer_id = %s AND c.seller_id = %s"
    candidates = []
    if forms:
        wanted = "(VALUES " + ", ".join(["(%s, %s)"] * forms) + ") AS wanted"
        in_pair = f"JOIN {conversations} c ON c.id = m.conversation_id AND {of_pair}"
        candidates += [
            f"SELECT {_REPLY} AS how, wanted.column2 * 2 AS place, m.conversation_id AS cid,"
            f" CAST(NULL AS BIGINT) AS oid FROM {wanted}"
            f" JOIN {messages} m ON m.email_message_id = wanted.column1 {in_pair}",
            f"SELECT {_REPLY} AS how, wanted.column2 * 2 + 1 AS place, m.conversation_id AS cid,"
            f" CAST(NULL AS BIGINT) AS oid FROM {wanted}"
            f" JOIN {InboundEmail._meta.db_table} ie ON ie.header_message_id = wanted.column1"
            f" JOIN {messages} m ON m.id = ie.message_id {in_pair}",
        ]
    if numbers:
        named = ", ".join(["%s"] * numbers)
        candidates.append(
            f"SELECT {_ORDER} AS how, 0 AS place, c.id AS cid, named.id AS oid"
            f" FROM (SELECT o.id FROM {orders} o"
            f" WHERE o.number IN ({named}) AND o.buyer_id = %s AND o.seller_id = %s"
            " ORDER BY o.ordered_at DESC LIMIT 1) AS named"
            f" LEFT JOIN {conversations} c ON c.order_id = named.id AND {of_pair}"
        )
    candidates.append(
        f"SELECT {_LATEST} AS how, 0 AS place, latest.id AS cid, CAST(NULL AS BIGINT) AS oid"
        f" FROM (SELECT c.id FROM {conversations} c"
        f" WHERE {of_pair} ORDER BY c.last_message_at DESC NULLS LAST, c.id DESC LIMIT 1)"
        " AS latest"
    )
    union = " UNION ALL ".join(f"SELECT * FROM ({one}) AS candidate" for one in candidates)
    return (
        f"SELECT candidate.how, {_CONVERSATION.select}, {_ORDER_COLUMNS.select}"
        f" FROM ({union}) AS candidate"
        f" LEFT JOIN {conversations} c ON c.id = candidate.cid"
        f" LEFT JOIN {orders} o ON o.id = COALESCE(c.order_id, candidate.oid)"
        " ORDER BY candidate.how, candidate.place, candidate.cid LIMIT 1"
    )
