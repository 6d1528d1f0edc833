"""Text out of an email's bytes: the declared charset, else a detected one, never garbage.

Mail programs get charsets wrong: Windows-1252 labelled UTF-8, UTF-16 labelled UTF-8,
labels nobody knows. Bytes are decoded strictly with the declared charset first; when
that fails, or gives text that is mostly control characters, charset-normalizer (a
maintained detector) names one. Decided: on a tie, or nearly, Windows-1252 wins, because
all five languages of the marketplace are written in it and it is by far the most common
mislabelled charset; short texts give detectors little to go on, and they would rather
pick a Central European or even a Japanese code page for "Très bien". When neither gives
readable text the caller is told (``None``): such a body is refused with a notice rather
than delivered as replacement characters.

Whatever is decoded loses its control characters (C0 but tab and line feed, DEL, C1) and
any replacement character: they are never what a person wrote, and the database, the
sanitizer and mail programs choke on some of them (a NUL above all).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from email import quoprimime

from charset_normalizer import from_bytes

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
_WESTERN = "cp1252"
# How much messier (charset-normalizer's "chaos", 0 to 1) Windows-1252 may read than the
# detector's first choice and still be preferred.
_WESTERN_MARGIN = 0.1
# Text with more than this share of control or replacement characters was not decoded
# with its real charset (UTF-16 read as UTF-8 is every other character a NUL).
_MAX_JUNK_SHARE = 0.2

_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_LINE_BREAKS = re.compile(r"\r\n?")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
_BETWEEN_ENCODED_WORDS = re.compile(r"(?<=\?=)\s+(?==\?)")


def without_junk(text: str) -> str:
    """The text with LF line ends and no control or replacement characters."""
    return _JUNK.sub("", _LINE_BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """A header's text: no junk, every run of white space (line breaks too) one space."""
    return " ".join(without_junk(text).split())


def _charset_name(declared: str | None) -> str | None:
    """The codec for a declared label, or None when Python knows no such charset."""
    label = (declared or "utf-8").strip().strip('"').lower()
    if label in _WINDOWS_1252_ALIASES:
        return _WESTERN
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it
        return None


def _readable(text: str) -> bool:
    return not text or len(_JUNK.findall(text)) <= _MAX_JUNK_SHARE * len(text)


def _detected(data: bytes) -> str | None:
    best = from_bytes(data).best()
    if best is None:
        return None
    if best.encoding.startswith(("utf_16", "utf_32")) and not (best.bom or best.coherence):
        # Any even run of bytes "decodes" as UTF-16: without a byte order mark, only trust
        # it when the detector also recognised a language in the result.
        return None
    if best.encoding != _WESTERN:
        western = from_bytes(data, cp_isolation=[_WESTERN]).best()
        if western is not None and western.chaos <= best.chaos + _WESTERN_MARGIN:
            return str(western)
    return str(best)


def text_from_bytes(data: bytes, declared: str | None) -> str | None:
    """``data`` as text (see the module docstring); None when it cannot be read."""
    if not data:
        return ""
    # An unknown label is most often UTF-8 in practice.
    charset = _charset_name(declared) or "utf-8"
    try:
        declared_text: str | None = data.decode(charset)
    except UnicodeDecodeError:
        declared_text = None
    if declared_text is not None and _readable(declared_text):
        return without_junk(declared_text)
    detected = _detected(data)
    if detected is not None and _readable(detected):
        return without_junk(detected)
    # Decoded, but full of control characters, and no other charset reads better: what
    # is left without them is what the sender wrote.
    return without_junk(declared_text) if declared_text is not None else None


def base64_bytes(encoded: str) -> bytes | None:
    """Base64 as mail carries it (line breaks, sometimes spaces, padding sometimes left
    off); None when it is not base64 at all, which the standard library would decode into
    garbage instead."""
    compact = "".join(encoded.split())
    core = compact.rstrip("=")
    if len(compact) - len(core) > 2 or len(core) % 4 == 1:
        return None
    try:
        return base64.b64decode(core + "=" * (-len(core) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def decoded_header(raw: str) -> str:
    """A header value decoded by hand: raw 8-bit bytes and RFC 2047 encoded words each read
    like a body (declared charset, then a detected one). For the values the standard
    library could only decode with replacement characters."""
    data = raw.encode("ascii", "surrogateescape")
    text = text_from_bytes(data, "utf-8") or ""
    return one_line(_ENCODED_WORD.sub(_decoded_word, _BETWEEN_ENCODED_WORDS.sub("", text)))


def _decoded_word(match: re.Match[str]) -> str:
    charset, encoding, payload = match.groups()
    if encoding in "Bb":
        data = base64_bytes(payload)
    else:
        data = quoprimime.header_decode(payload).encode("latin-1", "ignore")
    if data is None:
        return ""
    return text_from_bytes(data, charset.partition("*")[0]) or ""
