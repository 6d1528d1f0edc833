"""A reviewer's edit of a held message, judged like any message sent.

The edited subject and body go through the same sanitizer and the same policy engine as
every send (``sending.judge_message``), as of the moment the sender sent the message, so
the rules that depend on time (the proactive window, review timing) judge it as they did
then. ``check_message_edit`` writes nothing; the moderation app decides what to do with
its answer and keeps both versions in the audit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from compliance.config import current_policy
from compliance.engine import Verdict
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.models import Message
from messagecenter.messaging.sending import clean_body, clean_subject, has_text, judge_message
from messagecenter.messaging.uploads import attachment_facts


@dataclass(frozen=True)
class EditCheck:
    """A checked edit: the text as the reviewer wrote it and the policy's verdict on it."""

    message: Message
    subject: str  # as the reviewer wrote it, on one line
    body: str  # as the reviewer wrote it
    verdict: Verdict

    @property
    def delivered_subject(self) -> str:
        """The subject the recipient gets: after the policy's fixes."""
        return (self.verdict.subject or self.message.conversation.subject)[:200]

    @property
    def blocked(self) -> bool:
        return self.verdict.blocked


def check_message_edit(message: Message, *, subject: str, body: str) -> EditCheck:
    """Judge a reviewer's edit of a stored message without writing anything.

    Raises UserFacingError when nothing readable is left of the body.
    """
    subject = clean_subject(subject)
    body = clean_body(body)
    if not has_text(body):
        raise UserFacingError(
            _(
                "The edited message has no text left. Write what the recipient should read, "
                "or reject the message instead."
            ),
            field="body",
        )
    verdict = judge_message(
        message.conversation,
        side=message.sender_side,
        message_type=message.message_type,
        subject=subject,
        body=body,
        attachments=attachment_facts(list(message.attachments.all())),
        sent_at=message.created_at,
        policy=current_policy(),
        excluding=message,
    )
    return EditCheck(message=message, subject=subject, body=body, verdict=verdict)
