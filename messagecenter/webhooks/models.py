"""Where a seller's webhooks go, what was sent to them, and every try.

A webhook endpoint belongs to a seller business; every event sent to it is a
WebhookDelivery, and every try to send it a WebhookAttempt.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from messagecenter.accounts.models import SellerBusiness


class WebhookEvent(models.TextChoices):
    BUYER_MESSAGE_RECEIVED = "buyer_message.received", _("A buyer message arrived")
    REPLY_DUE_SOON = "reply.due_soon", _("A buyer message is due for an answer soon")
    MESSAGE_HELD = "message.held", _("A message of ours is held for review")
    MESSAGE_REJECTED = "message.rejected", _("A held message of ours was rejected")
    MESSAGE_UNDELIVERABLE = (
        "message.undeliverable",
        _("A message of ours could not be delivered"),
    )


class WebhookEndpoint(models.Model):
    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, help_text=_("The WebhookEvent values sent here."))
    secret = models.CharField(max_length=100, help_text=_("Signs every delivery (HMAC-SHA256)."))
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.business}: {self.url}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery status", "Waiting to be sent")
        SUCCEEDED = "succeeded", pgettext_lazy("webhook delivery status", "Delivered")
        FAILED = "failed", pgettext_lazy("webhook delivery status", "Gave up")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker makes an attempt (delivery.py). Past it, the worker is taken for
    # dead and beat's sweep queues the delivery again.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Restarted by a resend, so the retry window counts from there.
    window_started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to endpoint {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One try to send a delivery: what came back, or why nothing did."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField(auto_now_add=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
