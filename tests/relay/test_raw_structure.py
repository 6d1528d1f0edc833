"""The checks on raw bytes before parsing (relay/structure.py) and the charset fallbacks
(relay/charsets.py), case by case. The corpus runs them end to end; these pin the tricky
corners down."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from messagecenter.relay.charsets import base64_bytes, decoded_header, text_from_bytes
from messagecenter.relay.structure import Limits, normalized_line_ends, structure_problem

pytestmark = pytest.mark.faults

LIMITS = Limits(max_depth=5, max_parts=10, max_header_bytes=2000)


def _mail(*lines: str) -> bytes:
    return "\n".join(lines).encode()


def _parsed_depth(raw: bytes) -> int:
    """How deep the standard library's parser nests it, for comparison."""

    def depth(part) -> int:
        payload = part.get_payload()
        if isinstance(payload, list) and payload:
            return 1 + max(depth(p) for p in payload)
        return 0

    return depth(message_from_bytes(raw, policy=policy.default))


@pytest.mark.parametrize(
    ("raw", "ends"),
    [
        (b"a\r\nb\r\n", b"a\nb\n"),
        (b"a\nb\n", b"a\nb\n"),
        (b"a\rb\r", b"a\nb\n"),
        (b"a\r\r\nb\r\r\n", b"a\nb\n"),
        (b"a\r\rb", b"a\n\nb"),  # two bare CRs: an empty line, as in bare-CR mail
        (b"a\r\nb\rc\n", b"a\nb\nc\n"),
    ],
    ids=["crlf", "lf", "bare-cr", "cr-cr-lf", "empty-line-in-bare-cr", "mixed"],
)
def test_line_ends_become_lf(raw, ends):
    assert normalized_line_ends(raw) == ends


def test_nesting_within_the_limits_passes_and_beyond_is_named():
    def nested(levels: int) -> bytes:
        lines = ["From: a@example.org"]
        for level in range(levels):
            lines += [f'Content-Type: multipart/mixed; boundary="b{level}"', "", f"--b{level}"]
        return _mail(*lines, "", "text", "")

    assert structure_problem(nested(5), LIMITS) == ""
    assert structure_problem(nested(6), LIMITS) == "Its parts are nested more than 5 levels deep."


def test_nesting_without_blank_lines_is_counted_as_the_parser_nests_it():
    """A part's headers end at the first line that is no header, blank or not: nesting can
    be built without a single empty line."""
    lines = ["From: a@example.org", 'Content-Type: multipart/mixed; boundary="b0"', ""]
    for level in range(8):
        lines += [f"--b{level}", f'Content-Type: multipart/mixed; boundary="b{level + 1}"']
    raw = _mail(*lines, "--b8", "text", "")

    assert _parsed_depth(raw) > LIMITS.max_depth  # what the check must not miss
    assert "nested more than 5 levels" in structure_problem(raw, LIMITS)


def test_forwarded_emails_count_as_levels():
    inner = ["Subject: inner", "", "text"]
    for _ in range(3):
        inner = [
            'Content-Type: multipart/mixed; boundary="fw"',
            "",
            "--fw",
            "Content-Type: message/rfc822",
            "",
            *inner,
            "--fw--",
        ]
    raw = _mail("From: a@example.org", *inner)

    assert "nested more than 5 levels" in structure_problem(raw, LIMITS)


def test_an_outer_boundary_closes_the_parts_inside_it():
    """Siblings after a nested multipart that was never closed are not deeper."""
    lines = ["From: a@example.org", 'Content-Type: multipart/mixed; boundary="out"', ""]
    for number in range(4):
        lines += ["--out", f'Content-Type: multipart/mixed; boundary="in{number}"', "", "text"]
    raw = _mail(*lines, "--out--", "")

    assert structure_problem(raw, LIMITS) == ""


def test_parts_beyond_the_limit_are_named():
    lines = ["From: a@example.org", 'Content-Type: multipart/mixed; boundary="b"', ""]
    lines += ["--b", "", "part"] * 10
    assert structure_problem(_mail(*lines, "--b--", ""), LIMITS) == "It has more than 10 parts."


def test_a_large_header_section_is_named():
    raw = _mail("From: a@example.org", *[f"X-Pad-{n}: {'y' * 90}" for n in range(30)], "", "x")
    assert "header section is larger than 1 KB" in structure_problem(raw, LIMITS)


@pytest.mark.parametrize(
    ("data", "declared", "text"),
    [
        ("Grüße".encode(), "utf-8", "Grüße"),
        ("Grüße aus München".encode("latin-1"), "utf-8", "Grüße aus München"),
        ("Très bien, à jeudi".encode("latin-1"), None, "Très bien, à jeudi"),
        ("Доставим в четверг, спасибо.".encode("cp1251"), "utf-8", "Доставим в четверг, спасибо."),
        ("Hello".encode("utf-16"), "utf-8", "Hello"),
        (b"a\x00b\x1bc\x7fd", "utf-8", "abcd"),
        ("a\u0085b\ufffdc".encode(), "utf-8", "abc"),
        (b"one\r\ntwo\rthree", "us-ascii", "one\ntwo\nthree"),
        ("Grüße".encode(), "no-such-charset", "Grüße"),
    ],
    ids=[
        "declared",
        "latin1-as-utf8",
        "latin1-undeclared",
        "cp1251-as-utf8",
        "utf16-as-utf8",
        "c0-controls",
        "c1-and-replacement",
        "line-ends",
        "unknown-label",
    ],
)
def test_text_is_decoded_with_the_declared_then_a_detected_charset(data, declared, text):
    assert text_from_bytes(data, declared) == text


def test_bytes_no_charset_makes_sense_of_are_unreadable():
    assert text_from_bytes(bytes(range(128, 256)) * 3, "utf-8") is None
    assert text_from_bytes(bytes(range(128, 256)) + bytes(range(1, 9)) * 40, "utf-8") is None


def test_control_characters_alone_are_not_taken_for_utf16():
    """Any even run of bytes decodes as UTF-16; without a byte order mark or a language
    in it, the detector's word is not taken."""
    assert text_from_bytes(bytes(range(1, 9)) * 40, "utf-8") == ""


@pytest.mark.parametrize(
    ("encoded", "data"),
    [
        ("SGVsbG8=", b"Hello"),
        ("SGVsbG8", b"Hello"),  # padding left off
        ("SGVs\r\n bG8=", b"Hello"),  # folded, with spaces
        ("<p>Hello</p>", None),
        ("SGVsbG8=x", None),
        ("SGVsb", None),  # a length no base64 has
    ],
)
def test_base64_that_is_not_base64_is_not_decoded(encoded, data):
    assert base64_bytes(encoded) == data


def test_headers_the_library_could_not_decode_are_decoded_by_hand():
    assert decoded_header("Re: Gr\udcfc\udcdfe") == "Re: Grüße"  # raw Latin-1 bytes
    assert decoded_header("=?x-unknown?q?Gr=FC=DFe?=") == "Grüße"
    assert decoded_header("=?utf-8?q?a=00b?= =?utf-8?b?w7w=?=") == "abü"
