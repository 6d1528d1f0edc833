"""Run the SMTP server that receives email for masked addresses.

    manage.py run_smtp [--host 127.0.0.1] [--port 2525]

Put it behind the public MX (Postfix, Exim…) with mail for MESSAGECENTER_EMAIL_DOMAIN
relayed to it, or expose it directly. It stops on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from messagecenter.relay.smtp_server import relay_controller


class Command(BaseCommand):
    help = "Receive email for masked addresses over SMTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=settings.SMTP_RELAY_HOST,
            help="Address to listen on (default: SMTP_RELAY_HOST).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=settings.SMTP_RELAY_PORT,
            help="Port to listen on (default: SMTP_RELAY_PORT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # aiosmtpd logs every SMTP command at INFO; keep that for -v 2 and up.
        logging.getLogger("mail.log").setLevel(
            logging.INFO if options["verbosity"] >= 2 else logging.WARNING
        )
        controller = relay_controller(host=options["host"], port=options["port"])
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        controller.start()
        self.stdout.write(
            f"Receiving email for @{settings.MESSAGECENTER_EMAIL_DOMAIN} on "
            f"{options['host']}:{options['port']} (largest email "
            f"{settings.INBOUND_EMAIL_MAX_BYTES} bytes, {settings.SMTP_RELAY_WORKERS} stored "
            "at once). Ctrl-C to stop."
        )
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
            controller.handler.close()
            self.stdout.write("Stopped.")
