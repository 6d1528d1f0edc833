"""What a search result shows and where it leads, for the page and the API alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.core.keyset import older_from
from messagecenter.messaging.models import Message
from messagecenter.messaging.selectors import MESSAGE_KEYS
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
        # Translators: the two sides of a conversation, as an administrator sees them.
        return _("%(buyer)s and %(seller)s") % {
            "buyer": self.conversation.buyer.public_name,
            "seller": self.conversation.seller.name,
        }


def _reading_side(user: User, conversation: Conversation, side: Side | None) -> str:
    if user.is_staff:
        return "admin"
    if side is not None:
        return side.value
    return Side.BUYER if conversation.buyer_id == user.pk else Side.SELLER


def _message_url(side: str, row: MessageSearch) -> str:
    """Where the message is shown: on its conversation page, in the window of messages
    that ends with it (however many came after), scrolled to it."""
    if side == "admin":
        if row.status == Message.Status.HELD:
            return reverse("review_message", args=[row.message_id])
        return reverse("admin:messaging_message_change", args=[row.message_id])
    name = "buyer_conversation" if side == Side.BUYER else "seller_conversation"
    url = reverse(name, args=[row.conversation_id])
    window = older_from([row.created_at, row.message_id], MESSAGE_KEYS)
    return f"{url}?{urlencode({'before': window})}#message-{row.message_id}"


def _conversation_url(side: str, conversation: Conversation) -> str:
    if side == "admin":
        return reverse("admin:threads_conversation_change", args=[conversation.pk])
    name = "buyer_conversation" if side == Side.BUYER else "seller_conversation"
    return reverse(name, args=[conversation.pk])


def message_result(user: User, row: MessageSearch, side: Side | None) -> SearchResult:
    reading = _reading_side(user, row.conversation, side)
    return SearchResult(
        conversation=row.conversation,
        message_id=row.message_id,
        status=row.status,
        at=row.created_at,
        passage=passage_html(getattr(row, "passage", "")),
        url=_message_url(reading, row),
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
        url=_conversation_url(reading, row.conversation),
        side=reading,
    )
