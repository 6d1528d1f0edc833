"""Reading one inbound email: who wrote it, what it answers, its text and its files.

The standard library's modern API (``policy.default``) decodes RFC 2047 headers and MIME
structure; this module adds what it leaves to the caller: body charsets it cannot decode
(and ISO-8859-1 labels that really mean Windows-1252, as browsers read them),
``format=flowed`` text, files without a name, and forwarded emails attached whole.
Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import mimetypes
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from compliance.sanitize import html_to_text, sanitize_html

# The labels browsers decode as Windows-1252: mail clients write them and mean it too
# (curly quotes, the euro sign and dashes live in 0x80-0x9F).
_WINDOWS_1252_ALIASES = frozenset(
    {
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "l1",
        "us-ascii",
        "ascii",
        "iso_8859-1",
        "cp819",
    }
)
# Parts of these types are files even without a name (inline images, most of all).
_FILE_MAINTYPES = frozenset({"image", "application", "audio", "video"})
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# Precedence values that mean "not written by a person" (RFC 3834 and common practice).
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|vs|vb)\s*(?:\[\d+\])?\s*:", re.I)
# One or more reply / forward prefixes, in the languages mail clients write them.
_SUBJECT_PREFIXES = re.compile(
    r"^(?:\s*(?:re|aw|sv|antw|antwort|odp|res|ref|réf|fwd?|wg|tr|rv|enc|vs|vb)"
    r"\s*(?:\[\d+\])?\s*:\s*)+",
    re.I,
)


@dataclass(frozen=True)
class EmailFile:
    """A file carried by the email (an attachment or an inline image)."""

    name: str
    content_type: str
    data: bytes
    # The part's Content-ID without brackets: the HTML shows an inline picture as "cid:<it>".
    content_id: str = ""


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str  # "<id@host>" as written, or "" when there is none
    reply_to_ids: tuple[str, ...]  # In-Reply-To first, then References newest first
    subject: str  # decoded, as written (prefixes included)
    from_address: str  # the From addr-spec, lower-cased; "" when missing or unreadable
    return_path: str | None  # the Return-Path header, None when absent
    automatic_reason: str  # why the headers say no person wrote it; "" for a person
    forwarded: bool  # the sender forwarded something: keep everything they sent
    text: str  # the text/plain body ("" when there is none)
    html: str  # the text/html body ("" when there is none)
    files: tuple[EmailFile, ...]


def parse_email(raw: bytes) -> ParsedEmail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)  # policy.default always makes these
    subject = header_text(message, "Subject")
    text, html, body_parts = _bodies(message)
    forwarded_text, forwarded_parts = _forwarded_attachments(message)
    if forwarded_text:
        # The forwarded email is kept as text after the sender's own words.
        own = text or (html_to_text(sanitize_html(html)) if html else "")
        text = "\n\n".join(part for part in (own, forwarded_text) if part)
        html = ""
    files = _files(message, skip=body_parts | forwarded_parts)
    return ParsedEmail(
        message_id=_first_message_id(header_text(message, "Message-ID")),
        reply_to_ids=_reply_to_ids(message),
        subject=subject,
        from_address=_from_address(message),
        return_path=header_text(message, "Return-Path") if "Return-Path" in message else None,
        automatic_reason=automatic_reply_reason(message),
        forwarded=bool(forwarded_text) or is_forward_subject(subject),
        text=text,
        html=html,
        files=tuple(files),
    )


# --- headers ------------------------------------------------------------------------------


def header_text(message: Message, name: str) -> str:
    """A header decoded to text; raw 8-bit bytes read as UTF-8 (or Windows-1252)."""
    try:
        value = message.get(name)
    except Exception:  # a header so broken the parser gives up on it
        return ""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("utf-8", "surrogateescape")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")
    return " ".join(text.split())


def _from_address(message: EmailMessage) -> str:
    try:
        header = message["From"]
        addresses = getattr(header, "addresses", ()) if header is not None else ()
    except Exception:
        return ""
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return address.addr_spec.strip().lower()
    return ""


def _first_message_id(value: str) -> str:
    match = _MESSAGE_ID.search(value)
    return match.group() if match else ""


def _reply_to_ids(message: Message) -> tuple[str, ...]:
    in_reply_to = _MESSAGE_ID.findall(header_text(message, "In-Reply-To"))
    references = _MESSAGE_ID.findall(header_text(message, "References"))[::-1]
    seen: dict[str, None] = {}
    for message_id in (*in_reply_to, *references):
        seen.setdefault(message_id[:998], None)
    return tuple(seen)


def automatic_reply_reason(message: Message) -> str:
    """Why the headers say a machine sent this (out of office, list, bounce), or ""."""
    auto_submitted = header_text(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if name in message:
            return f"{name} header"
    precedence = header_text(message, "Precedence").strip().lower()
    if precedence in _AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    if "Return-Path" in message and header_text(message, "Return-Path").strip() in ("<>", ""):
        return "empty Return-Path (a bounce or automatic message)"
    return ""


def is_forward_subject(subject: str) -> bool:
    return bool(_FORWARD_PREFIX.match(subject or ""))


def subject_without_prefixes(subject: str) -> str:
    """ "Re: AW: Fwd: Order 114-…" becomes "Order 114-…"."""
    return _SUBJECT_PREFIXES.sub("", subject or "").strip()


# --- bodies ---------------------------------------------------------------------------------


def _bodies(message: EmailMessage) -> tuple[str, str, set[int]]:
    """The text/plain and text/html bodies, and the ids of the parts they came from."""
    used: set[int] = set()
    text = html = ""
    plain_part = message.get_body(preferencelist=("plain",))
    if plain_part is not None:
        text = decoded_text(plain_part)
        used.add(id(plain_part))
    html_part = message.get_body(preferencelist=("html",))
    if html_part is not None:
        html = decoded_text(html_part)
        used.add(id(html_part))
    return text, html, used


def decoded_text(part: Message) -> str:
    """A text part's content as str, whatever charset it claims."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = (part.get_content_charset() or "utf-8").strip().lower()
    if charset in _WINDOWS_1252_ALIASES:
        charset = "cp1252"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    text = payload.decode(charset, errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    flowed = str(part.get_param("format", "")).lower() == "flowed"
    if part.get_content_subtype() == "plain" and flowed:
        text = unflow(text, delsp=str(part.get_param("delsp", "")).lower() == "yes")
    return text


def unflow(text: str, *, delsp: bool = False) -> str:
    """Join the soft line breaks of RFC 3676 format=flowed text (quoted lines are left)."""
    lines: list[str] = []
    pending = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        flowed = line.endswith(" ") and line != "-- " and not line.startswith(">")
        if flowed:
            pending += line[:-1] if delsp else line
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return "\n".join(lines)


# --- files ------------------------------------------------------------------------------------


def _forwarded_attachments(message: EmailMessage) -> tuple[str, set[int]]:
    """Emails forwarded as attachments (message/rfc822), as text to keep in the body."""
    sections: list[str] = []
    used: set[int] = set()
    for part in message.walk():
        if part.get_content_type() != "message/rfc822":
            continue
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, EmailMessage):
            continue
        used.add(id(part))
        heading = ["---------- Forwarded message ----------"]
        for name in ("From", "Date", "Subject"):
            value = header_text(inner, name)
            if value:
                heading.append(f"{name}: {value}")
        body = inner.get_body(preferencelist=("plain", "html"))
        content = ""
        if body is not None:
            used.add(id(body))
            content = decoded_text(body)
            if body.get_content_subtype() == "html":
                content = html_to_text(sanitize_html(content))
        sections.append("\n".join(heading) + "\n\n" + content.strip())
    return "\n\n".join(sections), used


