"""Conversation and message rows written out as the API answers them.

The list endpoints read plain rows (``values()``, api/selectors.py) rather than model
instances, and these functions turn a row into exactly what the DRF serializers in
api/serializers.py describe field by field (the OpenAPI schema comes from those; tests in
tests/api/test_representations.py hold both to the same output). On the heavy bench seller
a page of 25 conversations or 50 messages spent most of its time building models and
walking field objects, not reading the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from django.urls import reverse
from django.utils import timezone

from compliance.sanitize import html_to_text
from messagecenter.accounts.models import public_name_of

# What User.public_name reads, in the order accounts.models.public_name_of takes them.
NAME_PARTS = ("display_name", "first_name", "last_name")


def api_datetime(value: datetime | None, zone: tzinfo | None = None) -> str | None:
    """A time as DRF's DateTimeField writes it: ISO 8601 in the current time zone, "Z"
    for UTC. A page passes the zone it looked up once (the lookup is most of the cost)."""
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class IdUrls:
    """The URL of a route whose one argument is an object's id, reversed once and then
    filled in per row: reverse() per row was a fifth of a conversation page's rendering."""

    # An id no object has; it marks where the id goes in the reversed URL.
    _MARK = "918273645546372819"

    def __init__(self, route: str) -> None:
        self._head, _, self._tail = reverse(route, args=[int(self._MARK)]).rpartition(self._MARK)

    def __call__(self, pk: int) -> str:
        return f"{self._head}{pk}{self._tail}"


class ConversationRows:
    """Writes out conversation rows for one response: the time zone, the clock and the
    messages URL are looked up once for all of them."""

    def __init__(self, now: datetime | None = None) -> None:
        self.zone = timezone.get_current_timezone()
        self.now = now or timezone.now()
        self.messages_url = IdUrls("api:conversation-messages")

    def __call__(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A row of api/selectors.py's conversation_rows, as ConversationSerializer says."""
        zone, due = self.zone, row["reply_due_at"]
        assignee = row["assigned_to_id"]
        return {
            "id": row["id"],
            "subject": row["subject"],
            "topic": row["topic"],
            "order_number": row["order_number"],
            "product_title": row["product_title"],
            "buyer_name": public_name_of(
                row["buyer_display_name"], row["buyer_first_name"], row["buyer_last_name"]
            ),
            "seller_id": row["seller_id"],
            "seller_name": row["seller_name"],
            "started_by": row["started_by"],
            "created_at": api_datetime(row["created_at"], zone),
            "last_message_at": api_datetime(row["last_message_at"], zone),
            "last_message_side": row["last_message_side"],
            "last_message_preview": row["last_message_preview"],
            "awaiting_reply": due is not None,
            "reply_due_at": api_datetime(due, zone),
            "overdue": due is not None and due <= self.now,
            "assigned_to": None
            if assignee is None
            else {
                "id": assignee,
                "name": public_name_of(
                    row["assignee_display_name"],
                    row["assignee_first_name"],
                    row["assignee_last_name"],
                ),
            },
            "unread": bool(row["is_unread"]),
            "messages_url": self.messages_url(row["id"]),
        }


class MessageRows:
    """Writes out messages of one conversation for one response (see ConversationRows)."""

    def __init__(self, seller_name: str) -> None:
        self.seller_name = seller_name  # whom the seller side's messages are from
        self.zone = timezone.get_current_timezone()
        self.download_url = IdUrls("api:attachment-download")

    def sender_name(self, row: Mapping[str, Any]) -> str:
        if row["sender_id"] is None:
            return ""
        if row["sender_side"] == "seller":
            return self.seller_name
        return public_name_of(
            row["sender_display_name"], row["sender_first_name"], row["sender_last_name"]
        )

    def __call__(
        self, row: Mapping[str, Any], attachments: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """A row with serializers.MESSAGE_COLUMNS and the sender's name parts, and the
        message's attachments (id, original_name, content_type, size), as
        MessageSerializer says."""
        zone = self.zone
        return {
            "id": row["id"],
            "conversation_id": row["conversation_id"],
            "sender_side": row["sender_side"],
            "sender_name": self.sender_name(row),
            "message_type": row["message_type"],
            "subject": row["subject"],
            "html": row["body_html"],
            "text": html_to_text(row["body_html"]),
            "status": row["status"],
            "rejection_reason": row["rejection_reason"],
            "via": row["via"],
            "is_automatic": row["is_automatic"],
            "created_at": api_datetime(row["created_at"], zone),
            "delivered_at": api_datetime(row["delivered_at"], zone),
            "reply_due_at": api_datetime(row["reply_due_at"], zone),
            "answered_at": api_datetime(row["answered_at"], zone),
            "no_response_needed_at": api_datetime(row["no_response_needed_at"], zone),
            "attachments": [
                {
                    "id": a["id"],
                    "name": a["original_name"],
                    "content_type": a["content_type"],
                    "size": a["size"],
                    "download_url": self.download_url(a["id"]),
                }
                for a in attachments
            ],
        }
