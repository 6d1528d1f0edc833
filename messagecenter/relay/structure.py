"""An email's raw bytes made safe to parse: line ends repaired, nesting and parts counted.

The standard library's parser recurses once per nested part, so a thousand multiparts
inside each other raise RecursionError, and a hundred thousand tiny parts take it minutes
and gigabytes. Neither is a temporary problem: the same bytes fail the same way every
time. So before parsing, one pass over the lines follows the MIME boundaries the way the
parser will (a part's headers, its boundary, forwarded emails inside it) and reports an
email that goes deeper, has more parts or a larger header section than the limits
(settings ``INBOUND_EMAIL_MAX_MIME_DEPTH``, ``INBOUND_EMAIL_MAX_MIME_PARTS``,
``INBOUND_EMAIL_MAX_HEADER_BYTES``). It is an upper bound the parser stays within; the
intake still treats any parser failure as a malformed email.

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

_LINE_END = re.compile(rb"\r*\n|\r")
_CONTENT_TYPE = re.compile(rb"content-type[ \t]*:(.*)", re.I | re.S)
_BOUNDARY = re.compile(rb"""\bboundary[ \t]*=[ \t]*(?:"([^"]*)"|([^;\s]+))""", re.I)
# A header line as the parser tells one: a field name and colon, a folded line, or mbox "From ".
_HEADER_LINE = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[\t ]")
_FORWARDED = (b"message/rfc822", b"message/global")
_BOUNDARY_WHITESPACE = b" \t"


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


def _content_type(header_lines: list[bytes]) -> tuple[bytes, bytes | None]:
    """The media type (lower case) and boundary of a header block; the first
    Content-Type counts, as in the parser."""
    unfolded: list[bytes] = []
    for line in header_lines:
        if line[:1] in (b" ", b"\t") and unfolded:
            unfolded[-1] += line
        else:
            unfolded.append(line)
    for header in unfolded:
        found = _CONTENT_TYPE.match(header)
        if found is None:
            continue
        value = found.group(1)
        media_type = value.split(b";")[0].strip().lower()
        boundary = _BOUNDARY.search(value)
        if boundary is None:
            return media_type, None
        quoted, bare = boundary.groups()
        return media_type, (quoted if quoted is not None else bare).rstrip()
    return b"text/plain", None


@dataclass
class _Scan:
    """Where the pass is: the open multiparts (their boundaries, innermost last, None for
    a forwarded email), and whether the lines are a header block."""

    open_levels: list[bytes | None] = field(default_factory=list)
    in_headers: bool = True
    header_lines: list[bytes] = field(default_factory=list)
    deepest: int = 0
    parts: int = 1

    def end_of_headers(self) -> None:
        media_type, boundary = _content_type(self.header_lines)
        self.header_lines = []
        self.in_headers = False
        if media_type.startswith(b"multipart/") and boundary is not None:
            self.open_levels.append(boundary)
        elif media_type in _FORWARDED:
            self.open_levels.append(None)
            self.in_headers = True  # the forwarded email's own headers come next
        self.deepest = max(self.deepest, len(self.open_levels))

    def boundary(self, line: bytes) -> tuple[int, bool] | None:
        """The open level whose boundary the line is, innermost first (the parser checks
        them all), and whether it closes that multipart; None for any other line."""
        stripped = line.rstrip(_BOUNDARY_WHITESPACE)
        for level in range(len(self.open_levels) - 1, -1, -1):
            boundary = self.open_levels[level]
            if boundary is None:
                continue
            if stripped == b"--" + boundary + b"--":
                return level, True
            if stripped == b"--" + boundary:
                return level, False
        return None

    def at_boundary(self, level: int, closing: bool) -> None:
        if self.in_headers:  # a part cut short: its headers still count
            self.end_of_headers()
        if closing:
            del self.open_levels[level:]
            return
        del self.open_levels[level + 1 :]
        self.parts += 1
        self.in_headers = True


def structure_problem(raw: bytes, limits: Limits) -> str:
    """Why the email (with normalized line ends) is beyond the limits, or ""."""
    header_bytes = raw.find(b"\n\n")
    if (header_bytes if header_bytes >= 0 else len(raw)) > limits.max_header_bytes:
        return (
            f"Its header section is larger than {limits.max_header_bytes // 1024} KB; "
            "mail programs write a few KB."
        )
    scan = _Scan()
    for line in raw.split(b"\n"):
        found = scan.boundary(line) if line[:2] == b"--" and scan.open_levels else None
        if found is None and scan.in_headers:
            if line and _HEADER_LINE.match(line):
                scan.header_lines.append(line)
                continue
            # An empty line ends a header block; so does a line that is no header, which
            # the parser then reads again as the first line of the body.
            scan.end_of_headers()
            if line and scan.in_headers:  # a forwarded email that starts with its body
                scan.end_of_headers()
            if line[:2] == b"--" and scan.open_levels:
                found = scan.boundary(line)  # the part just opened may start right here
        if found is not None:
            scan.at_boundary(*found)
        if scan.deepest > limits.max_depth:
            return f"Its parts are nested more than {limits.max_depth} levels deep."
        if scan.parts > limits.max_parts:
            return f"It has more than {limits.max_parts} parts."
    return ""
