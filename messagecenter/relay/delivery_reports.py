"""Reading delivery-status notifications (bounces): RFC 3464 ``multipart/report`` emails.

A report has three parts: words for people, a ``message/delivery-status`` part (one block
of fields about the report, then one block per recipient: Final-Recipient, Action, Status,
Diagnostic-Code) and the returned message or its headers (``message/rfc822`` or
``text/rfc822-headers``), whose Message-ID names the email that bounced. The standard
library parses the status part into one header block per sub-message; this module reads
the fields it leaves as text. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.parser import HeaderParser

from messagecenter.relay.parsing import decoded_text, header_text

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
# A report has a message/delivery-status part, so its Content-Type is somewhere in the
# bytes (a header value cannot be folded inside the type, which has no space).
_MAY_HOLD_A_REPORT = re.compile(rb"message/delivery-status", re.IGNORECASE)


@dataclass(frozen=True)
class RecipientStatus:
    """What happened to the email for one recipient."""

    final_recipient: str  # the address, lower-cased ("" when the report gives none)
    original_recipient: str
    action: str  # failed, delayed, delivered, relayed or expanded (lower-case)
    status: str  # "5.1.1"
    diagnostic: str  # the remote server's answer, as one line

    @property
    def failed(self) -> bool:
        """A permanent failure: the email will not arrive."""
        return self.action == "failed" or (not self.action and self.status.startswith("5."))

    @property
    def delayed(self) -> bool:
        return self.action == "delayed"


@dataclass(frozen=True)
class DeliveryReport:
    original_message_id: str  # "<id@host>" of the email that bounced, or ""
    recipients: tuple[RecipientStatus, ...]

    @property
    def failures(self) -> tuple[RecipientStatus, ...]:
        return tuple(r for r in self.recipients if r.failed)


def delivery_report(raw: bytes) -> DeliveryReport | None:
    """The report in a delivery-status notification; None for any other email."""
    if not _MAY_HOLD_A_REPORT.search(raw):
        # Every email is asked; the bytes tell most of them no without a second parse.
        return None
    message = message_from_bytes(raw, policy=policy.compat32)
    status_part = next(
        (p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if status_part is None:
        return None
    blocks = _status_blocks(status_part)
    recipients = tuple(
        _recipient_status(block) for block in blocks[1:] if _field(block, "Final-Recipient")
    )
    return DeliveryReport(original_message_id=_original_message_id(message), recipients=recipients)


def _status_blocks(part: Message) -> list[Message]:
    """The header blocks of a message/delivery-status part (per message, per recipient)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [block for block in payload if isinstance(block, Message)]
        if blocks:
            return blocks
    # Some servers send it base64-encoded or as plain text: parse the blocks ourselves.
    text = decoded_text(part)
    chunks = re.split(r"\r?\n\s*\r?\n", text.strip())
    return [HeaderParser().parsestr(chunk) for chunk in chunks if chunk.strip()]


def _field(block: Message, name: str) -> str:
    return header_text(block, name)


def _address_of(value: str) -> str:
    """The address in "rfc822; jane@example.com" (the type is optional in practice)."""
    _, _, address = value.rpartition(";")
    return address.strip().strip("<>").strip().lower()


def _recipient_status(block: Message) -> RecipientStatus:
    status = _STATUS.search(_field(block, "Status"))
    diagnostic = _field(block, "Diagnostic-Code")
    kind, separator, words = diagnostic.partition(";")
    if separator and kind.strip().lower() in ("smtp", "x-unix", "x-postfix", "x-local"):
        diagnostic = words.strip()
    return RecipientStatus(
        final_recipient=_address_of(_field(block, "Final-Recipient")),
        original_recipient=_address_of(_field(block, "Original-Recipient")),
        action=_field(block, "Action").strip().lower(),
        status=".".join(status.groups()) if status else "",
        diagnostic=diagnostic,
    )


def _original_message_id(message: Message) -> str:
    """The Message-ID of the returned email (its whole text or only its headers)."""
    for part in message.walk():
        content_type = part.get_content_type()
        headers: Message | None = None
        if content_type == "message/rfc822":
            payload = part.get_payload()
            first = payload[0] if isinstance(payload, list) and payload else None
            headers = first if isinstance(first, Message) else None
        elif content_type == "text/rfc822-headers":
            headers = HeaderParser().parsestr(decoded_text(part))
        if headers is not None:
            found = _MESSAGE_ID.search(header_text(headers, "Message-ID"))
            if found:
                return found.group()
    return ""
