"""How long one reply-clock sweep takes with a million conversations, and how it reads them.

    .venv/bin/python bench/deadlines.py [--database-url postgres://...] [--conversations N]
                                        [--due N] [--overdue-hours 6] [--reseed] [--rounds 5]

Builds (once; --reseed builds again) a PostgreSQL database of N conversations (1,000,000 by
default), each with a buyer message and, except for the waiting ones, the seller's answer:
2 million messages. --due of them (10,000) have a buyer waiting, their answers due from
--overdue-hours (6) ago to 24 hours ahead: --due 40000 --overdue-hours 30 leaves a backlog
of 20,000 clocks past their time, as after a day without beat. Then it times:
- catch-up sweeps: the first ones after seeding, which mark the overdue ones late and claim
  the reminders whose point has come (thousands, as after a six-hour beat outage), at most
  SWEEP_BATCH of each kind per sweep;
- steady sweeps, one simulated minute apart, as beat runs them;
and prints the plan of every statement a sweep runs (EXPLAIN ANALYZE, rolled back),
checking that none reads the conversations table sequentially. Target: under 200 ms per
sweep, that is per batch of at most SWEEP_BATCH rows of each kind. Each sweep is printed
beside a bare baseline timed just before it: one indexed read of SWEEP_BATCH due clocks,
the least a batch can cost. Reminders are queued to an in-memory broker, so the time
includes queueing them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/clock_bench"
TARGET_MS = 200


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--conversations", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--overdue-hours", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    return parser.parse_args()


def _ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


ARGS = _arguments()
if not ARGS.database_url.startswith("postgres"):
    sys.exit("The bench needs PostgreSQL (--database-url postgres://...).")
_ensure_database(ARGS.database_url)
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ["DATABASE_POOL"] = "false"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from messagecenter.accounts.models import Membership, SellerBusiness, User  # noqa: E402
from messagecenter.celery import app as celery_app  # noqa: E402
from messagecenter.clock.events import RemindersClaimed  # noqa: E402
from messagecenter.clock.models import ReplyReminder  # noqa: E402
from messagecenter.clock.reminders import SWEEP_BATCH, SweepResult, reply_clock_sweep  # noqa: E402
from messagecenter.core import events  # noqa: E402
from messagecenter.messaging.models import Message  # noqa: E402
from messagecenter.threads.models import Conversation  # noqa: E402

BUSINESSES = 50
BUYERS = 2_000
NOW = datetime(2025, 3, 7, 15, 0, tzinfo=UTC)


def _seeded() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {Conversation._meta.db_table}")
        conversations = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM {Conversation._meta.db_table} WHERE reply_due_at IS NOT NULL"
        )
        due = cursor.fetchone()[0]
        cursor.execute(f"SELECT min(reply_due_at) FROM {Conversation._meta.db_table}")
        earliest = cursor.fetchone()[0]
    overdue = NOW - timedelta(hours=ARGS.overdue_hours)
    return (
        conversations == ARGS.conversations
        and due == ARGS.due
        and earliest is not None
        and abs(earliest - overdue) < timedelta(hours=1)
    )


def _seed() -> None:
    print(f"Seeding {ARGS.conversations:,} conversations, {ARGS.due:,} of them due...", flush=True)
    started = time.perf_counter()
    conversation, message = Conversation._meta.db_table, Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {ReplyReminder._meta.db_table}, {message}, {conversation}, "
            f"{Membership._meta.db_table}, {SellerBusiness._meta.db_table} CASCADE"
        )
        cursor.execute(f"DELETE FROM {User._meta.db_table}")
    users = User.objects.bulk_create(
        User(email=f"buyer{i}@bench.example", password="!", display_name=f"Buyer {i}")
        for i in range(BUYERS)
    )
    businesses = SellerBusiness.objects.bulk_create(
        SellerBusiness(name=f"Seller {i}") for i in range(BUSINESSES)
    )
    members = User.objects.bulk_create(
        User(email=f"agent{i}@bench.example", password="!", display_name=f"Agent {i}")
        for i in range(BUSINESSES * 2)
    )
    Membership.objects.bulk_create(
        Membership(user=member, business=businesses[i // 2]) for i, member in enumerate(members)
    )
    first_buyer, first_business = users[0].pk, businesses[0].pk
    n, due = ARGS.conversations, ARGS.due
    # Every (n // due)-th conversation has a buyer waiting, due between -6 h and +24 h.
    step = n // due
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {conversation}
                (id, buyer_id, seller_id, subject, started_by, created_at, last_message_at,
                 last_message_side, last_message_preview, last_buyer_message_at,
                 last_seller_message_at, reply_due_at)
            SELECT i, %(buyer)s + i %% {BUYERS}, %(business)s + i %% {BUSINESSES},
                   'Order question ' || i, 'buyer', t - interval '1 hour', t,
                   CASE WHEN waiting THEN 'buyer' ELSE 'seller' END, '',
                   t - interval '1 hour', CASE WHEN waiting THEN NULL ELSE t END,
                   CASE WHEN waiting THEN due_at END
            FROM (
                SELECT i, i %% {step} = 0 AND i / {step} <= {due} AS waiting,
                       %(now)s - (i * interval '7 seconds') AS t,
                       %(now)s - %(overdue)s * interval '1 hour'
                         + ((i / {step}) * (%(overdue)s + 24) * interval '1 hour') / {due}
                         AS due_at
                FROM generate_series(1, {n}) AS i
            ) AS rows
            """,
            {
                "buyer": first_buyer,
                "business": first_business,
                "now": NOW,
                "overdue": ARGS.overdue_hours,
            },
        )
        # The buyer messages: waiting ones have a running clock, the rest were answered.
        cursor.execute(
            f"""
            INSERT INTO {message}
                (id, conversation_id, seller_id, sender_id, sender_side, message_type,
                 subject, subject_as_written, body_text, body_html, verdict, rejection_reason,
                 delivered_at, via, status, created_at, notification_sent_at,
                 email_message_id, is_automatic, reply_due_at, answered_at, response_seconds)
            SELECT c.id, c.id, c.seller_id, c.buyer_id, 'buyer', 'buyer_inquiry', c.subject,
                   c.subject,
                   'Where is my parcel?', '<p>Where is my parcel?</p>', 'allow', '',
                   d, 'web', 'delivered', d, d, '', false, d + interval '24 hours',
                   CASE WHEN c.reply_due_at IS NULL THEN c.last_message_at END,
                   CASE WHEN c.reply_due_at IS NULL THEN 3600 END
            FROM (
                SELECT id, seller_id, buyer_id, subject, reply_due_at, last_message_at,
                       COALESCE(reply_due_at - interval '24 hours', last_buyer_message_at) AS d
                FROM {conversation}
            ) AS c
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {message}
                (id, conversation_id, seller_id, sender_id, sender_side, message_type,
                 subject, subject_as_written, body_text, body_html, verdict, rejection_reason,
                 delivered_at, via, status, created_at, notification_sent_at,
                 email_message_id, is_automatic)
            SELECT {n} + c.id, c.id, c.seller_id, NULL, 'seller', 'reply', c.subject,
                   c.subject,
                   'It ships today.', '<p>It ships today.</p>', 'allow', '',
                   c.last_message_at, 'web', 'delivered', c.last_message_at,
                   c.last_message_at, '', false
            FROM {conversation} c WHERE c.reply_due_at IS NULL
            """
        )
        cursor.execute(
            f"UPDATE {message} m SET answered_by_message_id = {n} + m.conversation_id "
            f"WHERE m.sender_side = 'buyer' AND m.answered_at IS NOT NULL"
        )
        for table in (conversation, message):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("VACUUM ANALYZE" if connection.get_autocommit() else "ANALYZE")
    print(f"Seeded in {time.perf_counter() - started:.0f} s.", flush=True)


