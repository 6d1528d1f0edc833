"""Writing every message's and conversation's search row again, a batch at a time: after
the migration (which filled them with the 'simple' configuration, set-based), after a
change to what is indexed, or to repair. Each batch is its own transaction, so the
command can be stopped and resumed (``--from-id``) and the site stays writable meanwhile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models import Max

from compliance.detect.language import language_map
from compliance.detect.normalize import normalize
from compliance.sanitize import html_to_text
from messagecenter.messaging.models import Attachment, Message
from messagecenter.search.indexing import (
    MessageRow,
    conversation_rows_write,
    message_rows_write,
    search_text,
)
from messagecenter.threads.models import Conversation


def _language(text: str) -> str:
    return language_map(text, normalize(text)).main


def message_batch_rebuild(first_id: int, last_id: int) -> int:
    """The rows of the messages with ids in [first_id, last_id], from what they show now
    and in the language the policy engine would detect; how many."""
    messages = list(
        Message.objects.filter(pk__gte=first_id, pk__lte=last_id)
        .order_by("pk")
        .values_list(
            "pk",
            "conversation_id",
            "seller_id",
            "conversation__buyer_id",
            "sender_side",
            "status",
            "created_at",
            "subject",
            "body_html",
        )
    )
    names: defaultdict[int, list[str]] = defaultdict(list)
    attachments = Attachment.objects.filter(message_id__gte=first_id, message_id__lte=last_id)
    for message_id, name in attachments.order_by("pk").values_list("message_id", "original_name"):
        names[message_id].append(name)
    rows = []
    for pk, conversation_id, seller_id, buyer_id, side, status, at, subject, html in messages:
        body = html_to_text(html)
        rows.append(
            MessageRow(
                message_id=pk,
                conversation_id=conversation_id,
                seller_id=seller_id,
                buyer_id=buyer_id,
                sender_side=side,
                status=status,
                created_at=at,
                language=_language(body),
                text=search_text(subject, body, names[pk]),
            )
        )
    if rows:
        message_rows_write(rows)
    return len(rows)


def _ranges(last: int, start: int, size: int) -> Iterator[tuple[int, int]]:
    for first in range(start, last + 1, size):
        yield first, min(first + size - 1, last)


def search_index_rebuild(
    *,
    batch_size: int,
    from_id: int = 1,
    report: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Every conversation's row, then every message's from ``from_id`` on; the counts."""
    conversations = messages = 0
    last = Conversation.objects.aggregate(last=Max("pk"))["last"] or 0
    for first, end in _ranges(last, 1, batch_size * 10):
        with transaction.atomic():
            conversations += conversation_rows_write(first, end)
    last = Message.objects.aggregate(last=Max("pk"))["last"] or 0
    for first, end in _ranges(last, from_id, batch_size):
        with transaction.atomic():
            messages += message_batch_rebuild(first, end)
        if report is not None:
            report(end, last)
    return conversations, messages
