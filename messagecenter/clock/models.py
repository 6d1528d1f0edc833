"""Reminders about buyer messages waiting for an answer, each sent once."""

from __future__ import annotations

from django.db import models

from messagecenter.core.models import EmailSentRecord
from messagecenter.threads.models import Conversation


class ReplyReminder(models.Model):
    """One reminder about one buyer message at one point before its answer is due.

    The unique (message, hours_before) pair is the once-only guarantee: the sweep inserts
    these rows with ON CONFLICT DO NOTHING and queues only the rows its own insert created,
    so two sweeps at once cannot both queue a reminder. Sending is claimed with a lease
    (sending_since) so a worker that dies mid-send leaves it to be sent again, and each
    member's email is recorded (ReminderEmailSent) so that the run after it only reminds
    the members who were not reminded yet.
    """

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        NOT_NEEDED = "not_needed", "Not needed: answered, or past its due time"
        NOBODY = "nobody", "Nobody to tell: no member wants this email now"

    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="reply_reminders"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="reply_reminders"
    )
    hours_before = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    # Last handed to the broker; one not finished a while after is handed over again.
    queued_at = models.DateTimeField()
    sending_since = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    recipient_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "hours_before"], name="one_reminder_per_point"
            )
        ]
        indexes = [
            models.Index(
                fields=["queued_at"],
                condition=models.Q(finished_at__isnull=True),
                name="reminder_unfinished",
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.hours_before} h before {self.due_at:%Y-%m-%d %H:%M}"


class ReminderEmailSent(EmailSentRecord):
    """One member's email for one reminder, recorded right after the mail server took it."""

    reminder = models.ForeignKey(ReplyReminder, on_delete=models.CASCADE, related_name="emails")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient"], name="one_reminder_email_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.reminder_id} emailed to user {self.recipient_id}"


class ResponseDay(models.Model):
    """One business's buyer messages of one day (the marketplace's time zone, the day they
    were delivered), counted as their clocks ended: the performance page's rollup.

    Kept in the transaction that starts, stops or marks a clock (rollup.py); what is still
    open (received minus the three outcomes) is split into "waiting" and "unanswered" when
    read, against the present moment, so no sweep has to run for the page to be right.
    `repair_rollup --check` recounts these rows from the messages.
    """

    business = models.ForeignKey(
        "accounts.SellerBusiness", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    received = models.IntegerField(default=0)
    within = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    not_needed = models.IntegerField(default=0)
    answered_seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "day"], name="one_response_day")]

    def __str__(self) -> str:
        return f"Business {self.business_id} on {self.day}"


class MemberResponseDay(models.Model):
    """The answers one team member sent, by the day the buyer messages they answered came.

    member is null for answers whose sender is gone ("Former team member"); such rows are
    never merged on insert (NULLs are distinct), and the reader adds them up.
    """

    business = models.ForeignKey(
        "accounts.SellerBusiness", on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField()
    within = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    answered_seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "member", "day"], name="one_member_response_day"
            )
        ]
        # The performance page sums each member's days of a business: in (business,
        # member, day) order, with the summed columns in the index, that is an index-only
        # scan already grouped, where (business, day) read every row and sorted them.
        indexes = [
            models.Index(
                fields=["business", "member", "day"],
                include=["within", "late", "answered_seconds"],
                name="member_response_sums",
            )
        ]

    def __str__(self) -> str:
        return f"Member {self.member_id} of business {self.business_id} on {self.day}"
