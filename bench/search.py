"""Time search at a million messages, for the heavy seller, against a bare one-query view.

    .venv/bin/python bench/search.py [--database-url postgres://postgres@127.0.0.1:5432/scale]
                                     [--rounds 20]

Runs in-process with Django's test client against the marketplace bench/seed_scale.py
built (and migrated with the search app, whose migration fills the rows), logged in as
the heavy seller's owner (20,000 conversations, 100,000 messages at scale 1). Each term
is searched the way the Messages page's search box sends it (the seller's side, no
filter): the results page with its newest 20 matching messages, the conversations whose
order, names or products match, and the count capped at 200. Common terms are in most of
the seller's messages, rare ones in a handful or none; an order number and a buyer's last
name find conversations. The bare view (25 rows from one indexed query, same middleware
and session) is timed just before every search, round after round, so both see the same
machine. For each term: p50 and p95 in ms, the queries made, and p50 over the bare
view's. The API's search is timed for the first common and rare term too.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

from bench.scale.script import bench_environment, scale_parser

# (kind, what is typed): words of the generated texts (bench/scale/texts.py).
TERMS = (
    ("common", "order"),
    ("common", "tracking"),
    ("common", "where is my order"),
    ("common", '"tracking number" -refund'),
    ("rare", "zipper"),
    ("rare", "complain"),
    ("rare", "listing or stupid"),
    ("rare", "xylophone"),
)


def _arguments() -> argparse.Namespace:
    parser = scale_parser(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    return parser.parse_args()


def _ms(seconds: float) -> float:
    return seconds * 1000


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def main() -> None:
    args = _arguments()
    bench_environment(args.database_url, unthrottled=("TOKEN", "READ"))

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.scale.pages import baseline_url
    from bench.scale.targets import find_targets
    from messagecenter.api.tokens import api_token_create
    from messagecenter.search.models import MessageSearch

    settings.ROOT_URLCONF = "bench.scale.urls"
    targets = find_targets()
    heavy = targets.sellers[0]
    searches = [
        *[(kind, text, "page") for kind, text in TERMS],
        ("order number", heavy.order_number, "page"),
        ("buyer name", heavy.search, "page"),
        ("common", TERMS[0][1], "api"),
        ("rare", TERMS[4][1], "api"),
    ]
    client = Client()
    client.force_login(heavy.user)
    token = api_token_create(user=heavy.user, name="search bench").key
    api_headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    bare = baseline_url(targets)

    def url_of(text: str, way: str) -> str:
        if way == "api":
            return "/api/v1/search?" + urlencode({"q": text})
        return "/search/?" + urlencode({"q": text, "side": "seller"})

    def timed(url: str, way: str = "page") -> float:
        started = time.perf_counter()
        response = client.get(url, **(api_headers if way == "api" else {}))
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}.")
        return elapsed

    rows = MessageSearch.objects.filter(seller_id=heavy.business.pk).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('jit')")
        version, jit = cursor.fetchone()
    print(f"PostgreSQL {version}, jit = {jit}")
    print(
        f"{MessageSearch.objects.count():,} messages in search; the heavy seller has "
        f"{rows:,}; {args.rounds} rounds; load {os.getloadavg()[0]:.1f} before."
    )
    queries = []
    for _, text, way in searches:
        timed(url_of(text, way), way)  # warm up: plans, caches
        with CaptureQueriesContext(connection) as captured:
            timed(url_of(text, way), way)
        queries.append(len(captured.captured_queries))
    times: list[list[float]] = [[] for _ in searches]
    bare_times: list[float] = []
    for round_number in range(args.rounds):
        for index, (_, text, way) in enumerate(searches):
            bare_times.append(timed(bare))
            times[index].append(timed(url_of(text, way), way))
        print(f"  round {round_number + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    print(f"load {os.getloadavg()[0]:.1f} after.\n")
    bare_p50 = statistics.median(bare_times)
    print("| search | terms | way | p50 ms | p95 ms | queries | x bare p50 |")
    print("|---|---|---|---:|---:|---:|---:|")
    print(f"| bare view | | | {_ms(bare_p50):.1f} | {_ms(_p95(bare_times)):.1f} | | 1.0x |")
    for (kind, text, way), each, count in zip(searches, times, queries, strict=True):
        p50 = statistics.median(each)
        print(
            f"| {kind} | `{text}` | {way} | {_ms(p50):.1f} | {_ms(_p95(each)):.1f} | {count} "
            f"| {p50 / bare_p50:.1f}x |"
        )
    for kind in ("common", "rare"):
        pooled = [
            t
            for (k, _, way), each in zip(searches, times, strict=True)
            if k == kind and way == "page"
            for t in each
        ]
        print(
            f"\n{kind} terms, all pages: p50 {_ms(statistics.median(pooled)):.1f} ms, "
            f"p95 {_ms(_p95(pooled)):.1f} ms",
            end="",
        )
    print()


if __name__ == "__main__":
    main()
