"""Search keeps its rows in the transaction of the writes they describe."""

from __future__ import annotations

from collections.abc import Sequence

from messagecenter.core.events import subscribe
from messagecenter.messaging.events import MessageStored
from messagecenter.messaging.models import Message
from messagecenter.moderation.events import ReviewDecided
from messagecenter.search.indexing import (
    conversation_row_write,
    message_rows_write,
    message_status_record,
    row_of,
    search_text,
)
from messagecenter.threads.events import ConversationOpened


@subscribe(MessageStored)
def index_the_message(event: MessageStored) -> None:
    message = event.message
    _write(message, event.verdict.text, event.file_names, event.verdict.language)


@subscribe(ReviewDecided)
def index_the_decision(event: ReviewDecided) -> None:
    """The row follows the decision's status, and a reviewer's edit's text."""
    message = event.message
    if event.edit is None:
        message_status_record(message)
        return
    names = [a.original_name for a in message.attachments.all()]
    _write(message, event.edit.text, names, event.edit.language)


@subscribe(ConversationOpened)
def index_the_conversation(event: ConversationOpened) -> None:
    conversation_row_write(event.conversation.pk)


def _write(message: Message, text: str, file_names: Sequence[str], language: str) -> None:
    """The message's row: its subject, text and files' names, read in its language."""
    row = row_of(
        message,
        buyer_id=message.conversation.buyer_id,
        language=language,
        text=search_text(message.subject, text, file_names),
    )
    message_rows_write([row])
