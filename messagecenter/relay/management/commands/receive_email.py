"""Take one email from standard input, for mail servers that pipe mail to a command.

    manage.py receive_email [--from SENDER] [--to RECIPIENT ...] < message.eml

Postfix, for example (master.cf), with the domain routed to this transport:

    messagecenter unix - n n - - pipe
      flags=Rq user=messagecenter argv=/srv/mc/.venv/bin/python /srv/mc/manage.py
      receive_email --from ${sender} --to ${recipient}

Without --to, the recipients are the masked addresses in Delivered-To, X-Original-To,
To and Cc. Without --from, the envelope sender is unknown and the Return-Path header (if
any) decides whether it was the null sender. Exit status, as sendmail-style programs
expect (sysexits.h): 0 taken (delivered, or answered with a notice), 67 (EX_NOUSER) unknown
masked address, 77 (EX_NOPERM) sender refused, 65 (EX_DATAERR) too large or malformed
(refused for good), 75 (EX_TEMPFAIL) something failed here, the database for one (the
MTA keeps the email and retries).
"""

from __future__ import annotations

import sys
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from messagecenter.relay.approved_senders import is_proxy_address
from messagecenter.relay.inbound import Refusal, receive_email
from messagecenter.relay.structure import normalized_line_ends

EX_DATAERR = 65
EX_NOUSER = 67
EX_TEMPFAIL = 75
EX_NOPERM = 77
_EXIT_FOR = {
    Refusal.UNKNOWN_RECIPIENT: EX_NOUSER,
    Refusal.SENDER: EX_NOPERM,
    Refusal.TOO_LARGE: EX_DATAERR,
    Refusal.MALFORMED: EX_DATAERR,
}
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")


def recipients_from_headers(raw: bytes) -> list[str]:
    """Masked addresses the headers name, in header order, each once. Only the header
    section is parsed: the body may be anything (the intake judges it)."""
    message = BytesHeaderParser(policy=policy.compat32).parsebytes(normalized_line_ends(raw))
    values = [str(v) for name in RECIPIENT_HEADERS for v in message.get_all(name, [])]
    found = [address.strip().lower() for _, address in getaddresses(values) if address]
    return list(dict.fromkeys(a for a in found if is_proxy_address(a)))


class Command(BaseCommand):
    help = "Receive one email from standard input (for MTAs that pipe to a command)."
    stealth_options = ("stdin",)  # a binary file to read instead, for call_command

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="envelope_from",
            default=None,
            help="The envelope sender (MAIL FROM); '<>' or '' for none.",
        )
        parser.add_argument(
            "--to",
            dest="recipients",
            action="append",
            default=[],
            help="A recipient (repeat for several).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = settings.INBOUND_EMAIL_MAX_BYTES
        stdin = options.get("stdin") or sys.stdin.buffer
        raw = stdin.read(limit + 1)
        recipients = options["recipients"] or recipients_from_headers(raw[:limit])
        if not recipients:
            raise CommandError("No masked address among the recipients.", returncode=EX_NOUSER)
        try:
            results = receive_email(
                raw, envelope_from=options["envelope_from"], recipients=recipients
            )
        except Exception as error:
            raise CommandError(f"Temporary failure: {error}", returncode=EX_TEMPFAIL) from error
        refused = [result for result in results if not result.accepted]
        if results and len(refused) == len(results):
            first = refused[0]
            assert first.refused is not None
            raise CommandError(first.reason, returncode=_EXIT_FOR[first.refused])
        for result in results:
            self.stdout.write(f"{result.recipient}: {result.outcome}")