def _reset_sweep_state() -> None:
    """Back to just after seeding: no reminders claimed, nothing marked late."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ReplyReminder._meta.db_table} CASCADE")
        cursor.execute(
            f"UPDATE {Message._meta.db_table} SET late_at = NULL "
            "WHERE late_at IS NOT NULL AND answered_at IS NULL"
        )
        cursor.execute(f"ANALYZE {Message._meta.db_table}")


def _bare_batch(now: datetime) -> float:
    """The baseline: one indexed read of a batch of due clocks, the least a sweep costs."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"SELECT id FROM {Message._meta.db_table} WHERE reply_due_at IS NOT NULL"
            " AND answered_at IS NULL AND no_response_needed_at IS NULL AND late_at IS NULL"
            " AND reply_due_at <= %s ORDER BY reply_due_at LIMIT %s",
            [now, SWEEP_BATCH],
        )
        cursor.fetchall()
        return (time.perf_counter() - started) * 1000


def _timed_sweep(now: datetime, *, show: bool = False) -> tuple[float, SweepResult, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = reply_clock_sweep(now)
        elapsed = (time.perf_counter() - started) * 1000
    if show:
        in_database = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"   {len(queries.captured_queries)} statements, {in_database:.1f} ms of them:")
        for q in queries.captured_queries:
            print(f"   {float(q['time']) * 1000:7.1f} ms  {' '.join(q['sql'].split())[:90]}")
    return elapsed, result, [q["sql"] for q in queries.captured_queries]


