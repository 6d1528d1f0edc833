"""Writing the deliveries that tell a seller's webhook endpoints what happened.

Called from the event handlers inside the transaction of the change they report: the
deliveries are written with it (an outbox) and handed to the worker once it commits. A
rolled-back send reports nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils import timezone

from compliance.sanitize import html_to_text
from messagecenter.clock.models import ReplyReminder
from messagecenter.core.tasks import enqueue, enqueue_many_on_commit
from messagecenter.messaging.models import Message
from messagecenter.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

DELIVER_TASK = "webhooks.deliver_webhook"

__all__ = [
    "WebhookEvent",
    "emit_event",
    "emit_message_event",
    "emit_reply_due_events",
    "queue_deliveries",
]

logger = logging.getLogger(__name__)


def emit_event(
    event: WebhookEvent,
    *,
    business_id: int,
    data: Callable[[], dict[str, Any]],
    endpoints: list[WebhookEndpoint] | None = None,
) -> list[int]:
    """Write a delivery for each of the business's endpoints that wants the event.

    ``data`` makes the payload; it is called only when an endpoint wants the event (most
    businesses have none, and the message's text costs an HTML parse). ``endpoints`` may
    be given already loaded (for several events at once); otherwise the business's active
    endpoints are read.
    """
    if endpoints is None:
        endpoints = list(WebhookEndpoint.objects.filter(business_id=business_id, is_active=True))
    wanted = [e for e in endpoints if e.business_id == business_id and event.value in e.events]
    if not wanted:
        return []
    now = timezone.now()
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": event.value,
        "created_at": now.isoformat(),
        "data": data(),
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=e,
            event_id=event_id,
            event=event.value,
            payload=payload,
            window_started_at=now,
            next_attempt_at=now,
        )
        for e in wanted
    )
    ids = [d.pk for d in deliveries]
    enqueue_many_on_commit(DELIVER_TASK, [(pk,) for pk in ids])
    return ids


def emit_message_event(event: WebhookEvent, message: Message) -> list[int]:
    """An event about one message, sent to its conversation's seller."""
    conversation = message.conversation
    return emit_event(
        event, business_id=conversation.seller_id, data=lambda: message_event_data(message)
    )


def emit_reply_due_events(reminder_ids: Iterable[int]) -> None:
    """reply.due_soon for each reminder the reply-clock sweep has just claimed."""
    reminder_ids = list(reminder_ids)
    if not reminder_ids:
        return
    # A sweep after a backlog claims up to a thousand reminders, mostly of sellers with no
    # endpoint for this event: only the reminders of those that have one are loaded.
    businesses = set(
        ReplyReminder.objects.filter(pk__in=reminder_ids).values_list(
            "conversation__seller_id", flat=True
        )
    )
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(business_id__in=businesses, is_active=True)
        if WebhookEvent.REPLY_DUE_SOON.value in e.events
    ]
    if not endpoints:
        return
    reminders = list(
        ReplyReminder.objects.filter(
            pk__in=reminder_ids, conversation__seller_id__in={e.business_id for e in endpoints}
        ).select_related("message__conversation__order")
    )
    for reminder in reminders:
        emit_event(
            WebhookEvent.REPLY_DUE_SOON,
            business_id=reminder.message.conversation.seller_id,
            data=partial(_reply_due_data, reminder),
            endpoints=endpoints,
        )


def _reply_due_data(reminder: ReplyReminder) -> dict[str, Any]:
    data = message_event_data(reminder.message)
    data["reply_due_at"] = reminder.due_at.isoformat()
    data["hours_before"] = reminder.hours_before
    return data


def message_event_data(message: Message) -> dict[str, Any]:
    conversation = message.conversation
    return {
        "conversation_id": conversation.pk,
        "order_number": conversation.order.number if conversation.order_id else None,  # type: ignore[union-attr]
        "messages_url": reverse("api:conversation-messages", args=[conversation.pk]),
        "message": {
            "id": message.pk,
            "sender_side": message.sender_side,
            "message_type": message.message_type,
            "subject": message.subject,
            "status": message.status,
            "text": html_to_text(message.body_html),
            "html": message.body_html,
            "rejection_reason": message.rejection_reason,
            "created_at": message.created_at.isoformat() if message.created_at else None,
            "reply_due_at": message.reply_due_at.isoformat() if message.reply_due_at else None,
        },
    }


def queue_deliveries(delivery_ids: list[int]) -> None:
    """Hand deliveries to the broker now; what it cannot take is queued again later."""
    for delivery_id in delivery_ids:
        enqueue(DELIVER_TASK, delivery_id)
