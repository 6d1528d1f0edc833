"""Messages in a conversation and the files attached to them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from messagecenter.messaging.storage import attachment_storage, generated_attachment_path
from messagecenter.threads.models import Conversation, Side

# A buyer message waiting for the seller's answer.
CLOCK_RUNNING = models.Q(
    reply_due_at__isnull=False, answered_at__isnull=True, no_response_needed_at__isnull=True
)


class Message(models.Model):
    class Via(models.TextChoices):
        WEB = "web", pgettext_lazy("how a message was sent", "Web")
        EMAIL = "email", pgettext_lazy("how a message was sent", "Email")
        API = "api", pgettext_lazy("how a message was sent", "API")

    class Status(models.TextChoices):
        DELIVERED = "delivered", pgettext_lazy("message status", "Delivered")
        HELD = "held", pgettext_lazy("message status", "Held for review")
        BLOCKED = "blocked", pgettext_lazy("message status", "Blocked")
        REJECTED = "rejected", pgettext_lazy("message status", "Rejected by review")
        UNDELIVERABLE = (
            "undeliverable",
            pgettext_lazy("message status", "Not delivered: the buyer opted out"),
        )

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # The conversation's seller, copied (it never changes) so that a business's messages
    # can be read from an index that starts with it, however big the marketplace is.
    seller = models.ForeignKey(
        "accounts.SellerBusiness", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_messages",
    )
    sender_side = models.CharField(max_length=6, choices=Side.choices)
    message_type = models.CharField(max_length=40)
    subject = models.CharField(max_length=200, blank=True, help_text="As delivered.")
    subject_as_written = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(help_text="The body exactly as the sender wrote it.")
    body_html = models.TextField(
        help_text="The sanitized HTML shown to people, with redactions and fixes applied."
    )
    verdict = models.CharField(max_length=5, default="allow")
    rejection_reason = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    via = models.CharField(max_length=5, choices=Via.choices, default=Via.WEB)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DELIVERED)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Set once every recipient's notification email was sent (notifications app); while a
    # worker sends them, it holds the message until notification_claimed_until.
    notification_sent_at = models.DateTimeField(null=True, blank=True)
    notification_claimed_until = models.DateTimeField(null=True, blank=True)
    # The Message-ID of the email that brought it in, or of the notification sent for it;
    # replies are threaded by it.
    email_message_id = models.CharField(max_length=998, blank=True, db_index=True)
    is_automatic = models.BooleanField(
        default=False, help_text="An automatic reply (out of office and the like)."
    )

    # The reply clock, kept on buyer messages only (messagecenter/threads/reply_clock.py).
    # A clock runs while reply_due_at is set and neither answered_at nor
    # no_response_needed_at is.
    reply_due_at = models.DateTimeField(
        null=True, blank=True, help_text="When the seller's answer is due (buyer messages)."
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_message = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_messages",
        help_text="The seller message that stopped this message's clock.",
    )
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    no_response_needed_at = models.DateTimeField(null=True, blank=True)
    no_response_needed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    late_at = models.DateTimeField(
        null=True, blank=True, help_text="When the clock passed its due time unanswered."
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="msg_conversation_time"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(notification_sent_at__isnull=True),
                name="msg_notification_pending",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="held"),
                name="msg_held_for_review",
            ),
            # Buyer messages whose clock runs, per conversation, earliest due first.
            models.Index(
                fields=["conversation", "reply_due_at"],
                condition=CLOCK_RUNNING,
                name="msg_clock_running",
            ),
            # The performance page reads a business's part-days at the edges of its
            # periods from this index alone (clock/performance_live.py): it holds every
            # column counted.
            models.Index(
                fields=["seller", "delivered_at"],
                include=[
                    "conversation",
                    "sender_side",
                    "answered_at",
                    "reply_due_at",
                    "no_response_needed_at",
                    "response_seconds",
                    "answered_by_message",
                ],
                condition=models.Q(reply_due_at__isnull=False),
                name="msg_seller_clock_delivered",
            ),
            # A business's running clocks not yet marked late (the performance page counts
            # those still inside their time).
            models.Index(
                fields=["seller", "reply_due_at"],
                include=["delivered_at", "sender_side"],
                condition=CLOCK_RUNNING & models.Q(late_at__isnull=True),
                name="msg_seller_clock_turning_late",
            ),
            # Running clocks not yet marked late: the sweep finds the ones turning late.
            models.Index(
                fields=["reply_due_at"],
                condition=CLOCK_RUNNING & models.Q(late_at__isnull=True),
                name="msg_clock_turning_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_side_display()} message {self.pk} in {self.conversation_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.seller_id is None:
            self.seller_id = self.conversation.seller_id
        super().save(*args, **kwargs)

    @property
    def is_delivered(self) -> bool:
        return self.status == self.Status.DELIVERED

    @property
    def clock_running(self) -> bool:
        """A buyer message the seller has neither answered nor marked as needing none."""
        return (
            self.reply_due_at is not None
            and self.answered_at is None
            and self.no_response_needed_at is None
        )


class Upload(models.Model):
    """A file a person has uploaded but not yet sent: kept while they fix a blocked message,
    and referenced by id from the API. Sending turns it into an Attachment."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    file = models.FileField(storage=attachment_storage, upload_to=generated_attachment_path)
    original_name = models.CharField(max_length=255, help_text="Cleaned, for display.")
    # Exactly as the browser or API sent it, so the attachment rules judge the real name
    # (path tricks, control characters, double extensions), not the cleaned one.
    name_as_given = models.CharField(max_length=1024, blank=True)
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.original_name} (upload {self.pk})"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=attachment_storage, upload_to=generated_attachment_path)
    original_name = models.CharField(max_length=255, help_text="The name the sender gave.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A small picture of the file (an image, a PDF's first page) made by the worker after
    # the message is stored (messaging/previews.py): always re-encoded, never the sender's
    # bytes, and served only through the access-checked preview view. Empty until it is
    # made, and for good when the file cannot be shown as a picture. Empty by default in the
    # database too, so rows written without naming them (a bulk COPY) are valid.
    preview = models.FileField(
        storage=attachment_storage,
        upload_to=generated_attachment_path,
        blank=True,
        default="",
        db_default="",
    )
    preview_content_type = models.CharField(max_length=20, blank=True, default="", db_default="")
    preview_width = models.PositiveSmallIntegerField(null=True, blank=True)
    preview_height = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the worker was done with the file, whether it made a preview or gave up on it;
    # a task run again for the same file then does nothing.
    preview_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def has_preview(self) -> bool:
        return bool(self.preview) and bool(self.preview_width) and bool(self.preview_height)


class ProactiveSendCount(models.Model):
    """How many proactive messages a seller business sent on one UTC day.

    The daily cap rule needs "sent today" on every seller send and on the Contact Buyer
    page; counting the day's messages meant reading the whole marketplace's messages of the
    day. This row is kept instead, changed in the transaction that stores a message or
    moves it into or out of a counted status (messaging/proactive_counts.py).
    """

    business = models.ForeignKey(
        "accounts.SellerBusiness", on_delete=models.CASCADE, related_name="proactive_send_counts"
    )
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "day"], name="proactive_count_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.sent} proactive messages by business {self.business_id} on {self.day}"
