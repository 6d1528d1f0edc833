"""An email's raw bytes made safe to parse: line ends repaired, nesting and parts counted.

The standard library's parser recurses once per nested part, so a thousand multiparts
inside each other raise RecursionError, and a hundred thousand tiny parts take it minutes
and gigabytes. Neither is a temporary problem: the same bytes fail the same way every
time. So before parsing, one pass follows the MIME structure the way the parser will (a
part's headers, the boundaries of the multiparts open around it, forwarded emails inside
it) and reports an email that goes deeper, has more parts or a larger header section than
the limits
(settings ``INBOUND_EMAIL_MAX_MIME_DEPTH``, ``INBOUND_EMAIL_MAX_MIME_PARTS``,
``INBOUND_EMAIL_MAX_HEADER_BYTES``). It is an upper bound the parser stays within; the
intake still treats any parser failure as a malformed email. The pass jumps from header
block to boundary with regular expressions rather than reading line by line, so that
millions of lines cost it milliseconds, not seconds.

Line ends: RFC 5322 allows CR only before LF, but mail arrives with bare CRs (old Mac
programs) and with CR CR LF (a CRLF converted to CRLF once more). The parser would read
CR CR LF as a line end followed by an empty line, ending the headers early and showing the
rest of them as the body. Every line end (CRLF, a run of CRs before an LF, a bare CR)
becomes one LF, which the parser reads like CRLF. Nothing legitimate is lost: mail over
SMTP cannot carry a bare CR in its content (binary attachments are base64).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_LINE_END = re.compile(rb"\r*\n|\r")
# Where a header block ends: the first line that is no header line as the parser tells
# them (a field name and colon, a folded line, mbox "From "); an empty line, most often.
_HEADER_BLOCK_END = re.compile(rb"^(?!From |[\x21-\x39\x3b-\x7e]*:|[ \t])", re.M)
# The block's first Content-Type header (the one the parser reads), folded lines included.
_CONTENT_TYPE = re.compile(rb"^content-type[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)", re.I | re.M)
_BOUNDARY = re.compile(rb"""\bboundary[ \t]*=[ \t]*(?:"([^"]*)"|([^;\s]+))""", re.I)
_FORWARDED = (b"message/rfc822", b"message/global")


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_parts: int
    max_header_bytes: int


def normalized_line_ends(raw: bytes) -> bytes:
    """Every line end (CRLF, LF, bare CR, CR CR LF) as one LF."""
    if b"\r" not in raw:
        return raw  # the common cases are a plain replace away, or none (mail piped by an MTA)
    lf = raw.replace(b"\r\n", b"\n")
    return lf if b"\r" not in lf else _LINE_END.sub(b"\n", raw)


@lru_cache(maxsize=64)
def _delimiters(boundaries: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """A line that opens or closes a part of one of these multiparts (as the parser
    matches them: the boundary, "--" to close, trailing blanks), with the line end before
    it: a literal start lets the search skip through bodies as fast as a plain find."""
    names = b"|".join(re.escape(boundary) for boundary in boundaries)
    return re.compile(rb"\n--(" + names + rb")(--)?[ \t]*$", re.M)


@dataclass
class _Scan:
    """Where the pass is: the open multiparts (their boundaries, innermost last, None for
    a forwarded email)."""

    raw: bytes
    open_levels: list[bytes | None] = field(default_factory=list)
    deepest: int = 0
    parts: int = 1

    def headers(self, start: int) -> tuple[int, bool]:
        """Read the header block at ``start``: where its body starts, and whether another
        header block starts there (a forwarded email's own headers)."""
        end = _HEADER_BLOCK_END.search(self.raw, start)
        block_end = end.start() if end is not None else len(self.raw)
        found = _CONTENT_TYPE.search(self.raw, start, block_end)
        media_type, boundary = b"text/plain", None
        if found is not None:
            value = found.group(1)
            media_type = value.split(b";")[0].strip().lower()
            declared = _BOUNDARY.search(value)
            if declared is not None:
                quoted, bare = declared.groups()
                boundary = (quoted if quoted is not None else bare).rstrip()
        forwarded = False
        if media_type.startswith(b"multipart/") and boundary is not None:
            self.open_levels.append(boundary)
        elif media_type in _FORWARDED:
            self.open_levels.append(None)
            forwarded = True
        self.deepest = max(self.deepest, len(self.open_levels))
        # An empty line ends the block; a line that is no header is read again as the
        # first line of the body.
        body = block_end + 1 if self.raw[block_end : block_end + 1] == b"\n" else block_end
        return body, forwarded

    def next_boundary(self, start: int) -> tuple[int, bool] | None:
        """Find the next line that opens a part (True) or closes a multipart (False) of
        the open ones, innermost first as the parser checks them; where the line after it
        starts. None when there is none."""
        boundaries = tuple(b for b in self.open_levels if b is not None)
        if not boundaries:
            return None
        # A body starts a line, so after an LF (start 0 is the email's own headers).
        found = _delimiters(boundaries).search(self.raw, max(start - 1, 0))
        if found is None:
            return None
        boundary, closing = found.group(1), found.group(2) is not None
        level = max(i for i, b in enumerate(self.open_levels) if b == boundary)
        if closing:
            del self.open_levels[level:]
        else:
            del self.open_levels[level + 1 :]
            self.parts += 1
        return found.end() + 1, not closing


def structure_problem(raw: bytes, limits: Limits) -> str:
    """Why the email (with normalized line ends) is beyond the limits, or ""."""
    header_bytes = raw.find(b"\n\n")
    if (header_bytes if header_bytes >= 0 else len(raw)) > limits.max_header_bytes:
        return (
            f"Its header section is larger than {limits.max_header_bytes // 1024} KB; "
            "mail programs write a few KB."
        )
    scan = _Scan(raw)
    position, in_headers = 0, True
    while position <= len(raw):
        if in_headers:
            position, in_headers = scan.headers(position)
        else:
            found = scan.next_boundary(position)
            if found is None:
                break  # no boundary of an open multipart follows: nothing deeper comes
            position, in_headers = found
        if scan.deepest > limits.max_depth:
            return f"Its parts are nested more than {limits.max_depth} levels deep."
        if scan.parts > limits.max_parts:
            return f"It has more than {limits.max_parts} parts."
    return ""
