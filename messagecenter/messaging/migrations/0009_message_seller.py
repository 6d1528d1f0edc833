"""Each message carries its conversation's seller, so that the performance page reads a
business's part-days and running clocks from indexes that start with the business.

The column is added empty, filled from the conversations in one statement, then made
required; the part-day index by delivery time alone gives way to one per business.
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
    UPDATE messaging_message AS m SET seller_id = c.seller_id
    FROM threads_conversation AS c
    WHERE c.id = m.conversation_id AND m.seller_id IS NULL
"""

RUNNING_NOT_LATE = models.Q(
    ("answered_at__isnull", True),
    ("no_response_needed_at__isnull", True),
    ("reply_due_at__isnull", False),
    ("late_at__isnull", True),
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_digest_claimed_until"),
        ("messaging", "0008_response_rollup"),
        ("threads", "0007_inbox_page_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="message", name="msg_clock_delivered"),
        migrations.AddField(
            model_name="message",
            name="seller",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.sellerbusiness",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
        migrations.AlterField(
            model_name="message",
            name="seller",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.sellerbusiness",
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("reply_due_at__isnull", False)),
                fields=["seller", "delivered_at"],
                include=(
                    "conversation",
                    "sender_side",
                    "answered_at",
                    "reply_due_at",
                    "no_response_needed_at",
                    "response_seconds",
                    "answered_by_message",
                ),
                name="msg_seller_clock_delivered",
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=RUNNING_NOT_LATE,
                fields=["seller", "reply_due_at"],
                include=("delivered_at", "sender_side"),
                name="msg_seller_clock_turning_late",
            ),
        ),
    ]
