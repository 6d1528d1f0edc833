"""Several SELECTs sent to PostgreSQL as one query string: one round trip, one result each.

A page that needs a handful of small, independent reads (a few index scans each) spends
more on the round trips and on Django's per-query work (building and compiling a
QuerySet costs about as much as one of these reads) than on the reads. The statements go
together as one simple query, with the settings they need first: PostgreSQL runs such a
string as one implicit transaction, so a ``SET LOCAL`` in it ends with it. The database
binds every other query's parameters itself (settings.py: so they can be prepared), which
it does for one statement at a time; here psycopg writes the values into the string, as
its client-side-binding cursor does, and the string goes without parameters.

PostgreSQL only: SQLite runs in-process, where each statement costs microseconds and
one round trip saves nothing (core/by_vendor.py); callers run their queries one by one
there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from psycopg import ClientCursor

from messagecenter.core.by_vendor import by_vendor

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
    params = [value for _, values in statements for value in values]
    with connection.cursor() as cursor:
        # The connection's own adapters quote the values (its time zone, its types).
        cursor.execute(ClientCursor(connection.connection).mogrify(script, params))
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
    not need), on SQLite one by one. A single statement goes as any query does: bound and,
    run again and again, prepared by the server, where a string of values is planned
    every time."""
    if len(statements) == 1:
        return _one_by_one(statements)
    return rows_in_one_round_trip(statements, settings=())


@rows_of_each.sqlite
def _one_by_one(statements: Sequence[Statement]) -> list[list[tuple[Any, ...]]]:
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results
