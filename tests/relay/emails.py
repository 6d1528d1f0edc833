"""Emails as mail programs send them, built for the inbound tests.

``email_from(...)`` builds one with the standard library (plain, HTML-only, both, with
files); ``raw(...)`` writes one byte for byte, for what the library would not produce
(other charsets in headers, broken or unusual structure).
"""

from __future__ import annotations

import io
import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone
from PIL import Image

from messagecenter.relay.addresses import masked_address, proxy_pair_for
from messagecenter.threads.models import Side

_numbers = itertools.count(1)


def buyer_address(buyer, seller) -> str:
    """The buyer's masked address: sellers write to it to reach the buyer."""
    return masked_address(proxy_pair_for(buyer, seller), Side.BUYER)


def seller_address(buyer, seller) -> str:
    """The seller's masked address: the buyer writes to it to reach the seller."""
    return masked_address(proxy_pair_for(buyer, seller), Side.SELLER)


def new_message_id(host: str = "mail.example.net") -> str:
    return make_msgid(idstring=f"t{next(_numbers)}", domain=host)


def email_from(
    sender: str,
    to: str,
    *,
    subject: str = "Re: Your order",
    text: str | None = "Yes, apartment 4B is right.",
    html: str | None = None,
    charset: str = "utf-8",
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> bytes:
    """One email; ``files`` are (name, bytes, "type/subtype") attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id if message_id is not None else new_message_id()
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text, charset=charset)
        if html is not None:
            message.add_alternative(html, subtype="html", charset=charset)
    elif html is not None:
        message.set_content(html, subtype="html", charset=charset)
    for name, data, content_type in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))  # as on the wire


def raw(*lines: str | bytes) -> bytes:
    """An email written line by line (CRLF line ends, as on the wire)."""
    return b"\r\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)


def png_bytes(size: tuple[int, int] = (24, 16), colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
