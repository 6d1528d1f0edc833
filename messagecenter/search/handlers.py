"""Search keeps its rows in the transaction of the writes they describe."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.messaging.events import MessageStored
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
    text = search_text(message.subject, event.verdict.text, event.file_names)
    row = row_of(
        message,
        buyer_id=message.conversation.buyer_id,
        language=event.verdict.language,
        text=text,
    )
    message_rows_write([row])


@subscribe(ReviewDecided)
def index_the_decision(event: ReviewDecided) -> None:
    """The row follows the decision's status, and a reviewer's edit's text."""
    message = event.message
    if event.edit is None:
        message_status_record(message)
        return
    names = [a.original_name for a in message.attachments.all()]
    text = search_text(message.subject, event.edit.text, names)
    row = row_of(
        message,
        buyer_id=message.conversation.buyer_id,
        language=event.edit.language,
        text=text,
    )
    message_rows_write([row])


@subscribe(ConversationOpened)
def index_the_conversation(event: ConversationOpened) -> None:
    conversation_row_write(event.conversation.pk)
