"""What search reads: a row per message and a row per conversation, written in the
transaction of the write they describe (search/indexing.py).

A message's row holds what its readers see of it (the subject and text as delivered,
redactions applied, and its files' names) with the columns the access rule and the order
need copied from the message and its conversation, so one index answers "this business's
newest matches". A conversation's row holds what it is about: its order number, the
buyer's and seller's names, the products' titles and SKUs. On PostgreSQL ``document`` is
the tsvector (GIN indexes made by the migration); on SQLite an FTS5 table mirrors ``text``
through triggers, and ``document`` stays empty.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side


class MessageSearch(models.Model):
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # Copied, never changing: a conversation goes only with its messages (their rows go
    # with them), so no constraint or index of its own.
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    seller_id = models.BigIntegerField()
    buyer_id = models.BigIntegerField()
    sender_side = models.CharField(max_length=6, choices=Side.choices)
    status = models.CharField(max_length=16, choices=Message.Status.choices)
    created_at = models.DateTimeField()
    config = models.CharField(max_length=20, help_text="The text search configuration.")
    text = models.TextField()
    document = SearchVectorField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["seller_id", "-created_at", "-message"], name="search_msg_seller"),
            models.Index(fields=["buyer_id", "-created_at", "-message"], name="search_msg_buyer"),
            models.Index(fields=["-created_at", "-message"], name="search_msg_recent"),
        ]

    def __str__(self) -> str:
        return f"Search row of message {self.message_id}"


class ConversationSearch(models.Model):
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    seller_id = models.BigIntegerField()
    buyer_id = models.BigIntegerField()
    created_at = models.DateTimeField()
    text = models.TextField()
    document = SearchVectorField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["seller_id", "-created_at", "-conversation"], name="search_conv_seller"
            ),
            models.Index(
                fields=["buyer_id", "-created_at", "-conversation"], name="search_conv_buyer"
            ),
        ]

    def __str__(self) -> str:
        return f"Search row of conversation {self.conversation_id}"
