"""Registering, removing and resending webhooks; all by the business's owners."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.core.errors import UserFacingError
from messagecenter.webhooks.emit import queue_deliveries
from messagecenter.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from messagecenter.webhooks.signing import new_secret
from messagecenter.webhooks.targets import TargetRefused, check_target

MAX_ENDPOINTS_PER_BUSINESS = 10


def webhook_endpoint_register(
    *, business: SellerBusiness, url: str, events: Iterable[str], created_by: User
) -> WebhookEndpoint:
    """A new endpoint for the business; its signing secret is on the returned row."""
    url = (url or "").strip()
    wanted = [e for e in WebhookEvent.values if e in set(events)]
    if not wanted:
        raise UserFacingError(_("Choose at least one event to send to this URL."), field="events")
    try:
        check_target(url)
    except TargetRefused as refused:
        raise UserFacingError(str(refused), field="url") from None
    if WebhookEndpoint.objects.filter(business=business).count() >= MAX_ENDPOINTS_PER_BUSINESS:
        raise UserFacingError(
            ngettext(
                "A business may have %(count)d webhook URL; remove it first.",
                "A business may have %(count)d webhook URLs; remove one first.",
                MAX_ENDPOINTS_PER_BUSINESS,
            )
            % {"count": MAX_ENDPOINTS_PER_BUSINESS},
            field="url",
        )
    return WebhookEndpoint.objects.create(
        business=business, url=url, events=wanted, secret=new_secret(), created_by=created_by
    )


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint and its log; nothing more is sent to it."""
    endpoint.delete()


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Send the delivery again now, as a fresh try with a fresh retry window."""
    with transaction.atomic():
        now = timezone.now()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING,
            window_started_at=now,
            next_attempt_at=now,
            completed_at=None,
        )
        transaction.on_commit(lambda: queue_deliveries([delivery.pk]))
