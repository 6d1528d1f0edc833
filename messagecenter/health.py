"""The checks behind /healthz, each bounded in time.

A load balancer asks every few seconds and must get its answer quickly whatever is down,
so each check runs in a thread of its own and /healthz waits for them at most
DEADLINE_SECONDS: a check that has not answered by then is reported as "timeout". The
checks also carry short timeouts of their own (statement timeout, socket timeouts, the
database pool's wait), so their threads end soon after; while a dependency hangs, at most
MAX_RUNNING of them are left waiting, and further checks report "busy" instead of adding more.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from django.db import connection, transaction

from messagecenter.celery import app as celery_app
from messagecenter.core.by_vendor import by_vendor

DEADLINE_SECONDS = 0.5
MAX_RUNNING = 8
# The broker gets two tries of this long (a dropped connection is retried once).
BROKER_SOCKET_TIMEOUT_SECONDS = 0.2
STATEMENT_TIMEOUT_MS = 400

_running = threading.BoundedSemaphore(MAX_RUNNING)


def database_state() -> str:
    """ "ok", or the kind of error (never its text: it may hold an address)."""
    try:
        _select_one()
    except Exception as error:
        return type(error).__name__
    finally:
        connection.close()  # this thread's connection: back to the pool
    return "ok"


@by_vendor
def _select_one() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # For this transaction only; a constant, not user input.
        cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cursor.execute("SELECT 1")
        cursor.fetchone()


@_select_one.sqlite
def _select_one_sqlite() -> None:
    # Outside a transaction: SQLite's would begin IMMEDIATE and wait for whoever is writing
    # (settings), while a plain read of a WAL database never waits.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def broker_state() -> str:
    """ "ok", or the kind of error (never its text: it may hold the broker's password)."""
    timeouts = {
        "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
    }
    try:
        with celery_app.connection_for_write(transport_options=timeouts) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=DEADLINE_SECONDS
            )
    except Exception as error:
        return type(error).__name__
    return "ok"


def run_checks(
    checks: Mapping[str, Callable[[], str]], deadline: float = DEADLINE_SECONDS
) -> dict[str, str]:
    """Run the checks side by side; what each answered within the deadline, else "timeout"."""
    results: dict[str, str] = {}
    lock = threading.Lock()

    def run(name: str, check: Callable[[], str]) -> None:
        try:
            state = check()
        finally:
            _running.release()
        with lock:
            results[name] = state

    threads = []
    for name, check in checks.items():
        if not _running.acquire(blocking=False):
            results[name] = "busy"  # earlier checks are still hanging on it
            continue
        thread = threading.Thread(target=run, args=(name, check), name=f"healthz-{name}")
        thread.daemon = True  # a hanging check never holds up a shutdown
        thread.start()
        threads.append(thread)
    ends_at = time.monotonic() + deadline
    for thread in threads:
        thread.join(max(0.0, ends_at - time.monotonic()))
    with lock:
        return {name: results.get(name, "timeout") for name in checks}
