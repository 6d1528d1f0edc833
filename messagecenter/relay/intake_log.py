"""The intake log's row for an email and one of its recipients (``InboundEmail``).

Every email writes one, whatever became of it. The INSERT is written once per process:
``InboundEmail.objects.create`` built the same statement again for every email, and a
model instance nobody reads afterwards.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.utils import timezone

from messagecenter.messaging.models import Message
from messagecenter.relay.charsets import one_line, without_junk
from messagecenter.relay.models import InboundEmail

_COLUMNS = (
    "header_message_id",
    "envelope_from",
    "recipient",
    "outcome",
    "reason",
    "message_id",
    "size",
    "shape",
    "received_at",
)


@cache
def _insert_sql() -> str:
    columns = ", ".join(_COLUMNS)  # each column is named as its field (attname)
    values = ", ".join(["%s"] * len(_COLUMNS))
    return f"INSERT INTO {InboundEmail._meta.db_table} ({columns}) VALUES ({values})"  # noqa: S608


def log_inbound_email(
    *,
    message_id: str,
    envelope_from: str,
    recipient: str,
    outcome: str,
    reason: str,
    message: Message | None,
    size: int,
    shape: str,
) -> None:
    # Whatever came from the email or the envelope, without the control characters (a NUL
    # above all) the database would refuse, and cut to the columns' length.
    values = [
        one_line(message_id)[:998],
        one_line(envelope_from)[:998],
        one_line(recipient)[:998],
        outcome,
        without_junk(reason),
        message.pk if message is not None else None,
        size,
        shape,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), values)
