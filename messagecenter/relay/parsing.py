"""Reading one inbound email: who wrote it, what it answers, its text and its files.

The standard library's modern API (``policy.default``) decodes RFC 2047 headers and MIME
structure; this module adds what it leaves to the caller: body charsets it cannot decode
(``charsets``: the declared one, then a detected one, ISO-8859-1 labels read as
Windows-1252 as browsers do, never a control character), ``format=flowed`` text, files
without a name, and forwarded emails attached whole.

What cannot be read is said, not guessed at: base64 that is not base64 (the library would
decode it into garbage), a body in no charset that makes sense, parts the headers promise
but the boundaries do not mark. ``ParsedEmail.unreadable`` names it; the intake refuses
such an email with a notice. Nothing here touches the database.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from email import errors, message_from_bytes, policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from functools import lru_cache

from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from compliance.sanitize import html_to_text, sanitize_html
from messagecenter.relay.charsets import base64_bytes, decoded_header, one_line, text_from_bytes
from messagecenter.relay.notice_language import declared_language

# Parts of these types are files even without a name (inline images, most of all).
_FILE_MAINTYPES = frozenset({"image", "application", "audio", "video"})
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_MEDIA_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
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
    # What of it could not be read ("the attachment x.pdf is damaged"); "" when all could.
    unreadable: str | Promise = ""
    # The marketplace language its headers declare (notice_language); "" when none.
    language: str = ""


# Defects by which the parser says the parts are not where the headers say they are.
_LOST_PARTS = (errors.NoBoundaryInMultipartDefect, errors.StartBoundaryNotFoundDefect)
# What could not be read, for the sender's notice: words read when the notice is written,
# in its language (notice_language).
TEXT_DAMAGED = gettext_lazy("the text of the email is damaged (its base64 encoding is broken)")
TEXT_UNKNOWN_CHARSET = gettext_lazy(
    "the text of the email is in a character set that could not be recognised"
)
# Translators: {name} is the file's name.
ATTACHMENT_DAMAGED = gettext_lazy(
    "the attachment {name} is damaged (its base64 encoding is broken)"
)
LOST_PARTS = gettext_lazy("its parts are not marked the way its headers say")


_HEADERS = HeaderRegistry()
_KEPT_HEADER_CHARS = 1000  # longer values are rare and would crowd the kept ones out


@lru_cache(maxsize=2048)
def _kept_header(name: str, value: str) -> BaseHeader:
    return _HEADERS(name, value)


def _header(name: str, value: str) -> BaseHeader:
    """A header object, as policy.default makes it: it parses a header again each time it
    is read (Content-Type alone five times or more per part, by get_body, get_content_type
    and the rest), and most values (content types, dispositions, encodings) repeat from
    email to email. Header objects are immutable, so one may serve every reader."""
    if len(value) > _KEPT_HEADER_CHARS:
        return _HEADERS(name, value)
    return _kept_header(name, value)


# policy.default, with its header objects kept per process.
_POLICY = policy.default.clone(header_factory=_header)


def parse_email(raw: bytes) -> ParsedEmail:
    message = message_from_bytes(raw, policy=_POLICY)
    assert isinstance(message, EmailMessage)  # policy.default always makes these
    subject = header_text(message, "Subject")
    problems: list[Promise] = []
    text, html, body_parts = _bodies(message, problems)
    forwarded_text, forwarded_parts = _forwarded_attachments(message)
    if forwarded_text:
        # The forwarded email is kept as text after the sender's own words.
        own = text or (html_to_text(sanitize_html(html)) if html else "")
        text = "\n\n".join(part for part in (own, forwarded_text) if part)
        html = ""
    files = _files(message, skip=body_parts | forwarded_parts, problems=problems)
    if not (text.strip() or html.strip() or problems) and _parts_lost(message):
        problems.append(LOST_PARTS)
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
        unreadable=_joined(problems) if problems else "",
        language=declared_language(message),
    )


def _join_now(problems: list[Promise]) -> str:
    return "; ".join(str(problem) for problem in problems)


_joined = lazy(_join_now, str)


def _parts_lost(message: EmailMessage) -> bool:
    return any(
        isinstance(defect, _LOST_PARTS) for part in message.walk() for defect in part.defects
    )


# --- headers ------------------------------------------------------------------------------


def header_text(message: Message, name: str) -> str:
    """A header decoded to one line of text, without control characters. What the parser
    could only decode with replacement characters (raw 8-bit bytes, encoded words in a
    charset it does not know or that do not decode) is decoded again by hand."""
    try:
        value = message.get(name)
    except Exception:  # a header so broken the parser gives up on it
        return ""
    if value is None:
        return ""
    text = str(value)
    if "\ufffd" in text or any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = next((v for n, v in message.raw_items() if n.lower() == name.lower()), "")
        return decoded_header(str(raw))
    return one_line(text)


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


def _bodies(message: EmailMessage, problems: list[Promise]) -> tuple[str, str, set[int]]:
    """The text/plain and text/html bodies, and the ids of the parts they came from.

    A body that cannot be read is a problem only when no other version of it can."""
    used: set[int] = set()
    found: dict[str, str] = {}
    unread: list[Promise] = []
    for subtype in ("plain", "html"):
        part = message.get_body(preferencelist=(subtype,))
        if part is None and subtype == "plain" and _type_unreadable(message):
            part = message  # RFC 2045 5.2: a Content-Type nobody can read means text/plain
        if part is None:
            continue
        used.add(id(part))
        content = readable_text(part)
        if content is None:
            unread.append(_why_unreadable(part))
        else:
            found[subtype] = content
    if unread and not any(content.strip() for content in found.values()):
        problems.append(unread[0])
    return found.get("plain", ""), found.get("html", ""), used


def _type_unreadable(part: Message) -> bool:
    return not part.is_multipart() and not _MEDIA_TYPE.fullmatch(part.get_content_type())


def _transfer_encoding(part: Message) -> str:
    return str(part.get("Content-Transfer-Encoding", "")).strip().lower()


def _payload_bytes(part: Message) -> bytes | None:
    """A leaf part's content, transfer encoding undone; None when that encoding is broken."""
    if _transfer_encoding(part) == "base64":
        payload = part.get_payload()
        return base64_bytes(payload) if isinstance(payload, str) else None
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _why_unreadable(part: Message) -> Promise:
    if _transfer_encoding(part) == "base64" and _payload_bytes(part) is None:
        return TEXT_DAMAGED
    return TEXT_UNKNOWN_CHARSET


