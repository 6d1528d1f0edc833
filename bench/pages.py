"""Time every page and API list at a million messages, against a bare one-query view.

    .venv/bin/python bench/pages.py [--database-url postgres://postgres@127.0.0.1:5432/scale]
                                    [--rounds 15] [--only SUBSTRING]

Runs in-process with Django's test client against the marketplace bench/seed_scale.py
built, logged in (force_login) as the heavy seller (20,000 conversations at scale 1), the
smallest seller, the buyer with 500 conversations, an ordinary buyer and an administrator.
The bare view renders 25 rows from one indexed query behind the same middleware and
session; it is timed just before every page, round after round, so both see the same
machine. For each page: p50 and p95 in ms, the queries it makes, and its p50 over the bare
view's. --only keeps the pages whose name or account contains the text (any case).

DEBUG is off, as in production (on, Django would keep every query). PostgreSQL runs as
configured, JIT included; its version and JIT setting are printed. Conversation pages mark
the conversation read on every visit, as they do for people.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

from bench.scale.script import bench_environment, scale_parser


def _arguments() -> argparse.Namespace:
    parser = scale_parser(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--only", default="", help="time only pages whose name contains this")
    return parser.parse_args()


def _server() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('jit')")
        version, jit = cursor.fetchone()
    return f"PostgreSQL {version}, jit = {jit}"


def _marketplace(targets: object) -> str:
    from messagecenter.messaging.models import Message
    from messagecenter.threads.models import Conversation

    heavy = targets.sellers[0]  # type: ignore[attr-defined]
    seeded = Message.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return (
        f"{Message.objects.count():,} messages, {Conversation.objects.count():,} "
        f"conversations; the heavy seller has {heavy.conversations:,}; newest message "
        f"{seeded:%Y-%m-%d %H:%M} UTC"
    )


def _load() -> str:
    """The machine's load: other work on it shows up in every time."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _ms(seconds: float) -> float:
    return seconds * 1000


def main() -> None:
    args = _arguments()
    bench_environment(args.database_url, unthrottled=("TOKEN", "READ"))

    import django

    django.setup()
    # django-axes logs every force_login; the table is what matters here.
    logging.getLogger("axes").setLevel(logging.WARNING)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.scale.pages import baseline_url, bench_pages
    from bench.scale.targets import find_targets

    settings.ROOT_URLCONF = "bench.scale.urls"
    targets = find_targets()
    pages = [
        p for p in bench_pages(targets) if args.only.lower() in f"{p.account} {p.name}".lower()
    ]
    if not pages:
        sys.exit(f"No page matches {args.only!r}.")
    clients: dict[int, Client] = {}
    for page in pages:
        if page.user.pk not in clients:
            clients[page.user.pk] = Client()
            clients[page.user.pk].force_login(page.user)
    bare = baseline_url(targets)

    def timed(client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}.")
        return elapsed

    print(_server())
    print(_marketplace(targets))
    print(f"{len(pages)} pages, {args.rounds} rounds; {_load()} before.", flush=True)
    queries: dict[int, int] = {}
    for index, page in enumerate(pages):
        client = clients[page.user.pk]
        timed(client, page.url)  # warm up: first-visit writes, caches, plans
        with CaptureQueriesContext(connection) as captured:
            timed(client, page.url)
        queries[index] = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        timed(clients[pages[0].user.pk], bare)
    bare_queries = len(captured.captured_queries)

    page_times: dict[int, list[float]] = {i: [] for i in range(len(pages))}
    bare_times: list[float] = []
    for round_number in range(args.rounds):
        for index, page in enumerate(pages):
            client = clients[page.user.pk]
            bare_times.append(timed(client, bare))
            page_times[index].append(timed(client, page.url))
        print(f"  round {round_number + 1}/{args.rounds} done", file=sys.stderr, flush=True)

    print(f"{_load()} after.\n")
    bare_p50 = statistics.median(bare_times)
    rows = [("bare view (25 rows, one indexed query)", "", bare_times, bare_queries)]
    rows += [(p.name, p.account, page_times[i], queries[i]) for i, p in enumerate(pages)]
    print("| page | account | p50 ms | p95 ms | queries | x bare p50 |")
    print("|---|---|---:|---:|---:|---:|")
    for name, account, times, count in rows:
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else p50
        print(
            f"| {name} | {account} | {_ms(p50):.1f} | {_ms(p95):.1f} | {count} "
            f"| {p50 / bare_p50:.1f}x |"
        )


if __name__ == "__main__":
    main()
