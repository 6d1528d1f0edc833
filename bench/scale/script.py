"""What the scripts that run on the scale marketplace (seed_scale.py, pages.py, send.py)
share before Django starts: their --database-url argument and the environment they set."""

from __future__ import annotations

import argparse
import os
import secrets

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scale"


def scale_parser(description: str) -> argparse.ArgumentParser:
    """A parser with --database-url (BENCH_DATABASE_URL, else the local `scale` database)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser


def bench_environment(url: str, *, unthrottled: tuple[str, ...] = ()) -> None:
    """Settings for a timed run against ``url``: DEBUG off (as in production, and Django
    keeps no query log), and the API limits in ``unthrottled`` raised, since a benchmark
    asks far more often than a person or a seller's tool may."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    for scope in unthrottled:
        os.environ[f"API_THROTTLE_{scope}"] = "1000000/min"
