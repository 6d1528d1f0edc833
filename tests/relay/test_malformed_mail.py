"""The malformed-mail corpus (tests/relay/malformed.py) through both ways into the relay.

Each case goes once through ``manage.py receive_email`` (as a mail server pipes it) and
once through the SMTP receiver (a real SMTP session). Whatever the bytes, the answer is
final: delivered cleanly, or refused for good (SMTP 5xx, a permanent exit status), or
taken with a notice to the sender. Never "try again later" (451, exit 75) for an email
that arrived whole: the sending server would retry it for days. Nothing stored carries
control characters or replacement characters, and every case leaves an intake log row.
"""

from __future__ import annotations

import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from messagecenter.messaging.models import Attachment, Message
from messagecenter.relay.models import InboundEmail
from tests import factories
from tests.relay.emails import buyer_address, email_from
from tests.relay.malformed import CASES, SENDER, Case
from tests.relay.test_smtp import _start_relay

pytestmark = pytest.mark.faults

# What must never be stored: C0 controls but tab and line feed, DEL, C1 controls, and the
# replacement character a failed decoding leaves. Subjects are one line: no tab or LF either.
_GARBAGE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_GARBAGE_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd]")
_SMTP_LINE_LIMIT = 1000  # octets with CRLF (RFC 5321 4.5.3.1.6), enforced by aiosmtpd


def test_the_corpus_has_at_least_fifty_cases_with_distinct_names():
    assert len(CASES) >= 50
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.fixture
def question(jordans_order):
    """Jordan's question, which Northwind has not answered yet."""
    message = factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    mail.outbox.clear()
    return message


@pytest.fixture
def to_jordan(jordan, northwind) -> str:
    return buyer_address(jordan, northwind)


def _assert_nothing_garbled() -> None:
    for message in Message.objects.all():
        for name in ("subject", "subject_as_written"):
            value = getattr(message, name)
            assert not _GARBAGE_IN_A_LINE.search(value), f"{name}: {value!r}"
        for name in ("body_text", "body_html"):
            value = getattr(message, name)
            assert not _GARBAGE.search(value), f"{name}: {value!r}"
    for name in Attachment.objects.values_list("original_name", flat=True):
        assert not _GARBAGE_IN_A_LINE.search(name), repr(name)


def _assert_outcome(case: Case, sam, to_jordan: str) -> None:
    expect = case.expect
    [log] = InboundEmail.objects.filter(recipient=to_jordan)
    assert log.outcome == expect.outcome, log.reason
    stored = list(Message.objects.filter(sender=sam))
    _assert_nothing_garbled()
    if expect.kind == "delivered":
        [message] = stored
        assert message.status == Message.Status.DELIVERED, message.rejection_reason
        assert log.message == message
        for words in expect.contains:
            assert words in message.body_text, message.body_text
        if expect.subject is not None:
            assert message.subject_as_written == expect.subject
        everything = message.subject + message.body_text + message.body_html
        for words in expect.absent:
            assert words not in everything
        assert message.attachments.count() == expect.files
        assert {address for sent in mail.outbox for address in sent.recipients()} == {
            "jordan@example.com"
        }
        return
    assert stored == []
    if expect.kind == "notice":
        [notice] = mail.outbox
        assert notice.to == [SENDER]
        assert expect.notice in notice.body, notice.body
        assert notice.extra_headers.get("Auto-Submitted", "no") != "no"
    else:
        assert mail.outbox == []


# --- the pipe command ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_through_the_pipe_command(
    case, sam, question, to_jordan, django_capture_on_commit_callbacks
):
    raw = case.build(to_jordan)

    with django_capture_on_commit_callbacks(execute=True):
        try:
            call_command(
                "receive_email",
                "--from",
                SENDER,
                "--to",
                to_jordan,
                stdin=io.BytesIO(raw),
                stdout=io.StringIO(),
            )
            status = 0
        except CommandError as error:
            status = error.returncode

    assert status != 75, "temporary failure: the mail server would retry it for days"
    assert status == case.expect.exit
    _assert_outcome(case, sam, to_jordan)


# --- the SMTP receiver ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def smtp_port():
    controller, port = _start_relay()
    yield port
    controller.stop()


def _longest_line(raw: bytes) -> int:
    return max((len(line) + 2 for line in raw.split(b"\r\n")), default=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_through_the_smtp_receiver(case, smtp_port, sam, question, to_jordan):
    raw = case.build(to_jordan)

    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.mail(SENDER)[0] == 250
        assert smtp.rcpt(to_jordan)[0] == 250
        code, reply = smtp.data(raw)

    assert not 400 <= code < 500, f"temporary failure {code} {reply!r}: retried for days"
    if _longest_line(raw) > _SMTP_LINE_LIMIT:
        # The SMTP layer refuses such lines for good before the relay sees the email.
        assert code == 500 and b"Line too long" in reply
        assert not InboundEmail.objects.exists() and not Message.objects.filter(sender=sam)
        return
    assert code == case.expect.smtp, reply
    _assert_outcome(case, sam, to_jordan)


# --- what is permanent and what is not ---------------------------------------------------------


def _pipe_status(raw: bytes, to: str) -> int:
    try:
        call_command("receive_email", "--to", to, stdin=io.BytesIO(raw), stdout=io.StringIO())
    except CommandError as error:
        return error.returncode
    return 0


def test_any_parser_failure_is_a_permanent_refusal(monkeypatch, sam, question, to_jordan):
    """Whatever the limits miss: parsing reads only the bytes, so it fails every time."""

    def recursing(raw):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("messagecenter.relay.inbound.parse_email", recursing)

    status = _pipe_status(email_from_sam(to_jordan), to_jordan)

    assert status == 65
    log = InboundEmail.objects.get()
    assert log.outcome == InboundEmail.Outcome.MALFORMED
    assert "RecursionError" in log.reason


@pytest.mark.parametrize(
    "failure",
    [MemoryError(), OperationalError("the database is not answering")],
    ids=["out-of-memory", "database-down"],
)
# Committed for real, as the pipe command runs: the intake takes no savepoint inside a
# caller's transaction, so a failure would leave the test's own transaction unusable.
@pytest.mark.django_db(transaction=True)
def test_a_failure_on_our_side_is_still_temporary(monkeypatch, sam, question, to_jordan, failure):
    """The mail server keeps the email and tries again: nothing about it was wrong."""

    def failing(*args, **kwargs):
        raise failure

    target = "parse_email" if isinstance(failure, MemoryError) else "resolve_masked_address"
    monkeypatch.setattr(f"messagecenter.relay.inbound.{target}", failing)

    assert _pipe_status(email_from_sam(to_jordan), to_jordan) == 75
    assert not Message.objects.filter(sender=sam).exists()


def email_from_sam(to: str) -> bytes:
    return email_from(SENDER, to, text="We deliver on Thursday.")
