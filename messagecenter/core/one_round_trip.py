"""Several SELECTs sent to PostgreSQL as one query string: one round trip, one result each.

A page that needs a handful of small, independent reads (a few index scans each) spends
more on the round trips and on Django's per-query work (building and compiling a
QuerySet costs about as much as one of these reads) than on the reads. Django's
psycopg 3 cursor binds parameters on the client, so the statements can go together as
one simple query, with the settings they need first: PostgreSQL runs such a string as
one implicit transaction, so a ``SET LOCAL`` in it ends with it.

PostgreSQL only: SQLite runs in-process, where each statement costs microseconds and
one round trip saves nothing (core/by_vendor.py); callers run their queries one by one
there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from messagecenter.core.by_vendor import by_vendor
from messagecenter.core.prepared import prepared_cursor

# SQL with positional ``%s`` parameters, and the values.
Statement = tuple[str, Sequence[Any]]

# The reads this is for are a few hundred index entries each: parallel workers, and
# JIT-compiling the plan, cost more to start than the whole read (tens of ms, and JIT
# 100 ms or more once a plan's estimated cost passes jit_above_cost).
SMALL_READS = ("SET LOCAL max_parallel_workers_per_gather = 0", "SET LOCAL jit = off")


def rows_in_one_round_trip(
    statements: Sequence[Statement], settings: Sequence[str] = SMALL_READS
) -> list[list[tuple[Any, ...]]]:
    """Each statement's rows as plain tuples, in order."""
    script = "; ".join([*settings, *(sql for sql, _ in statements)])
    # One parameter list for the whole string, bound by psycopg as for any query.
    params = [value for _, values in statements for value in values]
    with connection.cursor() as cursor:
        cursor.execute(script, params)
        for _ in settings:
            cursor.nextset()
        results = []
        for index in range(len(statements)):
            if index:
                cursor.nextset()
            results.append(cursor.fetchall())
    return results


@by_vendor
def rows_of_each(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    """Each statement's rows as plain tuples, in order: on PostgreSQL in one round trip (a
    page's few small reads, with none of SMALL_READS' settings, which its index scans do
    not need), on SQLite one by one. A single statement is prepared on the connection
    (core/prepared.py: the callers' reads pick rows by key), where a string of values
    would be planned on every load."""
    if len(statements) == 1:
        [(sql, params)] = statements
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            return [cursor.fetchall()]
    return rows_in_one_round_trip(statements, settings=())


@rows_of_each.sqlite
def _one_by_one(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results
