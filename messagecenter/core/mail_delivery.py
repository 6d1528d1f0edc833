"""Emails to several people, each one recorded as sent the moment the mail server took it.

Sending to a team is many SMTP transactions; a worker can die between any two of them. So
each email goes in its own transaction on one shared connection, and the caller's
``record`` runs right after the server accepted it: a later run skips the recorded ones
and sends the rest. Only an email accepted in the instant before its record was written
can go twice; recording before sending would lose it instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core import mail
from django.core.mail import EmailMessage

Key = TypeVar("Key")


def send_each_recorded(
    emails: Iterable[tuple[Key, EmailMessage]], *, record: Callable[[Key], None]
) -> int:
    """Send each (key, email); call record(key) once the server accepted that email.

    `emails` may be a generator: each email is built just before it is sent. An SMTP
    error stops the run (raised), leaving the emails after it unsent and unrecorded.
    Returns how many were accepted.
    """
    accepted = 0
    with mail.get_connection() as connection:
        for key, email in emails:
            if connection.send_messages([email]):
                record(key)
                accepted += 1
    return accepted
