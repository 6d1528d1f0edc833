"""What was emailed to whom, kept so that a retry never emails the same person twice."""

from __future__ import annotations

from django.db import models

from messagecenter.core.models import EmailSentRecord


class MessageEmailSent(EmailSentRecord):
    """One recipient's notification email about one message, accepted by the mail server.

    Written right after the server accepted the email (message_notification.py); a send
    that is retried, after an SMTP error or a worker that died, skips these recipients.
    """

    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="notification_emails"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "recipient"], name="one_notification_email_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"Message {self.message_id} emailed to user {self.recipient_id}"
