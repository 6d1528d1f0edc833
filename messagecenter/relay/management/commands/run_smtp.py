"""Run the SMTP server that receives email for masked addresses.

    manage.py run_smtp [--host 127.0.0.1] [--port 2525] [--processes 1]

Put it behind the public MX (Postfix, Exim…) with mail for MESSAGECENTER_EMAIL_DOMAIN
relayed to it, or expose it directly. It stops on Ctrl-C or SIGTERM.

``--processes N`` (SMTP_RELAY_PROCESSES) forks N servers that all listen on the port
(SO_REUSEPORT: Linux hands each new connection to one of them), so the Python work of
reading and storing mail runs on N cores. The first process only watches them: SIGTERM or
Ctrl-C stops them all, each finishing the emails it is storing; if one of them stops on
its own, the others are stopped too and the command fails, for the service manager to
start it again (a half-strength relay would go unnoticed).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from messagecenter.relay.process_start import prepare_relay_process
from messagecenter.relay.smtp_server import relay_controller

logger = logging.getLogger(__name__)


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
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.SMTP_RELAY_PROCESSES,
            help="Server processes sharing the port (default: SMTP_RELAY_PROCESSES).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # aiosmtpd logs every SMTP command at INFO; keep that for -v 2 and up.
        logging.getLogger("mail.log").setLevel(
            logging.INFO if options["verbosity"] >= 2 else logging.WARNING
        )
        processes = options["processes"]
        if processes < 1:
            raise CommandError("--processes must be 1 or more.")
        self.stdout.write(
            f"Receiving email for @{settings.MESSAGECENTER_EMAIL_DOMAIN} on "
            f"{options['host']}:{options['port']} (largest email "
            f"{settings.INBOUND_EMAIL_MAX_BYTES} bytes, {settings.SMTP_RELAY_WORKERS} stored "
            f"at once by each of {processes} process{'es' * (processes > 1)}). "
            "Ctrl-C to stop."
        )
        _warm_up()
        if processes == 1:
            _serve(options["host"], options["port"], shared_port=False)
        else:
            self._serve_in_processes(options["host"], options["port"], processes)
        self.stdout.write("Stopped.")

    def _serve_in_processes(self, host: str, port: int, processes: int) -> None:
        # Nothing of this process's (no connection, no thread) may be shared by the children.
        connections.close_all()
        sys.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        children = {_fork(host, port) for _ in range(processes)}
        failure = ""
        try:
            while not stop.wait(0.5):
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid in children:
                    failure = f"a relay process stopped on its own ({_how(status)})"
                    children.discard(pid)
                    break
        except KeyboardInterrupt:  # the children got it too (same process group)
            pass
        finally:
            _stop_all(children)
        if failure:
            raise CommandError(failure)


def _warm_up() -> None:
    """What a Celery worker does as it starts: import every task module (Celery runs Django's
    system checks then). Otherwise the first email to queue a notification pays for it, a
    second or more on a busy machine; done before forking, each process starts with it."""
    current_app.loader.import_default_modules()  # the project's app: the only one
    prepare_relay_process()


def _serve(host: str, port: int, *, shared_port: bool) -> None:
    """One server, until SIGTERM or Ctrl-C; the emails being stored are finished first."""
    controller = relay_controller(host=host, port=port, shared_port=shared_port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    controller.start()
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
        controller.handler.close()


def _fork(host: str, port: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        _serve(host, port, shared_port=True)
    except BaseException:
        logger.exception("The relay process %s failed", os.getpid())
        status = 1
    finally:
        # Not the parent's clean-up (atexit, the management command's own ending).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _stop_all(children: set[int]) -> None:
    """SIGTERM to each child, then wait for them (each finishes the emails it holds)."""
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    for pid in children:
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
