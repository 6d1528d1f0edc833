"""Start the reply clock on the messages that existed before it: every delivered buyer
message gets its due time, and its answer (the next delivered seller message that is not
an automatic reply) when there was one. One pass over the messages, in batches."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

BATCH = 1000
FIELDS = ["reply_due_at", "answered_at", "answered_by_message", "response_seconds", "late_at"]


def backfill(apps, schema_editor):
    Message = apps.get_model("messaging", "Message")
    Conversation = apps.get_model("threads", "Conversation")
    window = timedelta(hours=getattr(settings, "REPLY_WITHIN_HOURS", 24))
    now = timezone.now()
    rows = (
        Message.objects.filter(status="delivered", is_automatic=False)
        .exclude(delivered_at=None)
        .order_by("conversation_id", "delivered_at", "id")
        .only("id", "conversation_id", "sender_side", "delivered_at")
    )
    changed = []
    due_by_conversation = {}
    current, waiting = None, []

    def close(conversation_id, waiting):
        for message in waiting:
            if message.reply_due_at <= now:
                message.late_at = message.reply_due_at
        if waiting:
            due_by_conversation[conversation_id] = min(m.reply_due_at for m in waiting)

    for message in rows.iterator(chunk_size=BATCH):
        if message.conversation_id != current:
            close(current, waiting)
            current, waiting = message.conversation_id, []
        if message.sender_side == "buyer":
            message.reply_due_at = message.delivered_at + window
            waiting.append(message)
            changed.append(message)
        else:
            for answered in waiting:
                answered.answered_at = message.delivered_at
                answered.answered_by_message_id = message.pk
                answered.response_seconds = int(
                    (message.delivered_at - answered.delivered_at).total_seconds()
                )
                if message.delivered_at > answered.reply_due_at:
                    answered.late_at = answered.reply_due_at
            waiting = []
        if len(changed) >= BATCH and not waiting:
            Message.objects.bulk_update(changed, FIELDS)
            changed = []
    close(current, waiting)
    Message.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
    for conversation_id, due in due_by_conversation.items():
        Conversation.objects.filter(pk=conversation_id).update(reply_due_at=due)


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0002_reply_clock_and_assignment"),
        ("messaging", "0005_message_reply_clock"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
