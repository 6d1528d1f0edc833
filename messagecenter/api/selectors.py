"""Reads for the API: the seller's conversations, filtered the way tools ask, and their
messages, as plain rows with only the columns the API shows (api/representations.py
writes them out).

The names a row shows (buyer, assignee, sender, seller, order number, product title) are
scalar subqueries on primary keys (_ColumnOf) rather than joins: on the heavy bench seller
PostgreSQL took 1.3-2.5 ms to plan a page with four or five joins, and 0.16 ms with the
subqueries, which run 0.3 ms for a page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, cast

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Field, Func, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.accounts.selectors import businesses_for_member
from messagecenter.api.representations import NAME_PARTS
from messagecenter.api.serializers import MESSAGE_COLUMNS
from messagecenter.messaging.models import Attachment, Message
from messagecenter.messaging.selectors import messages_in_conversation
from messagecenter.threads.assignment import team_members
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.selectors import InboxFilter, reply_clock_filter, seller_inbox
from messagecenter.threads.unread import with_unread
from orders.models import Order, Product

ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"

_CONVERSATION_COLUMNS = (
    "id",
    "subject",
    "topic",
    "seller_id",
    "started_by",
    "created_at",
    "last_message_at",
    "last_message_side",
    "last_message_preview",
    "reply_due_at",
    "assigned_to_id",
    "is_unread",  # with_unread's
)
_ATTACHMENT_COLUMNS = ("id", "message_id", "original_name", "content_type", "size")


class _ColumnOf(Func):
    """One column of the row that the outer row's pointer column (a foreign key) points
    at, NULL when it is NULL: ``(SELECT column FROM table WHERE pk = pointer)``.

    What Subquery(Model.objects.filter(pk=OuterRef(pointer)).values(column)) writes, but
    without a queryset per use: the ORM building and resolving ten of those was a third of
    a conversation page's Python time. No ordering, no joins, so nothing to plan either.
    """

    template = "(SELECT %(alias)s.%(column)s FROM %(table)s %(alias)s WHERE %(alias)s.%(key)s = %(expressions)s)"  # noqa: E501

    def __init__(self, model: type[Model], column: str, pointer: str) -> None:
        meta = model._meta
        field = cast(Field, meta.get_field(column))  # a column, not a relation
        self._names = {
            "table": meta.db_table,
            "alias": "api_pointed",  # not an alias Django gives (T1, U0, ...)
            "column": cast(str, field.column),
            "key": cast(str, meta.pk.column),
        }
        super().__init__(F(pointer), output_field=field)

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        quoted = {name: connection.ops.quote_name(value) for name, value in self._names.items()}
        return super().as_sql(
            compiler, connection, function, template, arg_joiner, **quoted, **extra_context
        )


def _name_parts(prefix: str, user_id_from: str) -> dict[str, _ColumnOf]:
    """What User.public_name reads, of the user the outer row's user_id_from points at."""
    return {f"{prefix}_{part}": _ColumnOf(User, part, user_id_from) for part in NAME_PARTS}


def conversation_rows(
    conversations: QuerySet[Conversation],
) -> QuerySet[Conversation, dict[str, Any]]:
    """The conversations (annotated by with_unread) as rows of what the API shows."""
    return conversations.values(
        *_CONVERSATION_COLUMNS,
        order_number=_ColumnOf(Order, "number", "order_id"),
        product_title=_ColumnOf(Product, "title", "product_id"),
        seller_name=_ColumnOf(SellerBusiness, "name", "seller_id"),
        **_name_parts("buyer", "buyer_id"),
        **_name_parts("assignee", "assigned_to_id"),
    )