def readable_text(part: Message) -> str | None:
    """A text part's content as str, whatever charset it claims; None when it cannot be
    read (broken base64, or bytes no charset makes sense of)."""
    payload = _payload_bytes(part)
    if payload is None:
        return None
    text = text_from_bytes(payload, part.get_content_charset())
    if text is None:
        return None
    flowed = str(part.get_param("format", "")).lower() == "flowed"
    if part.get_content_subtype() == "plain" and flowed:
        text = unflow(text, delsp=str(part.get_param("delsp", "")).lower() == "yes")
    return text


def decoded_text(part: Message) -> str:
    """A text part's content as str; "" when it cannot be read."""
    return readable_text(part) or ""


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


def _files(message: EmailMessage, *, skip: set[int], problems: list[Promise]) -> list[EmailFile]:
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
        name = filename or _invented_name(part, len(files) + 1)
        data = _payload_bytes(part)
        if data is None:
            problems.append(format_lazy(ATTACHMENT_DAMAGED, name=name))
            continue
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
    return one_line(str(name))


def _invented_name(part: Message, number: int) -> str:
    """A name for a file the sender's mail program did not name (often inline images)."""
    content_id = _MESSAGE_ID.search(header_text(part, "Content-ID"))
    stem = content_id.group()[1:-1].split("@")[0] if content_id else f"attachment-{number}"
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    if extension == ".jpe":
        extension = ".jpg"
    return stem if stem.lower().endswith(extension) else f"{stem}{extension}"
