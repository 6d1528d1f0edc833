"""The SMTP backend of a worker the test is about to kill: it stops dead at a chosen email.

FAULT_FREEZE="before:N" stops just before the Nth email goes to the server (the first N-1
were accepted); "after:N" stops right after the server accepted the Nth, before the code
that sent it gets control back. Either way the process writes FAULT_MARKER and then waits
for the test's SIGKILL, so the kill lands at exactly that point.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

_handed_over = 0


def _freeze(where: str) -> None:
    Path(os.environ["FAULT_MARKER"]).write_text(where)
    while True:  # until SIGKILL
        time.sleep(60)


class FreezingSmtpBackend(EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        global _handed_over
        _handed_over += 1
        when, _, number = os.environ.get("FAULT_FREEZE", "").partition(":")
        if when == "before" and _handed_over == int(number):
            _freeze(f"before {number}")
        sent = super()._send(email_message)
        if when == "after" and _handed_over == int(number):
            _freeze(f"after {number}")
        return sent
