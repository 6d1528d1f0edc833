"""Build the scale benchmark's marketplace: a million messages, 200,000 conversations.

    .venv/bin/python bench/seed_scale.py [--database-url postgres://postgres@127.0.0.1:5432/scale]
                                         [--scale 1.0] [--seed N] [--reset]

At scale 1.0: 1,000,000 messages in 200,000 conversations, 50,000 buyers, 200 sellers
(businesses with owners and agents) and 300,000 orders with products and order lines. One
seller has 20,000 conversations and one buyer 500 (bench/scale/plan.py says who is who
and how the rest is skewed); read markers, assignments, reply clocks (answered, late,
waiting, overdue, "no response needed"), reminders, held, rejected, blocked and redacted
messages with their violations, masked addresses, inbound email and bounces are there as
the app would have left them. --scale 0.01 builds the same shape a hundred times smaller.

The database is created when missing and migrated; one that already holds a marketplace
is refused unless --reset, which drops and creates it again. Rows are written with COPY in
one transaction, then VACUUM ANALYZE. Times are relative to now: the pages show clocks due
and overdue as of the seeding, and drift as hours pass. Prints rows per table and the time
each step took.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

from bench.scale.script import scale_parser


def _arguments() -> argparse.Namespace:
    parser = scale_parser(__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed)")
    parser.add_argument("--reset", action="store_true", help="drop and create the database first")
    return parser.parse_args()


def _prepare_database(url: str, *, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        quoted = sql.Identifier(name)
        if reset:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(quoted))


def _search_rows(cursor: Any) -> dict[str, int]:
    """The search rows of what COPY wrote, as the search migration fills an existing
    database (set-based, the 'simple' configuration): its GIN indexes dropped, the rows
    filled, the indexes built again. `manage.py rebuild_search_index` reads each message
    in its language afterwards if wanted (about 3 s per 10,000 messages)."""
    import importlib

    from messagecenter.search.models import ConversationSearch, MessageSearch

    fill = importlib.import_module("messagecenter.search.migrations.0002_search_engines")
    for statement in fill.GIN_INDEXES:
        cursor.execute(f"DROP INDEX {statement.split()[2]}")
    cursor.execute(fill.MESSAGES_FILL)
    cursor.execute(fill.CONVERSATIONS_FILL)
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in fill.GIN_INDEXES:
        cursor.execute(statement)
    return {
        MessageSearch._meta.db_table: MessageSearch.objects.count(),
        ConversationSearch._meta.db_table: ConversationSearch.objects.count(),
    }


def main() -> None:
    args = _arguments()
    if not args.database_url.startswith("postgres"):
        sys.exit("The scale benchmark needs PostgreSQL (--database-url postgres://...).")
    started = time.perf_counter()
    _prepare_database(args.database_url, reset=args.reset)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DATABASE_POOL"] = "false"
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.scale import plan as planned
    from bench.scale.load import Loader
    from messagecenter.accounts.models import User

    call_command("migrate", verbosity=0)
    if User.objects.exists():
        sys.exit(
            f"{args.database_url} already holds data: pass --reset to drop it and build the "
            "marketplace again."
        )
    migrated = time.perf_counter()
    print(f"Database ready and migrated in {migrated - started:.1f} s.", flush=True)

    sizes = planned.Sizes.at(args.scale)
    now = float(int(time.time()) // 60 * 60)
    plan = planned.build_plan(
        sizes,
        now=now,
        seed=planned.DEFAULT_SEED if args.seed is None else args.seed,
        reply_hours=django.conf.settings.REPLY_WITHIN_HOURS,
        reminder_hours=tuple(django.conf.settings.REPLY_REMINDER_HOURS_BEFORE),
    )
    planned_at = time.perf_counter()
    print(f"Planned scale {args.scale:g} in {planned_at - migrated:.1f} s.", flush=True)

    with transaction.atomic():
        counts = Loader(plan).load()
        copied = time.perf_counter()
        print(f"Written with COPY in {copied - planned_at:.1f} s.", flush=True)
        with connection.cursor() as cursor:
            counts.update(_search_rows(cursor))
    del plan
    loaded = time.perf_counter()
    print(f"Search rows filled in {loaded - copied:.1f} s.", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter()
    print(f"VACUUM ANALYZE in {vacuumed - loaded:.1f} s.\n")

    width = max(len(table) for table in counts)
    for table, rows in counts.items():
        print(f"  {table:<{width}}  {rows:>10,}")
    print(f"  {'total':<{width}}  {sum(counts.values()):>10,}")
    print(
        f"\nSeeded {args.database_url} at scale {args.scale:g} in "
        f"{vacuumed - started:.0f} s. Bench logins (password {planned.BENCH_PASSWORD}): "
        f"{planned.HEAVY_SELLER_OWNER} (the heavy seller), {planned.SMALL_SELLER_OWNER} (the "
        f"smallest), {planned.HEAVY_BUYER} (500 conversations at scale 1), "
        f"{planned.SMALL_BUYER}, {planned.ADMIN}."
    )


if __name__ == "__main__":
    main()
