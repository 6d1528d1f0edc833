"""Time a seller's reply from each way in at a million messages, and count its queries.

    .venv/bin/python bench/send.py [--database-url postgres://postgres@127.0.0.1:5432/scale]
                                   [--rounds 20]

In the heavy seller's long conversation of the marketplace bench/seed_scale.py built, each
round the buyer asks (not timed), then the seller's owner answers through the web form,
the API or the email relay (timed, with its queries counted over the whole request or
email). Each answer runs in a transaction that is rolled back, so the marketplace is left
as it was seeded and every round answers the same question: the times leave out the
commit, and where a send would begin and commit its own transaction (the email's intake)
it takes a savepoint pair inside this one, counted among the queries. The replies are
bench/scale/replies.py's, which tests/test_scale_bench.py runs on a small marketplace.

DEBUG is off, as in production. Prints p50 and p95 in ms and the queries of each way in.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

from bench.scale.script import bench_environment, scale_parser


def _arguments() -> argparse.Namespace:
    parser = scale_parser(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    bench_environment(args.database_url, unthrottled=("TOKEN", "WRITE", "SEND"))

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)

    from bench.scale.replies import Replies
    from bench.scale.targets import find_targets

    heavy = find_targets().sellers[0]
    replies = Replies(heavy)
    for way in replies.ways:
        replies.answer(way)  # warm up: plans, the policy, the first-visit writes
    times: dict[str, list[float]] = {way: [] for way in replies.ways}
    queries: dict[str, int] = {}
    load = os.getloadavg()[0]
    for _ in range(args.rounds):
        for way in replies.ways:
            answer = replies.answer(way)
            times[way].append(answer.seconds * 1000)
            queries[way] = answer.queries
    print(f"A seller's reply in a {heavy.conversations:,}-conversation seller's longest thread,")
    print(f"{args.rounds} rounds; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"{'way in':<12} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for way, measured in times.items():
        p95 = statistics.quantiles(measured, n=20)[-1] if len(measured) > 1 else measured[0]
        print(f"{way:<12} {statistics.median(measured):>8.1f} {p95:>8.1f} {queries[way]:>8}")


if __name__ == "__main__":
    main()
