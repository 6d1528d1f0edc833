"""A corpus of malformed emails, and what the relay must do with each.

Every case is written byte for byte by a small builder, from Sam (Northwind's owner,
``sam@northwind.example``) to Jordan's masked address, answering Jordan's open question, so
that an email the relay can read is a clean reply that lands in the conversation. What
each case must end in is one of three things, never "try again later":

* ``delivered``: stored and delivered as a clean message (the text given must be in it,
  the strings given must not: a header that leaked into the body, for one);
* ``refused``: refused for good (SMTP 5xx, a permanent exit status of ``receive_email``),
  nothing stored;
* ``notice``: taken (250, exit 0) but not stored, and Sam is told by email why.

Each of them writes an intake log row (``InboundEmail``) with the outcome given.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.factories import pdf_bytes

SENDER = "sam@northwind.example"
CLEAN = "We deliver to apartment 4B on Thursday morning."


@dataclass(frozen=True)
class Expect:
    kind: str  # delivered, refused or notice
    outcome: str  # the InboundEmail outcome of the log row
    smtp: int  # the SMTP reply code to DATA
    exit: int  # receive_email's exit status
    contains: tuple[str, ...] = ()  # in the stored body (delivered)
    subject: str | None = None  # the stored subject as written (delivered)
    absent: tuple[str, ...] = ()  # nowhere in the stored message (delivered)
    files: int = 0  # attachments of the stored message (delivered)
    notice: str = ""  # words of the notice Sam gets (notice)


def delivered(
    *contains: str,
    subject: str | None = None,
    absent: tuple[str, ...] = (),
    files: int = 0,
) -> Expect:
    return Expect(
        "delivered", "accepted", 250, 0, contains, subject=subject, absent=absent, files=files
    )


MALFORMED = Expect("refused", "malformed", 554, 65)
SENDER_REFUSED = Expect("refused", "rejected", 550, 77)


def unreadable(words: str) -> Expect:
    return Expect("notice", "malformed", 250, 0, notice=words)


NOTHING_WRITTEN = Expect("notice", "rejected", 250, 0, notice="Write a message")


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[str], bytes]  # the email, given Jordan's masked address
    expect: Expect
    what: str = field(default="")


def lines(*parts: str | bytes, end: bytes = b"\r\n") -> bytes:
    return end.join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)


def head(to: str, *extra: str | bytes, subject: str = "Re: Your order") -> list[str | bytes]:
    """The usual headers of Sam's answer, then any extra ones (Content-Type and such)."""
    return [f"From: Sam Carter <{SENDER}>", f"To: {to}", f"Subject: {subject}", *extra]


def single(
    to: str,
    body: bytes | str,
    *,
    content_type: str = "text/plain; charset=utf-8",
    encoding: str | None = None,
    extra: tuple[str | bytes, ...] = (),
    subject: str = "Re: Your order",
) -> bytes:
    """A one-part email."""
    headers = [f"Content-Type: {content_type}"]
    if encoding:
        headers.append(f"Content-Transfer-Encoding: {encoding}")
    return lines(*head(to, *extra, *headers, subject=subject), "", body, "")


def multipart(
    to: str, subtype: str, parts: list[bytes], *, boundary: str = "b0", closed: bool = True
) -> bytes:
    """A multipart email whose parts are given whole (headers, blank line, content)."""
    out: list[str | bytes] = [
        *head(to, "MIME-Version: 1.0", f'Content-Type: multipart/{subtype}; boundary="{boundary}"'),
        "",
    ]
    for part in parts:
        out += [f"--{boundary}", part]
    if closed:
        out.append(f"--{boundary}--")
    return lines(*out, "")


def part(content: bytes | str, content_type: str = "text/plain; charset=utf-8", *extra: str):
    return lines(f"Content-Type: {content_type}", *extra, "", content)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --- nesting and part bombs ------------------------------------------------------------------


def nested_multiparts(to: str, depth: int, *, closed: bool = True) -> bytes:
    """``depth`` multiparts, each the only part of the one around it, a text at the bottom."""
    body = part(CLEAN)
    for level in reversed(range(depth)):
        boundary = f"level{level}"
        inner = [f'Content-Type: multipart/mixed; boundary="{boundary}"', "", f"--{boundary}", body]
        if closed:
            inner.append(f"--{boundary}--")
        body = lines(*inner)
    top, _, rest = body.partition(b"\r\n")
    return lines(*head(to, "MIME-Version: 1.0", top.decode()), rest, "")


