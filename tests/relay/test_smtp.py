"""The relay over a real SMTP session, and the pipe command as a mail server runs it.

The server runs in its own thread (and its database work in worker threads), so these
tests commit for real (transactional_db) and read the result the way people see it: Jordan
opens his inbox and finds Sam's emailed answer there.
"""

from __future__ import annotations

import errno
import os
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.urls import reverse

from messagecenter.messaging.models import Message
from messagecenter.relay import smtp_server
from messagecenter.relay.models import InboundEmail
from messagecenter.relay.smtp_server import relay_controller
from tests import factories
from tests.relay.emails import buyer_address, email_from

pytestmark = pytest.mark.django_db(transaction=True)

REPLY = "Yes, we deliver to apartment 4B on Thursday between 9 and 12."
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_relay() -> tuple[Controller, int]:
    """The relay on a free loopback port, started; returns it and its port.

    The port is free when asked for, but the relay binds it only a moment later; another
    process (a parallel test worker's server or client) may take it in between. Then the
    relay is started again on another free port.
    """
    attempts_left = 5
    while True:
        port = _free_port()
        controller = relay_controller(host="127.0.0.1", port=port)
        try:
            controller.start()
            return controller, port
        except OSError as error:
            controller.loop.close()
            attempts_left -= 1
            if error.errno != errno.EADDRINUSE or not attempts_left:
                raise


@pytest.fixture
def smtp_port():
    controller, port = _start_relay()
    yield port
    controller.stop()
    controller.handler.close()


@pytest.fixture
def question(jordans_order):
    return factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")


@pytest.fixture
def to_jordan(jordan, northwind) -> str:
    return buyer_address(jordan, northwind)


def test_a_sellers_emailed_reply_reaches_the_buyers_inbox(
    client, smtp_port, jordan, sam, question, to_jordan
):
    message = email_from(
        "Sam Carter <sam@northwind.example>",
        to_jordan,
        text=REPLY,
        subject=f"Re: Order {question.conversation.order.number}",
    )

    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        refused = smtp.sendmail("sam@northwind.example", [to_jordan], message)

    assert refused == {}
    stored = Message.objects.get(sender=sam)
    assert stored.via == Message.Via.EMAIL and stored.is_delivered
    client.force_login(jordan)
    inbox = client.get(reverse("buyer_inbox")).content.decode()
    assert "Yes, we deliver to apartment 4B on Thursday" in inbox  # the preview
    page = client.get(reverse("buyer_conversation", args=[question.conversation_id]))
    assert REPLY in page.content.decode()


def test_emails_on_two_connections_are_stored_side_by_side(
    monkeypatch, smtp_port, jordan, sam, question, to_jordan
):
    """The first session's email is held until the second one's is stored: with one
    session at a time the second would wait behind it and the first would give up."""
    second_stored = threading.Event()
    first_waited: list[bool] = []
    receive = smtp_server._receive

    def one_waits_for_the_other(raw, mail_from, recipients):
        if b"first email" in raw:
            first_waited.append(second_stored.wait(timeout=10))
            return receive(raw, mail_from, recipients)
        results = receive(raw, mail_from, recipients)
        second_stored.set()
        return results

    monkeypatch.setattr(smtp_server, "_receive", one_waits_for_the_other)
    first_started = threading.Event()

    def send(text: str) -> dict:
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as smtp:
            first_started.set()
            message = email_from("sam@northwind.example", to_jordan, text=text)
            return smtp.sendmail("sam@northwind.example", [to_jordan], message)

    with ThreadPoolExecutor(max_workers=2) as clients:
        first = clients.submit(send, "The first email: we deliver on Thursday.")
        first_started.wait(timeout=10)
        second = clients.submit(send, "The second email: between 9 and 12.")
        assert first.result() == {} and second.result() == {}

    assert first_waited == [True]
    bodies = [m.body_text for m in Message.objects.filter(sender=sam).order_by("id")]
    assert bodies == [
        "The second email: between 9 and 12.",
        "The first email: we deliver on Thursday.",
    ]


def test_a_strangers_email_is_refused_with_550(smtp_port, sam, question, to_jordan):
    message = email_from("Mallory <mallory@evil.example>", to_jordan, text="Click here")

    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPDataError) as refused,
    ):
        smtp.sendmail("mallory@evil.example", [to_jordan], message)

    assert refused.value.smtp_code == 550
    assert b"does not accept email from mallory@evil.example" in refused.value.smtp_error
    assert Message.objects.count() == 1
    assert InboundEmail.objects.get().outcome == InboundEmail.Outcome.REJECTED


