"""Conversations between one buyer and one seller business, and who has read what."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from messagecenter.accounts.models import SellerBusiness
from orders.models import Order, Product

# Where a conversation without a due time sorts in "Due first": after every real one.
NEVER_DUE = datetime(9999, 1, 1, tzinfo=UTC)


class Side(models.TextChoices):
    BUYER = "buyer", "Buyer"
    SELLER = "seller", "Seller"


class ConversationTopic(models.TextChoices):
    """What a buyer says their conversation is about when they start it: it labels the
    conversation and routes it to the team member the business chose (topic_routing.py)."""

    WHERE_IS_MY_ORDER = "where_is_my_order", _("Where is my order")
    RETURN = "return", _("Return")
    DAMAGED_ITEM = "damaged_item", _("Damaged item")
    PRODUCT_QUESTION = "product_question", _("Question about the product")
    OTHER = "other", _("Other")


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
    # Empty: no topic was chosen (a seller started it, or it is older than topics).
    # A database default too: bulk loads (bench/, COPY) that name no topic stay valid.
    topic = models.CharField(
        max_length=20, choices=ConversationTopic.choices, blank=True, default="", db_default=""
    )
    started_by = models.CharField(max_length=6, choices=Side.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    # Kept up to date by the send service so that inbox pages need no per-row queries.
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message_side = models.CharField(max_length=6, choices=Side.choices, blank=True)
    last_message_preview = models.CharField(max_length=200, blank=True)
    last_buyer_message_at = models.DateTimeField(null=True, blank=True)
    last_seller_message_at = models.DateTimeField(null=True, blank=True)

    # The reply clock (reply_clock.py): the due time of the earliest buyer message still
    # waiting for an answer; empty when nothing is waiting.
    reply_due_at = models.DateTimeField(null=True, blank=True)
    # The team member who looks after the conversation; empty means the whole team.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_conversations",
    )
    # The team's own state of the conversation (threads/state.py), not the buyer's: closed
    # (done for now) and snoozed (out of the lists until then). A buyer's new message
    # clears both. Neither touches the reply clock above.
    closed_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)

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
            # Only conversations with a buyer waiting are in these two, so the reminder
            # sweep and the "due" inbox views cost what is due, not what exists.
            models.Index(
                fields=["reply_due_at"],
                condition=models.Q(reply_due_at__isnull=False),
                name="conv_reply_due",
            ),
            models.Index(
                fields=["seller", "reply_due_at"],
                condition=models.Q(reply_due_at__isnull=False),
                name="conv_seller_reply_due",
            ),
            # The seller inbox's Awaiting reply and Overdue tabs, newest first, page by page:
            # open conversations only, as those tabs show them (closing one takes it out).
            models.Index(
                F("seller"),
                F("last_message_at").desc(),
                F("id").desc(),
                condition=models.Q(reply_due_at__isnull=False, closed_at__isnull=True),
                name="conv_seller_awaiting_recent",
            ),
            # The Closed tab, newest first; and the Snoozed tab with the kept counts' next
            # wake-up. Both partial: they cost what is closed or snoozed, not what exists.
            models.Index(
                F("seller"),
                F("last_message_at").desc(),
                F("id").desc(),
                condition=models.Q(closed_at__isnull=False),
                name="conv_seller_closed_recent",
            ),
            models.Index(
                fields=["seller", "snoozed_until"],
                condition=models.Q(snoozed_until__isnull=False),
                name="conv_seller_snoozed",
            ),
            # The seller inbox's Assigned to me and Unassigned tabs, newest first, and their
            # counts (business_counts.py, assigned_to_me_count): a range of this index each.
            models.Index(
                F("seller"),
                F("assigned_to"),
                F("last_message_at").desc(),
                F("id").desc(),
                condition=models.Q(last_message_at__isnull=False),
                name="conv_seller_assignee_recent",
            ),
            # The seller inbox's "Due first" order, so its pages read only the rows shown.
            models.Index(
                "seller",
                Coalesce("reply_due_at", models.Value(NEVER_DUE)),
                F("last_message_at").desc(),
                F("id").desc(),
                name="conv_seller_due_first",
            ),
            # The seller inbox's topic filter, newest first, page by page.
            models.Index(
                F("seller"),
                F("topic"),
                F("last_message_at").desc(),
                F("id").desc(),
                condition=~models.Q(topic=""),
                name="conv_seller_topic_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def awaiting_seller_reply(self) -> bool:
        """A buyer message is waiting for an answer (its reply clock runs)."""
        return self.reply_due_at is not None


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


class ConversationAssignment(models.Model):
    """Each time a conversation was given to a team member (or back to the whole team).

    Append-only: the conversation's assigned_to is the current state, these rows are the
    history. The assignee's notice (notifications/assignment.py) is claimed with a lease
    (notice_claimed_until) and settled (notified_at) once the mail server accepted it, or
    once it turned out not to be needed; until then beat's rescan queues it again.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="assignments"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: given back to the whole team.",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField()
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the assignee's notice was settled: emailed, or not needed (no longer "
        "theirs, or they do not want it now).",
    )
    notice_claimed_until = models.DateTimeField(null=True, blank=True)
    # Given by the business's topic routing when the buyer started the conversation, not
    # by a person (assigned_by is then empty).
    by_topic_routing = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        indexes = [
            models.Index(
                fields=["assigned_at"],
                condition=models.Q(notified_at__isnull=True),
                name="assignment_notice_pending",
            )
        ]

    def __str__(self) -> str:
        return f"Conversation {self.conversation_id} to {self.assignee or 'the team'}"


class ConversationStateChange(models.Model):
    """Each time a conversation was closed, reopened, snoozed or woken (threads/state.py).

    Append-only, like ConversationAssignment: the conversation's closed_at and
    snoozed_until are the current state, these rows the history its page shows. ``by`` is
    the team member; empty with ``by_buyer_message``: the buyer's new message did it.
    """

    class Action(models.TextChoices):
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        SNOOZED = "snoozed", "Snoozed"
        WOKEN = "woken", "Woken"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="state_changes"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_buyer_message = models.BooleanField(default=False)
    at = models.DateTimeField()
    snoozed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["conversation", "-at"], name="state_change_recent")]

    def __str__(self) -> str:
        return f"Conversation {self.conversation_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"


class UnreadCount(models.Model):
    """How many conversations a user has unread on one side, kept as messages arrive and
    are read (threads/unread.py) so the navigation reads one row instead of counting.

    With a business: the conversations of that business the user (a member) has unread.
    Without: the user's conversations as a buyer. `manage.py repair_counts` recounts.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unread_counts"
    )
    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unread = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "business"], nulls_distinct=False, name="one_unread_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.unread} unread"


class TopicRoute(models.Model):
    """Who of a business's team gets the new conversations a buyer starts about a topic.
    No row for a topic: the whole team. Changed by the business's owners (topic_routing.py)."""

    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, related_name="topic_routes"
    )
    topic = models.CharField(max_length=20, choices=ConversationTopic.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "topic"], name="one_route_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.business}: {self.topic} to {self.assignee}"