def nested_forwards(to: str, depth: int) -> bytes:
    """An email forwarded as an attachment, itself carrying a forwarded email, ``depth`` deep."""
    inner = lines("From: Courier", "Subject: inner", "", CLEAN)
    for _level in range(depth):
        inner = lines(
            "From: Courier",
            "Subject: Fwd",
            'Content-Type: multipart/mixed; boundary="fw"',
            "",
            "--fw",
            part("See the attached."),
            "--fw",
            "Content-Type: message/rfc822",
            "",
            inner,
            "--fw--",
        )
    return multipart(to, "mixed", [part(CLEAN), lines("Content-Type: message/rfc822", "", inner)])


def part_bomb(to: str, count: int) -> bytes:
    return multipart(to, "mixed", [part(CLEAN)] + [part(f"p{n}") for n in range(count)])


# --- the cases -------------------------------------------------------------------------------

LATIN1_TEXT = "Grüße aus München: die Lieferung kommt Donnerstag, Straße 4B."
CP1252_TEXT = "We’ll deliver on Thursday – the fee is €5 “as agreed”."

CASES: list[Case] = [
    # Structure: too deep, too many parts (limits applied before parsing).
    Case("nested-multipart-1000", lambda to: nested_multiparts(to, 1000), MALFORMED),
    Case(
        "nested-multipart-1000-unclosed",
        lambda to: nested_multiparts(to, 1000, closed=False),
        MALFORMED,
    ),
    Case("nested-multipart-60", lambda to: nested_multiparts(to, 60), MALFORMED),
    Case("nested-forwards-300", lambda to: nested_forwards(to, 300), MALFORMED),
    Case("part-bomb-5000", lambda to: part_bomb(to, 5000), MALFORMED),
    Case(
        "part-bomb-empty-parts-20000", lambda to: multipart(to, "mixed", [b""] * 20000), MALFORMED
    ),
    Case("nested-multipart-6", lambda to: nested_multiparts(to, 6), delivered(CLEAN)),
    Case("nested-forwards-3", lambda to: nested_forwards(to, 3), delivered(CLEAN)),
    Case("forty-parts", lambda to: part_bomb(to, 40), delivered(CLEAN)),
    # Transfer encodings.
    Case(
        "base64-invalid-html-only",
        lambda to: single(
            to,
            "<p>Hello there, this is not base64 at all!</p>",
            content_type="text/html; charset=utf-8",
            encoding="base64",
        ),
        unreadable("could not be read"),
        "the issue's case: it reached the seller as mojibake",
    ),
    Case(
        "base64-invalid-text-only",
        lambda to: single(to, "Thanks, this is plain text!", encoding="base64"),
        unreadable("could not be read"),
    ),
    Case(
        "base64-invalid-html-alternative-text-fine",
        lambda to: multipart(
            to,
            "alternative",
            [
                part(CLEAN),
                part(
                    "<p>not ~ base64 !</p>",
                    "text/html; charset=utf-8",
                    "Content-Transfer-Encoding: base64",
                ),
            ],
        ),
        delivered(CLEAN),
    ),
    Case(
        "base64-missing-padding",
        lambda to: single(to, b64(CLEAN.encode() + b"!!").rstrip("="), encoding="base64"),
        delivered(CLEAN + "!!"),
    ),
    Case(
        "base64-spaces-and-short-lines",
        lambda to: single(
            to,
            lines(
                *(" ".join([b64(CLEAN.encode())[i : i + 8], ""]) for i in range(0, 48, 8)),
                b64(CLEAN.encode())[48:],
            ),
            encoding="base64",
        ),
        delivered(CLEAN),
    ),
    Case(
        "base64-binary-garbage-as-utf8",
        lambda to: single(to, b64(bytes(range(128, 256)) * 3), encoding="base64"),
        unreadable("could not be read"),
    ),
    Case(
        "base64-invalid-attachment",
        lambda to: multipart(
            to,
            "mixed",
            [
                part(CLEAN),
                part(
                    "JVBERi0x~~~not base64~~~",
                    "application/pdf",
                    'Content-Disposition: attachment; filename="invoice.pdf"',
                    "Content-Transfer-Encoding: base64",
                ),
            ],
        ),
        unreadable("invoice.pdf"),
    ),
    Case(
        "base64-truncated",
        lambda to: single(to, b64(CLEAN.encode())[:-3], encoding="base64"),
        unreadable("could not be read"),
    ),
    Case(
        "quoted-printable-bad-escapes",
        lambda to: single(to, "Fee =ZZ is 5 =\r\nEUR, see =4", encoding="quoted-printable"),
        delivered("Fee =ZZ is 5 EUR"),
    ),
    Case(
        "quoted-printable-latin1-declared-utf8",
        lambda to: single(
            to,
            "Gr=FC=DFe aus M=FCnchen: die Lieferung kommt Donnerstag, Stra=DFe 4B.",
            encoding="quoted-printable",
        ),
        delivered(LATIN1_TEXT),
    ),
    Case(
        "quoted-printable-raw-8bit",
        lambda to: single(to, LATIN1_TEXT.encode(), encoding="quoted-printable"),
        delivered(LATIN1_TEXT),
    ),
    Case(
        "unknown-transfer-encoding",
        lambda to: single(to, CLEAN, encoding="x-made-up"),
        delivered(CLEAN),
    ),
    # Charsets.
    Case(
        "latin1-declared-utf8",
        lambda to: single(to, LATIN1_TEXT.encode("latin-1"), encoding="8bit"),
        delivered(LATIN1_TEXT),
        "the issue's case: it arrived with replacement characters",
    ),
    Case(
        "cp1252-declared-utf8",
        lambda to: single(to, CP1252_TEXT.encode("cp1252"), encoding="8bit"),
        delivered(CP1252_TEXT),
    ),
    Case(
        "latin1-french-declared-utf8",
        lambda to: single(
            to,
            "Très bien, merci. À jeudi, nous livrons l'étagère.".encode("latin-1"),
            encoding="8bit",
        ),
        delivered("Très bien, merci. À jeudi, nous livrons l'étagère."),
    ),
    Case(
        "unknown-charset-utf8-bytes",
        lambda to: single(
            to,
            LATIN1_TEXT.encode(),
            content_type="text/plain; charset=x-no-such-charset",
            encoding="8bit",
        ),
        delivered(LATIN1_TEXT),
    ),
    Case(
        "unknown-charset-latin1-bytes",
        lambda to: single(
            to,
            LATIN1_TEXT.encode("latin-1"),
            content_type="text/plain; charset=x-no-such-charset",
            encoding="8bit",
        ),
        delivered(LATIN1_TEXT),
    ),
    Case(
        "utf16-declared-utf8",
        lambda to: single(to, b64(CLEAN.encode("utf-16")), encoding="base64"),
        delivered(CLEAN),
    ),
    Case(
        "no-charset-utf8-bytes",
        lambda to: single(to, LATIN1_TEXT.encode(), content_type="text/plain", encoding="8bit"),
        delivered(LATIN1_TEXT),
    ),
    Case(
        "empty-charset",
        lambda to: single(to, CLEAN, content_type='text/plain; charset=""'),
        delivered(CLEAN),
    ),
    Case(
        "charset-with-garbage",
        lambda to: single(to, CLEAN, content_type='text/plain; charset="utf-8\x01\x02../../x"'),
        delivered(CLEAN),
    ),
    Case(
        "invalid-utf8-sequences",
        lambda to: single(
            to, b"We deliver \xc0\xaf on Thursday \xed\xa0\x80 morning.", encoding="8bit"
        ),
        delivered("on Thursday"),
    ),
    Case(
        "binary-garbage-8bit",
        lambda to: single(
            to, bytes(range(128, 256)) * 4 + bytes(range(1, 9)) * 40, encoding="8bit"
        ),
        unreadable("could not be read"),
    ),
    # Control characters.
    Case(
        "nul-bytes-in-text",
        lambda to: single(to, b"We deliver\x00 on Thursday\x00 morning.", encoding="8bit"),
        delivered("We deliver on Thursday morning."),
        "the issue's case: NULs arrived as replacement characters",
    ),
    Case(
        "nul-bytes-in-html",
        lambda to: single(
            to,
            b"<p>We deliver\x00 on Thursday\x00 morning.</p>",
            content_type="text/html; charset=utf-8",
            encoding="8bit",
        ),
        delivered("We deliver on Thursday morning."),
    ),
    Case(
        "c0-controls-and-escape-sequences",
        lambda to: single(
            to,
            b"We \x1b[31mdeliver\x1b[0m on\x07 Thursday\x0b\x0c morning\x01\x02\x7f.",
            encoding="8bit",
        ),
        delivered("We [31mdeliver[0m on Thursday morning."),
    ),
    Case(
        "c1-controls-in-utf8",
        lambda to: single(
            to, "We deliver\u0085 on\u009b Thursday morning.".encode(), encoding="8bit"
        ),
        delivered("We deliver on Thursday morning."),
    ),
    Case(
        "literal-replacement-characters",
        lambda to: single(
            to, "We deliver on Thursday\ufffd\ufffd morning.".encode(), encoding="8bit"
        ),
        delivered("We deliver on Thursday morning."),
    ),
    Case(
        "utf16-mostly-nuls-declared-utf8-8bit",
        lambda to: single(to, CLEAN.encode("utf-16-le"), encoding="8bit"),
        delivered(CLEAN),
    ),
    Case(
        "nul-in-subject",
        lambda to: single(to, CLEAN, subject="Re: Your\x00 order"),
        delivered(CLEAN, subject="Your order"),
    ),
    Case(
        "nul-in-message-id",
        lambda to: single(to, CLEAN, extra=("Message-ID: <abc\x00def@mail.example.net>",)),
        delivered(CLEAN),
    ),
    Case(
        "nul-in-attachment-name",
        lambda to: multipart(
            to,
            "mixed",
            [
                part(CLEAN),
                part(
                    b64(pdf_bytes()),
                    "application/pdf",
                    'Content-Disposition: attachment; filename="invo\x00ice.pdf"',
                    "Content-Transfer-Encoding: base64",
                ),
            ],
        ),
        delivered(CLEAN, files=1),
    ),
    # Line endings.
    Case(
        "bare-cr-line-ends",
        lambda to: lines(
            *head(to, "X-Mailer: Classic", "Content-Type: text/plain; charset=utf-8"),
            "",
            CLEAN,
            "",
            end=b"\r",
        ),
        delivered(CLEAN, absent=("X-Mailer", "Content-Type")),
    ),
    Case(
        "cr-cr-lf-line-ends",
        lambda to: lines(
            *head(to, "X-Mailer: Twice Converted", "Content-Type: text/plain; charset=utf-8"),
            "",
            CLEAN,
            "",
            end=b"\r\r\n",
        ),
        delivered(CLEAN, absent=("X-Mailer", "Content-Type", "Subject")),
        "the issue's case: a header line leaked into the body",
    ),
    Case(
        "mixed-line-ends",
        lambda to: lines(
            *head(to), b"X-Mailer: Mixed\rContent-Type: text/plain; charset=utf-8\n", CLEAN, ""
        ),
        delivered(CLEAN, absent=("X-Mailer", "Content-Type")),
    ),
    Case(
        "lf-only-line-ends",
        lambda to: lines(
            *head(to, "Content-Type: text/plain; charset=utf-8"), "", CLEAN, "", end=b"\n"
        ),
        delivered(CLEAN),
    ),
    Case(
        "bare-cr-multipart",
        lambda to: multipart(
            to, "alternative", [part(CLEAN), part(f"<p>{CLEAN}</p>", "text/html; charset=utf-8")]
        ).replace(b"\r\n", b"\r"),
        delivered(CLEAN, absent=("Content-Type",)),
    ),
    # Headers.
    Case(
        "missing-from",
        lambda to: lines(f"To: {to}", "Subject: Re: Your order", "", CLEAN, ""),
        SENDER_REFUSED,
    ),
    Case(
        "missing-subject-date-message-id",
        lambda to: lines(f"From: {SENDER}", f"To: {to}", "", CLEAN, ""),
        delivered(CLEAN),
    ),
    Case(
        "headers-only-no-separator",
        lambda to: lines(*head(to), "X-Note: nothing after this", ""),
        NOTHING_WRITTEN,
    ),
    Case(
        "huge-folded-subject",
        lambda to: single(to, CLEAN, subject="Re: " + "\r\n ".join(["Delivery question"] * 3000)),
        delivered(CLEAN),
    ),
    Case(
        "huge-single-line-header",
        lambda to: single(to, CLEAN, extra=("X-Tracking: " + "x" * 200_000,)),
        delivered(CLEAN),
    ),
    Case(
        "header-block-of-three-megabytes",
        lambda to: single(to, CLEAN, extra=tuple(f"X-Junk-{n}: {'y' * 900}" for n in range(3500))),
        MALFORMED,
    ),
    Case(
        "header-injection-in-encoded-subject",
        lambda to: single(
            to,
            CLEAN,
            subject="=?utf-8?b?" + b64(b"Hello\r\nBcc: victim@evil.example\r\n\r\nInjected") + "?=",
        ),
        delivered(CLEAN, absent=("\r", "victim@evil.example\n")),
    ),
    Case(
        "raw-utf8-headers",
        lambda to: lines(
            f"From: Jörg Müller <{SENDER}>",
            f"To: {to}",
            "Subject: Re: Grüße zur Lieferung",
            "Content-Type: text/plain; charset=utf-8",
            "",
            CLEAN,
            "",
        ),
        delivered(CLEAN, subject="Grüße zur Lieferung"),
    ),
    Case(
        "raw-latin1-headers",
        lambda to: lines(
            f"From: {SENDER}",
            f"To: {to}",
            "Subject: Re: Gr\xfc\xdfe".encode("latin-1"),
            "Content-Type: text/plain; charset=utf-8",
            "",
            CLEAN,
            "",
        ),
        delivered(CLEAN, subject="Grüße"),
    ),
    Case(
        "rfc2047-invalid-base64",
        lambda to: single(to, CLEAN, subject="=?utf-8?b?!!!not*base64?= order"),
        delivered(CLEAN),
    ),
    Case(
        "rfc2047-unknown-charset",
        lambda to: single(to, CLEAN, subject="=?x-unknown?q?Gr=FC=DFe?="),
        delivered(CLEAN),
    ),
    Case(
        "rfc2047-encoded-controls",
        lambda to: single(to, CLEAN, subject="=?utf-8?q?Your=00_order=07=1B?="),
        delivered(CLEAN, subject="Your order"),
    ),
    Case(
        "rfc2047-encoded-from-address",
        lambda to: lines(
            "From: =?utf-8?q?sam=40northwind=2Eexample?=", f"To: {to}", "Subject: Hi", "", CLEAN, ""
        ),
        SENDER_REFUSED,
    ),
    # MIME boundaries.
    Case(
        "multipart-without-boundary",
        lambda to: lines(
            *head(to, "MIME-Version: 1.0", "Content-Type: multipart/mixed"), "", CLEAN, ""
        ),
        unreadable("its parts are not marked"),
    ),
    Case(
        "boundary-never-used",
        lambda to: lines(
            *head(to, 'Content-Type: multipart/mixed; boundary="nowhere"'), "", CLEAN, ""
        ),
        unreadable("its parts are not marked"),
    ),
    Case(
        "boundary-not-closed",
        lambda to: multipart(to, "mixed", [part(CLEAN)], closed=False),
        delivered(CLEAN),
    ),
    Case(
        "empty-boundary",
        lambda to: lines(
            *head(to, 'Content-Type: multipart/mixed; boundary=""'),
            "",
            "--",
            part(CLEAN),
            "----",
            "",
        ),
        delivered(CLEAN),
    ),
    Case(
        "boundary-inside-boundary",
        lambda to: lines(
            *head(to, 'Content-Type: multipart/mixed; boundary="ab"'),
            "",
            "--ab",
            'Content-Type: multipart/alternative; boundary="a"',
            "",
            "--a",
            part(CLEAN),
            "--a--",
            "--ab--",
            "",
        ),
        delivered(CLEAN),
    ),
    Case(
        "duplicate-content-type",
        lambda to: lines(
            *head(
                to,
                "Content-Type: text/plain; charset=utf-8",
                "Content-Type: text/html; charset=latin1",
            ),
            "",
            CLEAN,
            "",
        ),
        delivered(CLEAN),
    ),
    Case(
        "garbage-content-type",
        lambda to: single(to, CLEAN, content_type="\x01/;;;; charset=;=;"),
        delivered(CLEAN),
    ),
    Case(
        "message-rfc822-with-garbage-inside",
        lambda to: multipart(
            to,
            "mixed",
            [
                part(CLEAN),
                lines("Content-Type: message/rfc822", "", b"\x00\xff\xfe not an email \x01"),
            ],
        ),
        delivered(CLEAN),
    ),
    # Empty and not email at all.
    Case("empty-body", lambda to: lines(*head(to), "", ""), NOTHING_WRITTEN),
    Case("empty-input", lambda to: b"", SENDER_REFUSED),
    Case("random-bytes", lambda to: bytes(range(256)) * 8, SENDER_REFUSED),
    Case(
        "attachment-only",
        lambda to: single(
            to,
            b64(pdf_bytes()),
            content_type="application/pdf",
            encoding="base64",
            extra=('Content-Disposition: attachment; filename="invoice.pdf"',),
        ),
        NOTHING_WRITTEN,
    ),
    Case(
        "rfc2231-filename-garbage",
        lambda to: multipart(
            to,
            "mixed",
            [
                part(CLEAN),
                part(
                    b64(pdf_bytes()),
                    "application/pdf",
                    "Content-Disposition: attachment; filename*=utf-8''%FF%FE%00inv.pdf",
                    "Content-Transfer-Encoding: base64",
                ),
            ],
        ),
        delivered(CLEAN, files=1),
    ),
]
