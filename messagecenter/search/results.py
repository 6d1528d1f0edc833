"""What a search result shows and where it leads, for the page and the API alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.safestring import SafeString

from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message
from messagecenter.search.models import ConversationSearch, MessageSearch
from messagecenter.search.passages import passage_html
from messagecenter.threads.models import Conversation, Side


@dataclass(frozen=True)
class SearchResult:
    conversation: Conversation
    message_id: int | None  # None: the conversation matched on its order, people, products
    status: str
    at: datetime
    passage: SafeString
    url: str
    side: str  # the side the user reads it from: buyer, seller or admin

    @property
    def other_party(self) -> str:
        if self.side == Side.BUYER:
            return self.conversation.seller.name
        if self.side == Side.SELLER:
            return self.conversation.buyer.public_name
        return f"{self.conversation.buyer.public_name} and {self.conversation.seller.name}"


def _reading_side(user: User, conversation: Conversation, side: Side | None) -> str:
    if user.is_staff:
        return "admin"
    if side is not None:
        return side.value
    return Side.BUYER if conversation.buyer_id == user.pk else Side.SELLER


def _url(side: str, conversation: Conversation, message_id: int | None, status: str) -> str:
    if side == "admin":
        if message_id is None:
            return reverse("admin:threads_conversation_change", args=[conversation.pk])
        if status == Message.Status.HELD:
            return reverse("review_message", args=[message_id])
        return reverse("admin:messaging_message_change", args=[message_id])
    name = "buyer_conversation" if side == Side.BUYER else "seller_conversation"
    url = reverse(name, args=[conversation.pk])
    return f"{url}#message-{message_id}" if message_id is not None else url


def message_result(user: User, row: MessageSearch, side: Side | None) -> SearchResult:
    reading = _reading_side(user, row.conversation, side)
    return SearchResult(
        conversation=row.conversation,
        message_id=row.message_id,
        status=row.status,
        at=row.created_at,
        passage=passage_html(getattr(row, "passage", "")),
        url=_url(reading, row.conversation, row.message_id, row.status),
        side=reading,
    )


def conversation_result(user: User, row: ConversationSearch, side: Side | None) -> SearchResult:
    reading = _reading_side(user, row.conversation, side)
    return SearchResult(
        conversation=row.conversation,
        message_id=None,
        status="",
        at=row.created_at,
        passage=passage_html(getattr(row, "passage", "")),
        url=_url(reading, row.conversation, None, ""),
        side=reading,
    )
