"""Unread counts kept per user (threads/unread.py), filled from the conversations as they
are: one grouped pass per side, seconds at a million messages."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The same rule as threads.unread.with_unread: the other side wrote after the user's
# last look, or the user never looked.
COUNT_SELLER_MEMBERS = """
INSERT INTO threads_unreadcount (user_id, business_id, unread)
SELECT m.user_id, m.business_id,
       count(c.id) FILTER (
           WHERE c.last_buyer_message_at IS NOT NULL
             AND (rs.last_read_at IS NULL OR c.last_buyer_message_at > rs.last_read_at))
FROM accounts_membership m
LEFT JOIN threads_conversation c
       ON c.seller_id = m.business_id AND c.last_message_at IS NOT NULL
LEFT JOIN threads_readstate rs ON rs.conversation_id = c.id AND rs.user_id = m.user_id
GROUP BY m.user_id, m.business_id
"""
COUNT_BUYERS = """
INSERT INTO threads_unreadcount (user_id, business_id, unread)
SELECT c.buyer_id, NULL,
       count(*) FILTER (
           WHERE c.last_seller_message_at IS NOT NULL
             AND (rs.last_read_at IS NULL OR c.last_seller_message_at > rs.last_read_at))
FROM threads_conversation c
LEFT JOIN threads_readstate rs ON rs.conversation_id = c.id AND rs.user_id = c.buyer_id
WHERE c.last_message_at IS NOT NULL
GROUP BY c.buyer_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_business_standing"),
        ("threads", "0005_assignment_notice_lease"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UnreadCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unread", models.IntegerField(default=0)),
                (
                    "business",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.sellerbusiness",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="unread_counts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "business"), name="one_unread_count", nulls_distinct=False
                    )
                ],
            },
        ),
        migrations.RunSQL(COUNT_SELLER_MEMBERS, migrations.RunSQL.noop),
        migrations.RunSQL(COUNT_BUYERS, migrations.RunSQL.noop),
    ]