def api_conversations(
    user: User,
    *,
    awaiting_reply: bool | None = None,
    overdue: bool | None = None,
    assigned: str | None = None,
    order_number: str | None = None,
    updated_since: datetime | None = None,
    topic: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Conversation, dict[str, Any]]:
    """The conversations of the user's seller businesses, as in the seller inbox, with the
    inbox's own reply-clock and assignment conditions, as rows (conversation_rows)."""
    now = now or timezone.now()
    conversations = seller_inbox(user, now=now, topic=topic or "")
    for wanted, inbox_filter in (
        (awaiting_reply, InboxFilter.AWAITING_REPLY),
        (overdue, InboxFilter.OVERDUE),
    ):
        condition = reply_clock_filter(inbox_filter, user=user, now=now)
        if wanted is True:
            conversations = conversations.filter(condition)
        elif wanted is False:
            conversations = conversations.exclude(condition)
    if assigned == ASSIGNED_TO_ME:
        conversations = conversations.filter(
            reply_clock_filter(InboxFilter.ASSIGNED_TO_ME, user=user, now=now)
        )
    elif assigned == UNASSIGNED:
        conversations = conversations.filter(
            reply_clock_filter(InboxFilter.UNASSIGNED, user=user, now=now)
        )
    elif assigned:
        conversations = conversations.filter(assigned_to_id=int(assigned))
    if order_number:
        conversations = conversations.filter(order__number=order_number)
    if updated_since is not None:
        conversations = conversations.filter(last_message_at__gte=updated_since)
    return conversation_rows(conversations)


def _as_seller(user: User, conversation_id: int) -> QuerySet[Conversation]:
    """The conversation if the user works for its seller: the rule of the access door
    (threads/access.py, access_conversation_as_seller), for a read of only the columns
    the API shows, in the door's one query."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    return Conversation.objects.filter(pk=conversation_id, seller__memberships__user=user)


def api_conversation_row(user: User, conversation_id: int) -> dict[str, Any]:
    """The conversation as a row (conversation_rows), read now, with the user's unread
    state; 404 as from the access door when it is not one of the user's businesses'."""
    rows = conversation_rows(
        with_unread(_as_seller(user, conversation_id), user.pk, "last_buyer_message_at")
    )
    row = rows.first()
    if row is None:
        raise Http404(_("No such conversation."))
    return row


def api_conversation_for_messages(user: User, conversation_id: int) -> Conversation:
    """The conversation with only what its message list needs (its seller's name), or
    404 as from the access door. The door's own query joins four tables the list does not
    read and took 1.6 ms to plan on the heavy bench seller."""
    conversation = _as_seller(user, conversation_id).select_related("seller").only("seller__name")
    found = conversation.first()
    if found is None:
        raise Http404(_("No such conversation."))
    return found


def api_message_rows(conversation: Conversation) -> QuerySet[Message, dict[str, Any]]:
    """What the seller's side sees in the conversation (the same rule as its page), as
    rows with the sender's name parts; attachments_by_message adds the files."""
    return (
        messages_in_conversation(conversation, Side.SELLER)
        .select_related(None)
        .prefetch_related(None)
        .values(*MESSAGE_COLUMNS, **_name_parts("sender", "sender_id"))
    )


def attachments_by_message(message_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The files of these messages, in the order they were attached; none are read for
    no message (an empty page makes no query, as a prefetch does not)."""
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if message_ids:
        rows = Attachment.objects.filter(message_id__in=message_ids).order_by("id")
        for row in rows.values(*_ATTACHMENT_COLUMNS):
            files[row["message_id"]].append(row)
    return files


def waiting_buyer_messages(conversation: Conversation) -> list[Message]:
    """The conversation's delivered buyer messages whose reply clock runs."""
    return [
        m
        for m in Message.objects.filter(
            conversation=conversation,
            sender_side=Side.BUYER,
            status=Message.Status.DELIVERED,
            reply_due_at__isnull=False,
        )
        if m.clock_running
    ]


def api_teams(user: User) -> list[dict]:
    """The user's seller businesses and their active members (whom to assign)."""
    return [
        {
            "business_id": business.pk,
            "name": business.name,
            "members": [{"id": m.pk, "name": m.public_name} for m in team_members(business.pk)],
        }
        for business in businesses_for_member(user).order_by("name")
    ]
