"""Masked addresses for each buyer-seller pair, the senders a seller approved, and a log
of every email received."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from messagecenter.accounts.models import SellerBusiness


class ProxyAddressPair(models.Model):
    """The two stable masked addresses of one buyer-seller pair.

    ``buyer_token`` is the buyer's masked address: sellers write to it to reach the buyer.
    ``seller_token`` is the seller's: the buyer writes to it to reach the seller. Tokens are
    random (at least 80 bits) and say nothing about either party.
    """

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proxy_pairs"
    )
    seller = models.ForeignKey(SellerBusiness, on_delete=models.CASCADE, related_name="proxy_pairs")
    buyer_token = models.CharField(max_length=40, unique=True)
    seller_token = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["buyer", "seller"], name="one_proxy_pair")]

    def __str__(self) -> str:
        return f"Masked addresses for buyer {self.buyer_id} and seller {self.seller_id}"


class ApprovedSender(models.Model):
    """An extra address a seller may send email from (team members' addresses always may).

    It is pending until someone who reads that mailbox opens the confirmation link mailed
    to it; the relay accepts only confirmed ones (``confirmed_at`` set).
    """

    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, related_name="approved_senders"
    )
    email = models.EmailField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest confirmation link was mailed."
    )
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the link mailed to the address was opened; empty while pending.",
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["business", "email"], name="one_approved_sender")
        ]

    def __str__(self) -> str:
        return f"{self.email} for {self.business}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class InboundEmail(models.Model):
    """Every email received for the proxy domain and what became of it."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted into a conversation"
        AUTOMATIC = "automatic", "Automatic reply, stored only"
        BLOCKED = "blocked", "Blocked by the messaging policy"
        HELD = "held", "Held for review"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate, ignored"
        BOUNCE = "bounce", "Delivery report (bounce), never relayed"
        MALFORMED = "malformed", "Malformed or unreadable, refused"
        LOOP = "loop", "Mail loop, kept but not relayed"

    header_message_id = models.CharField(max_length=998, blank=True, db_index=True)
    envelope_from = models.CharField(max_length=998, blank=True)
    recipient = models.CharField(max_length=998)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    size = models.PositiveIntegerField(default=0)
    # What the email says, as a fingerprint (relay.loops.email_shape): the same shape
    # coming back from one side within minutes is a mail loop.
    shape = models.CharField(max_length=32, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The loop check reads the last minutes' emails on every email received.
            models.Index(fields=["received_at"], name="inbound_received_at"),
            # ... for the pair's two masked addresses (relay.history): without it that read
            # goes through every email of the last minutes, as many as the relay takes in.
            models.Index(fields=["recipient", "received_at"], name="inbound_recipient_received"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.header_message_id or '(no Message-ID)'}"


class EmailBounce(models.Model):
    """A relayed message's email that a recipient's mail server reported as undeliverable
    (an RFC 3464 delivery-status notification with Action: failed).

    ``recipient_address`` is the real address that failed, as the report names it: for
    administrators only, never shown to the other side of the conversation.
    """

    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="email_bounces"
    )
    recipient_address = models.CharField(max_length=998)
    status = models.CharField(max_length=20, blank=True, help_text='For example "5.1.1".')
    diagnostic = models.TextField(blank=True, help_text="The remote server's words.")
    report_message_id = models.CharField(max_length=998, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "recipient_address"], name="one_bounce_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"Bounce of message {self.message_id} ({self.status or 'no status'})"