def _files(message: EmailMessage, *, skip: set[int]) -> list[EmailFile]:
    """Every part that is a file: named parts, attachments, inline images."""
    files: list[EmailFile] = []
    for part in message.walk():
        if part.is_multipart() or id(part) in skip:
            continue
        filename = _filename(part)
        is_file = (
            filename
            or part.get_content_disposition() == "attachment"
            or part.get_content_maintype() in _FILE_MAINTYPES
        )
        if not is_file:
            continue  # another version of the body, or a body split around pictures
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        name = filename or _invented_name(part, len(files) + 1)
        content_id = _MESSAGE_ID.search(header_text(part, "Content-ID"))
        files.append(
            EmailFile(
                name=name,
                content_type=part.get_content_type(),
                data=data,
                content_id=content_id.group()[1:-1] if content_id else "",
            )
        )
    return files


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        return ""
    return " ".join(str(name).split())


def _invented_name(part: Message, number: int) -> str:
    """A name for a file the sender's mail program did not name (often inline images)."""
    content_id = _MESSAGE_ID.search(header_text(part, "Content-ID"))
    stem = content_id.group()[1:-1].split("@")[0] if content_id else f"attachment-{number}"
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    if extension == ".jpe":
        extension = ".jpg"
    return stem if stem.lower().endswith(extension) else f"{stem}{extension}"
