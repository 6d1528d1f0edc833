"""The SMTP server for the masked-address domain, built on aiosmtpd.

It only ever accepts mail for masked addresses of this marketplace (it is not a relay):
RCPT TO for any other domain, or for a token nobody has, is refused with 550. Mail larger
than INBOUND_EMAIL_MAX_BYTES is refused with 552 by aiosmtpd itself, at MAIL FROM when the
client announces the size and during DATA otherwise. The email is handed to
``receive_email``; the answer is 250 when it was taken in charge for at least one
recipient, 550 with the reason when every recipient refused it, 554 when the email is
malformed (it cannot be parsed: retrying would fail the same way), and 451 (try again
later) only when something on our side failed (the database, say), so the sending server
retries.

Database work runs in the handler's own pool of SMTP_RELAY_WORKERS threads, each with its
own database connection (handed back to the pool after each call, as Django's request
cycle does), so the sessions on the event loop store their emails side by side: one slow
delivery does not hold up the others (over four connections bench/inbound_email.py
measured 1.5 to 3.4 times the mail of one, the more the busier the machine). Emails to
the same buyer-seller pair still go one at a time: the intake locks the pair.

Threads share one interpreter, and an email is mostly Python (parsing, quote stripping,
the policy, building queries): ``run_smtp --processes N`` (SMTP_RELAY_PROCESSES) runs N
servers on the same port (SO_REUSEPORT), each with its threads, so N cores take mail.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from messagecenter.relay.addresses import resolve_masked_address
from messagecenter.relay.approved_senders import is_proxy_address
from messagecenter.relay.inbound import InboundResult, Refusal, receive_email

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 20
_REPLY_LIMIT = 400  # characters of reason in one SMTP reply line
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]+")

T = TypeVar("T")


def _is_known_masked_address(address: str) -> bool:
    return resolve_masked_address(address) is not None


def smtp_line(text: str) -> str:
    """A reason as one line of printable ASCII, as an SMTP reply can carry it."""
    line = _NOT_PRINTABLE_ASCII.sub(" ", text.replace("\u2019", "'")).strip()
    return line if len(line) <= _REPLY_LIMIT else line[: _REPLY_LIMIT - 3] + "..."


def data_reply(results: list[InboundResult]) -> str:
    """The answer to DATA for what ``receive_email`` did with each recipient."""
    if not results or any(result.accepted for result in results):
        return "250 2.0.0 OK: message received"
    first = results[0]
    if first.refused == Refusal.UNKNOWN_RECIPIENT:
        return f"550 5.1.1 {smtp_line(first.reason)}"
    if first.refused == Refusal.TOO_LARGE:
        return f"552 5.3.4 {smtp_line(first.reason)}"
    if first.refused == Refusal.MALFORMED:
        return f"554 5.6.0 {smtp_line(first.reason)}"
    return f"550 5.7.1 {smtp_line(first.reason)}"


class RelayHandler:
    """aiosmtpd handler: check recipients at RCPT, take the email at DATA."""

    def __init__(self, *, workers: int) -> None:
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relay-db")

    def close(self) -> None:
        """Wait for the emails being stored, then end the threads (after the server stops)."""
        self._threads.shutdown(wait=True)

    def _in_worker_thread(self, function: Callable[..., T]) -> Callable[..., Any]:
        """Run ORM work off the event loop, with connections handled as per request."""

        def run(*args: Any, **kwargs: Any) -> T:
            close_old_connections()
            try:
                return function(*args, **kwargs)
            finally:
                close_old_connections()

        return sync_to_async(run, thread_sensitive=False, executor=self._threads)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        if not is_proxy_address(address):
            return "550 5.7.1 Relaying denied: this server only takes mail for its own addresses"
        try:
            known = await self._in_worker_thread(_is_known_masked_address)(address)
        except Exception:
            logger.exception("Could not look up the masked address %s", address)
            return "451 4.3.0 Temporary failure, please try again later"
        if not known:
            return "550 5.1.1 No such masked address here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            results = await self._in_worker_thread(_receive)(
                raw, envelope.mail_from, list(envelope.rcpt_tos)
            )
        except Exception:
            logger.exception("Could not take an inbound email from %s", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please try again later"
        return data_reply(results)


def _receive(raw: bytes, mail_from: str | None, recipients: list[str]) -> list[InboundResult]:
    return receive_email(raw, envelope_from=mail_from or "", recipients=recipients)


class SharedPortController(Controller):
    """A server that shares its port with the other processes of ``run_smtp --processes``:
    each binds it with SO_REUSEPORT and the kernel spreads the connections among them."""

    def _create_server(self) -> Any:
        return self.loop.create_server(
            self._factory_invoker,
            host=self.hostname,
            port=self.port,
            ssl=self.ssl_context,
            reuse_port=True,
        )

    def _trigger_server(self) -> None:
        # The start-up check connects to the port to see the SMTP session made; with the
        # port shared that connection may reach a sibling process, so the session is made
        # here directly, on the server's loop (the check waits for it either way).
        self.loop.call_soon_threadsafe(self._factory_invoker)


def relay_controller(
    *,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    shared_port: bool = False,
) -> Controller:
    """The server on host:port (settings SMTP_RELAY_HOST / SMTP_RELAY_PORT by default),
    storing ``workers`` emails at once (SMTP_RELAY_WORKERS); ``shared_port``: one of
    several processes on that port. Call ``start()`` and ``stop()`` on it, then
    ``handler.close()``."""
    kind = SharedPortController if shared_port else Controller
    return kind(
        RelayHandler(workers=workers or settings.SMTP_RELAY_WORKERS),
        hostname=host or settings.SMTP_RELAY_HOST,
        port=port or settings.SMTP_RELAY_PORT,
        server_hostname=settings.MESSAGECENTER_EMAIL_DOMAIN,
        ident="Message Center relay",
        data_size_limit=settings.INBOUND_EMAIL_MAX_BYTES,
    )