@pytest.mark.parametrize(
    ("recipient", "answer"),
    [
        ("nosuchtoken0000000000@relay.marketplace.example", b"No such masked address"),
        ("jordan@example.com", b"Relaying denied"),
    ],
    ids=["unknown-token", "not-our-domain"],
)
def test_recipients_that_are_not_masked_addresses_are_refused_at_rcpt(
    smtp_port, sam, question, recipient, answer
):
    with (
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        smtp.sendmail("sam@northwind.example", [recipient], email_from("sam@x", recipient))

    code, text = refused.value.recipients[recipient]
    assert code == 550 and answer in text


def test_oversized_email_is_refused_with_552(settings, smtp_port, sam, question, to_jordan):
    big = email_from(
        "sam@northwind.example",
        to_jordan,
        text=REPLY,
        files=[("photo.pdf", factories.pdf_bytes(pad_to=300_000), "application/pdf")],
    )
    settings.INBOUND_EMAIL_MAX_BYTES = 100_000
    small_limit, port = _start_relay()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            # A client that announces the size is stopped before sending it…
            with pytest.raises(smtplib.SMTPSenderRefused) as announced:
                smtp.sendmail("sam@northwind.example", [to_jordan], big)
            assert announced.value.smtp_code == 552
            # …and one that does not is refused at the end of DATA.
            smtp.rset()
            assert smtp.mail("sam@northwind.example")[0] == 250
            assert smtp.rcpt(to_jordan)[0] == 250
            code, _ = smtp.data(big)
            assert code == 552
    finally:
        small_limit.stop()
    assert Message.objects.count() == 1


def test_a_null_sender_out_of_office_is_accepted_and_stored_as_automatic(
    smtp_port, sam, question, to_jordan
):
    message = email_from(
        "sam@northwind.example",
        to_jordan,
        subject="Out of office",
        text="Back on Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )

    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        assert smtp.sendmail("<>", [to_jordan], message) == {}

    stored = Message.objects.get(sender=sam)
    assert stored.is_automatic


# --- the pipe command, run as the mail server would run it -----------------------------------


def _command_environment(tmp_path: Path) -> dict[str, str]:
    """A management command run as its own process, on the test database."""
    database = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "DATABASE_POOL": "false",
        "MESSAGECENTER_VAR_DIR": str(tmp_path),
        "ATTACHMENT_ROOT": str(tmp_path / "attachments"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }


def _run_receive_email(raw: bytes, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "receive_email", *args],
        input=raw,
        capture_output=True,
        env=_command_environment(tmp_path),
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.postgresql("the command runs in another process, which needs a shared database server")
def test_the_pipe_command_exits_with_sendmail_codes(tmp_path, sam, question, to_jordan):
    accepted = _run_receive_email(
        email_from("sam@northwind.example", to_jordan, text=REPLY),
        tmp_path,
        "--from",
        "sam@northwind.example",
    )
    unknown = _run_receive_email(
        email_from("sam@northwind.example", "x@relay.marketplace.example"),
        tmp_path,
        "--to",
        "nosuchtoken0000000000@relay.marketplace.example",
    )
    stranger = _run_receive_email(email_from("mallory@evil.example", to_jordan), tmp_path)

    assert accepted.returncode == 0, accepted.stderr.decode()
    assert Message.objects.filter(sender=sam, via=Message.Via.EMAIL).count() == 1
    assert unknown.returncode == 67 and b"No such masked address" in unknown.stderr
    assert stranger.returncode == 77
    assert b"does not accept email from mallory@evil.example" in stranger.stderr


# --- run_smtp --processes: several servers on one port --------------------------------------


def _start_run_smtp(tmp_path: Path, processes: int) -> tuple[subprocess.Popen, int]:
    """``manage.py run_smtp --processes`` on a free port, answering; (process, port)."""
    port = _free_port()
    options = ("--port", str(port), "--processes", str(processes))
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_smtp", *options],
        env=_command_environment(tmp_path),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"run_smtp stopped: {server.communicate()[1].decode()}")
        if len(_children(server.pid)) == processes:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=5) as probe:
                    probe.noop()
                return server, port
            except OSError:
                pass
        time.sleep(0.2)
    server.kill()
    pytest.fail("run_smtp did not answer within 60 s")


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(child) for child in found.stdout.split()]


@pytest.mark.postgresql("the command runs in another process, which needs a shared database server")
def test_run_smtp_in_two_processes_stores_mail_from_every_connection(
    tmp_path, sam, question, to_jordan
):
    server, port = _start_run_smtp(tmp_path, processes=2)
    try:
        servers = _children(server.pid)

        def send(n: int) -> dict:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                message = email_from("sam@northwind.example", to_jordan, text=f"Answer {n}.")
                return smtp.sendmail("sam@northwind.example", [to_jordan], message)

        with ThreadPoolExecutor(max_workers=4) as clients:
            assert list(clients.map(send, range(8))) == [{}] * 8
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=60)

    assert len(servers) == 2
    assert server.returncode == 0 and b"Stopped." in out
    assert not any(_alive(pid) for pid in servers)  # stopped with the command
    stored = Message.objects.filter(sender=sam, via=Message.Via.EMAIL)
    assert sorted(stored.values_list("body_text", flat=True)) == [f"Answer {n}." for n in range(8)]


@pytest.mark.postgresql("the command runs in another process, which needs a shared database server")
def test_run_smtp_fails_when_one_of_its_processes_stops(tmp_path):
    """A relay at half strength must not go unnoticed: the service manager restarts it."""
    server, _ = _start_run_smtp(tmp_path, processes=2)
    first, second = _children(server.pid)

    os.kill(first, signal.SIGKILL)
    _, err = server.communicate(timeout=60)

    assert server.returncode != 0
    assert b"a relay process stopped on its own (signal 9)" in err
    assert not _alive(second)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