def _explain(statements: list[str]) -> bool:
    """Print each statement's plan (run and rolled back); False if one scans conversations."""
    clean = True
    for sql in statements:
        if sql.startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            transaction.set_rollback(True)
        first_line = " ".join(sql.split())[:110]
        print(f"\n-- {first_line}...")
        print("\n".join(f"   {line[:150]}{'…' if len(line) > 150 else ''}" for line in plan))
        if any(f"Seq Scan on {Conversation._meta.db_table}" in line for line in plan):
            clean = False
    return clean


def _sweeps(label: str) -> tuple[float, float, list[str]]:
    """Sweeps a minute apart from the seeded state: the first ones work off the backlog
    (SWEEP_BATCH rows of each kind at most), then steady ones. The slowest catch-up and
    steady times, and a steady sweep's statements."""
    _reset_sweep_state()
    print(f"\n{label}")
    catch_up: list[float] = []
    steady: list[float] = []
    bare: list[float] = []
    statements: list[str] = []
    for minute in range(ARGS.rounds + 8):
        bare.append(_bare_batch(NOW + timedelta(minutes=minute)))
        elapsed, result, statements = _timed_sweep(
            NOW + timedelta(minutes=minute), show=minute == 0
        )
        backlog = result.marked_late >= SWEEP_BATCH or len(result.claimed) >= SWEEP_BATCH
        (catch_up if backlog or (not steady and minute < 8 and result.claimed) else steady).append(
            elapsed
        )
        print(
            f"   minute {minute:2}: {elapsed:6.1f} ms (bare batch {bare[-1]:5.1f} ms, "
            f"{elapsed / bare[-1]:5.1f}x), {result.marked_late:5,} marked late, "
            f"{len(result.claimed):5,} reminders claimed, {len(result.requeued):4,} queued again"
        )
    # A backlog longer than the rounds leaves no steady sweep: then there is none to show.
    steady_text = (
        f"p50 {statistics.median(steady):.1f} ms, max {max(steady):.1f} ms"
        if steady
        else "none (the backlog lasted every round)"
    )
    print(
        f"Per batch, catch-up (at most {SWEEP_BATCH} rows of each kind): max "
        f"{max(catch_up, default=0):.1f} ms, p50 "
        f"{statistics.median(catch_up) if catch_up else 0:.1f} ms. Steady: "
        f"{steady_text}. Bare batch: p50 {statistics.median(bare):.1f} ms."
    )
    return max(catch_up, default=0), max(steady, default=0), statements


def main() -> None:
    celery_app.conf.broker_url = "memory://"
    celery_app.conf.task_always_eager = False
    # Beat's sweep runs in a worker, which registered every task at start-up. This process
    # has not: the first task it queues would import them all and run Django's system
    # checks (Celery's Django fix-up), 0.8 s here, charged to the first sweep. Done now,
    # as a worker does, and timed apart.
    started = time.perf_counter()
    celery_app.loader.import_default_modules()
    print(
        f"Worker start-up (task modules imported, not part of any sweep): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms."
    )
    call_command("migrate", verbosity=0)
    if ARGS.reseed or not _seeded():
        _seed()
    waiting = Conversation.objects.filter(reply_due_at__isnull=False).count()
    total = Conversation.objects.count()
    print(f"{total:,} conversations, {Message.objects.count():,} messages, {waiting:,} waiting.")

    # The sweep also tells sellers' webhooks (RemindersClaimed -> reply.due_soon): timed
    # apart, with the event's handlers taken off for the first run.
    listeners = events.handlers_of(RemindersClaimed)
    events._handlers[RemindersClaimed] = []
    core = _sweeps("The reply clock's own work (webhook events left out):")
    events._handlers[RemindersClaimed] = listeners
    whole = _sweeps("The whole sweep, webhook events included:")
    statements = whole[2]

    print("\nQuery plans of a steady sweep:")
    clean = _explain(statements)
    _reset_sweep_state()
    _, _, catch_up_statements = _timed_sweep(NOW)
    _reset_sweep_state()
    print("\nQuery plans of the catch-up sweep's claims (state before it, rolled back):")
    clean = _explain([s for s in catch_up_statements if "INSERT INTO" in s]) and clean

    print()
    for label, times in (("reply clock alone", core), ("whole sweep", whole)):
        if times is not None:
            slowest = max(times[0], times[1])
            verdict = "met" if slowest < TARGET_MS else "NOT met"
            print(f"Target under {TARGET_MS} ms, {label}: {verdict} (slowest {slowest:.1f} ms).")
    print(f"Sequential scan of {Conversation._meta.db_table}: {'none' if clean else 'FOUND'}.")


if __name__ == "__main__":
    main()
