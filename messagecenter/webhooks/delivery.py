"""Sending one delivery once, logging the attempt, and deciding when to try again.

Retries back off exponentially (WEBHOOK_RETRY_BASE_SECONDS doubled each time, at most
WEBHOOK_RETRY_MAX_DELAY_SECONDS apart) and stop WEBHOOK_RETRY_WINDOW_SECONDS after the event
or after WEBHOOK_MAX_ATTEMPTS tries, whichever comes first; the delivery is then failed.

An attempt is claimed with a lease (claimed_until): while it lasts no other worker makes
one. A worker that dies mid-attempt leaves the lease to run out; beat's sweep
(lost_deliveries) then queues the delivery again, and the next attempt logs the one that
was cut off. The receiver may have had the cut-off POST: every attempt carries the same
delivery id, so it can drop the repeat.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
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
CUT_OFF = "Cut off: the worker making this attempt stopped before an answer was logged."
# A delivery due longer ago than this was lost on the way to the worker: queue it again.
LOST_AFTER = timedelta(minutes=2)


def attempt_lease() -> timedelta:
    """How long an attempt is left to its worker: far longer than one can take (connecting,
    sending and reading the answer each wait up to WEBHOOK_TIMEOUT_SECONDS)."""
    return max(timedelta(minutes=5), timedelta(seconds=6 * settings.WEBHOOK_TIMEOUT_SECONDS))


def retry_delay(attempts_made: int) -> int:
    """Seconds to wait after the given number of failed attempts."""
    base = settings.WEBHOOK_RETRY_BASE_SECONDS
    return int(min(base * 2 ** max(attempts_made - 1, 0), settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS))


def _give_up_at(delivery: WebhookDelivery) -> datetime:
    return delivery.window_started_at + timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS)


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def lost_deliveries(now: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries nobody is working on: due a while ago (the task never reached a
    worker), or claimed by a worker whose lease ran out (it died mid-attempt)."""
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__lt=now - LOST_AFTER) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:limit]
    )


def webhook_attempt(delivery_id: int) -> int | None:
    """Try the delivery once; the seconds until the next try, or None when it is settled
    or another worker is on it."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return None
    now = timezone.now()
    number = delivery.attempt_count + 1
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempt_count=number - 1
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(attempt_count=number, next_attempt_at=None, claimed_until=now + attempt_lease())
    )
    if not claimed:
        return None  # another worker is on it
    if delivery.claimed_until is not None:
        _log_cut_off(delivery, claimed_until=delivery.claimed_until)
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
    # Over the "cut off" entry a newer attempt may have written meanwhile, if this worker
    # was slower than its lease: what really happened replaces the guess.
    WebhookAttempt.objects.update_or_create(
        delivery=delivery,
        number=number,
        defaults={
            "response_status": status,
            "response_excerpt": excerpt[:500],
            "error": error[:500],
            "duration_ms": int((time.monotonic() - started) * 1000),
        },
    )
    return _settle(
        delivery,
        number,
        succeeded=status is not None and 200 <= status < 300,
        retryable=endpoint.is_active,
    )


def _log_cut_off(delivery: WebhookDelivery, *, claimed_until: datetime) -> None:
    """The attempt before this one was claimed and never settled: its worker died."""
    number = delivery.attempt_count
    if delivery.attempts.filter(number=number).exists():
        return  # it was logged after all, by a worker slower than its lease
    attempt = WebhookAttempt.objects.create(delivery=delivery, number=number, error=CUT_OFF)
    # When it began, as near as is known: the lease counts from the claim.
    WebhookAttempt.objects.filter(pk=attempt.pk).update(
        attempted_at=claimed_until - attempt_lease()
    )


def _settle(
    delivery: WebhookDelivery, number: int, *, succeeded: bool, retryable: bool
) -> int | None:
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.PENDING)
    if succeeded:
        pending.update(
            status=WebhookDelivery.Status.SUCCEEDED, completed_at=now, claimed_until=None
        )
        return None
    # Unless a newer attempt has taken over from a worker slower than its lease: that one
    # decides what comes next.
    mine = pending.filter(attempt_count=number)
    # Counted since the window began, so a resend gets a full set of retries again.
    in_window = delivery.attempts.filter(attempted_at__gte=delivery.window_started_at).count()
    delay = retry_delay(in_window)
    next_at = now + timedelta(seconds=delay)
    if (
        not retryable
        or in_window >= settings.WEBHOOK_MAX_ATTEMPTS
        or next_at > _give_up_at(delivery)
    ):
        mine.update(status=WebhookDelivery.Status.FAILED, completed_at=now, claimed_until=None)
        return None
    return delay if mine.update(next_attempt_at=next_at, claimed_until=None) else None
