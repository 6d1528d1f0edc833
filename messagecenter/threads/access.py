"""The one door to a conversation, from the buyer's side or the seller's side.

Missing and forbidden answer the same way (Http404) so nothing leaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Q, Value
from django.db.models.functions import Cast
from django.http import Http404

from messagecenter.accounts.models import Membership, User
from messagecenter.accounts.selectors import business_ids_for_member, membership_known
from messagecenter.core.joined_row import MAIN, JoinedRow, converted
from messagecenter.threads.models import Conversation, ReadState

# The conversation with the people and the order or product its pages show, and the
# viewer's own read marker (``viewer_read_at``): opening the page asks whether it is read
# already (conversation_open), and this answers it in the same query as the access check.
# Written once (core/joined_row.py): built by the ORM for every page, the same SELECT cost
# more in Python than the database spent on it.
_CONVERSATION = JoinedRow(Conversation, ("buyer", "seller", "order", "product"))
_READ_MARKER = ReadState._meta.get_field("last_read_at")


def _with_viewer(
    user: User, condition: str, params: list[Any], *, membership: bool
) -> Conversation | None:
    """The conversation matching ``condition`` (on MAIN's columns), with the viewer's read
    marker and, asked as a column, whether the viewer works for its seller; None if none.
    Every name in the statement comes from the models, every value is a parameter."""
    member = (
        f", EXISTS (SELECT 1 FROM {Membership._meta.db_table} m"  # noqa: S608
        f" WHERE m.business_id = {MAIN}.seller_id AND m.user_id = %s)"
        if membership
        else ""
    )
    sql = (
        f"SELECT {_CONVERSATION.columns}, (SELECT r.last_read_at"  # noqa: S608
        f" FROM {ReadState._meta.db_table} r"
        f" WHERE r.conversation_id = {MAIN}.id AND r.user_id = %s LIMIT 1){member}"
        f" FROM {_CONVERSATION.tables} WHERE {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *([user.pk] if membership else []), *params])
        row = cursor.fetchone()
    if row is None:
        return None
    conversation, (read_at, *is_member) = _CONVERSATION.instance(row)
    assert isinstance(conversation, Conversation)
    conversation.viewer_read_at = converted(_READ_MARKER, read_at)  # type: ignore[attr-defined]
    if membership:
        conversation.viewer_is_member = bool(is_member[0])  # type: ignore[attr-defined]
    return conversation


def access_conversation_as_buyer(user: User, conversation_id: int) -> Conversation:
    if not user.is_authenticated:
        raise Http404("No such conversation.")
    conversation = _with_viewer(
        user,
        f"{MAIN}.id = %s AND {MAIN}.buyer_id = %s",
        [conversation_id, user.pk],
        membership=False,
    )
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def access_conversation_as_seller(user: User, conversation_id: int) -> Conversation:
    if not user.is_authenticated:
        raise Http404("No such conversation.")
    # The membership asked in the same query, not read first: one query, and the send that
    # often follows (check_message_send) knows the user works for the seller. Asked as a
    # column rather than joined: a sixth table in the join made PostgreSQL weigh join
    # orders for about 1 ms per page, three times the query's planning without it.
    conversation = _with_viewer(user, f"{MAIN}.id = %s", [conversation_id], membership=True)
    if conversation is None or not getattr(conversation, "viewer_is_member", False):
        raise Http404("No such conversation.")
    membership_known(user, conversation.seller_id)
    return conversation


@dataclass(frozen=True)
class ConversationScope:
    """The conversations a user takes part in: as their buyer, or working for their seller.

    The one rule behind ``can_read_conversation`` (one conversation) and the lists that
    filter many (search): ``buyer_id`` and ``seller_ids`` are compared with the columns of
    the same names, on a conversation or on a row that copies them. Administrators take
    part in none; the pages that show them everything say so themselves.
    """

    buyer_id: int | None
    seller_ids: tuple[int, ...]

    # The ids are compared as what the columns are, bigint: a literal 1 is an integer,
    # and a GIN index over a bigint column (btree_gin) only answers bigint = bigint.
    def as_buyer(self, prefix: str = "") -> Q | None:
        """The condition for the user's conversations as a buyer; None: has none."""
        if self.buyer_id is None:
            return None
        return Q(**{f"{prefix}buyer_id": _bigint(self.buyer_id)})

    def as_seller(self, prefix: str = "") -> Q | None:
        """The condition for the conversations of the user's businesses; None: has none."""
        if not self.seller_ids:
            return None
        return reduce(or_, (Q(**{f"{prefix}seller_id": _bigint(i)}) for i in self.seller_ids))

    def covers(self, conversation: Conversation) -> bool:
        return conversation.buyer_id == self.buyer_id or conversation.seller_id in self.seller_ids


def _bigint(value: int) -> Cast:
    return Cast(Value(value), BigIntegerField())


def conversation_scope(user: User) -> ConversationScope:
    """Which conversations the user takes part in (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return ConversationScope(buyer_id=None, seller_ids=())
    return ConversationScope(buyer_id=user.pk, seller_ids=tuple(business_ids_for_member(user)))


def can_read_conversation(user: User, conversation: Conversation) -> bool:
    """Whether the user takes part in the conversation, on either side."""
    return conversation_scope(user).covers(conversation)
