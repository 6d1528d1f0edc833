"""Conversations between one buyer and one seller business, and who has read what."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from messagecenter.accounts.models import SellerBusiness
from orders.models import Order, Product


class Side(models.TextChoices):
    BUYER = "buyer", "Buyer"
    SELLER = "seller", "Seller"


class Conversation(models.Model):
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conversations"
    )
    seller = models.ForeignKey(
        SellerBusiness, on_delete=models.PROTECT, related_name="conversations"
    )
    # One conversation per order: Contact Buyer on an order continues it.
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="conversations"
    )
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    subject = models.CharField(max_length=200)
    started_by = models.CharField(max_length=6, choices=Side.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    # Kept up to date by the send service so that inbox pages need no per-row queries.
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message_side = models.CharField(max_length=6, choices=Side.choices, blank=True)
    last_message_preview = models.CharField(max_length=200, blank=True)
    last_buyer_message_at = models.DateTimeField(null=True, blank=True)
    last_seller_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(order__isnull=False),
                name="one_conversation_per_order",
            )
        ]
        indexes = [
            models.Index(fields=["buyer", "-last_message_at"], name="conv_buyer_recent"),
            models.Index(fields=["seller", "-last_message_at"], name="conv_seller_recent"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def awaiting_seller_reply(self) -> bool:
        return self.last_message_side == Side.BUYER


class ReadState(models.Model):
    """When a user last opened a conversation; anything newer from the other side is unread."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_states"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_states"
    )
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_read_state")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.conversation_id} at {self.last_read_at:%Y-%m-%d %H:%M}"
