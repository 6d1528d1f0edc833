"""A real SMTP server on loopback that keeps what it accepted: the fault tests' mailbox.

An email counts as sent once this server has answered 250 to it, which is exactly what
the app's SMTP backend can know. `delay` makes each acceptance slow, like a busy relay.
"""

from __future__ import annotations

import asyncio
import email
import errno
import logging
import threading
import time
from dataclasses import dataclass
from email import policy

from aiosmtpd.controller import Controller

from tests.faults.processes import free_port

# aiosmtpd logs every SMTP command at INFO; a failing test's output needs none of them.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Accepted:
    to: tuple[str, ...]
    subject: str
    at: float  # time.monotonic() when it was accepted


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        with self.sink.lock:
            self.sink.accepted.append(
                Accepted(
                    to=tuple(address.lower() for address in envelope.rcpt_tos),
                    subject=str(parsed["Subject"] or ""),
                    at=time.monotonic(),
                )
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.accepted: list[Accepted] = []
        self.port = 0
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        """Listen on a free loopback port (another one if a neighbour took it meanwhile)."""
        for attempt in range(5):
            self.port = free_port()
            controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
            except OSError as error:
                controller.loop.close()
                if error.errno != errno.EADDRINUSE or attempt == 4:
                    raise
                continue
            self._controller = controller
            break
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def recipients(self) -> list[str]:
        """Every address an email was accepted for, once per email, sorted."""
        with self.lock:
            return sorted(address for mail in self.accepted for address in mail.to)

    def wait_for(self, count: int, timeout: float = 10) -> list[Accepted]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.accepted) >= count:
                    return list(self.accepted)
            time.sleep(0.02)
        raise AssertionError(f"{len(self.accepted)} emails accepted in {timeout} s, not {count}")
