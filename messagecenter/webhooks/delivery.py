"""Sending one delivery once, logging the attempt, and deciding when to try again.

Retries back off exponentially (WEBHOOK_RETRY_BASE_SECONDS doubled each time, at most
WEBHOOK_RETRY_MAX_DELAY_SECONDS apart) and stop WEBHOOK_RETRY_WINDOW_SECONDS after the event
or after WEBHOOK_MAX_ATTEMPTS tries, whichever comes first; the delivery is then failed.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from messagecenter.webhooks import transport
from messagecenter.webhooks.models import WebhookAttempt, WebhookDelivery
from messagecenter.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)
from messagecenter.webhooks.targets import TargetRefused, check_target

USER_AGENT = "MessageCenter-Webhooks/1"


def retry_delay(attempts_made: int) -> int:
    """Seconds to wait after the given number of failed attempts."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(attempts_made - 1, 0), settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS))


def _give_up_at(delivery: WebhookDelivery) -> datetime:
    return delivery.window_started_at + timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def webhook_attempt(delivery_id: int) -> int | None:
    """Try the delivery once; the seconds until the next try, or None when it is settled."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return None
    number = delivery.attempt_count + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempt_count=number - 1
    ).update(attempt_count=number, next_attempt_at=None)
    if not claimed:
        return None  # another worker is on it
    endpoint = delivery.endpoint
    body = delivery_body(delivery)
    started = time.monotonic()
    status: int | None = None
    excerpt = error = ""
    if not endpoint.is_active:
        error = "The endpoint is switched off."
    else:
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature_header(endpoint.secret, timestamp, body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.event_id),
        }
        try:
            target = check_target(endpoint.url)
            answer = transport.post(target, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS)
            status, excerpt = answer.status, answer.excerpt
        except TargetRefused as refused:
            error = str(refused)
        except OSError as failure:
            error = f"{type(failure).__name__}: {failure}"
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        response_status=status,
        response_excerpt=excerpt[:500],
        error=error[:500],
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    return _settle(
        delivery,
        succeeded=status is not None and 200 <= status < 300,
        retryable=endpoint.is_active,
    )


def _settle(delivery: WebhookDelivery, *, succeeded: bool, retryable: bool) -> int | None:
    now = timezone.now()
    if succeeded:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.SUCCEEDED, completed_at=now
        )
        return None
    # Counted since the window began, so a resend gets a full set of retries again.
    in_window = delivery.attempts.filter(attempted_at__gte=delivery.window_started_at).count()
    delay = retry_delay(in_window)
    next_at = now + timedelta(seconds=delay)
    if (
        not retryable
        or in_window >= settings.WEBHOOK_MAX_ATTEMPTS
        or next_at > _give_up_at(delivery)
    ):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, completed_at=now
        )
        return None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=next_at)
    return delay
