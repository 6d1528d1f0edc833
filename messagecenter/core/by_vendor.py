"""One function, two bodies: set-based SQL for PostgreSQL and a portable one for SQLite.

The busiest writes (a delivery's last word, a read marker, the reply clock, the rollup) are
single PostgreSQL statements: data-modifying CTEs, ``ON CONFLICT`` with ``RETURNING`` inside
``WITH``, ``AT TIME ZONE``, ``FILTER``, ``::`` casts. SQLite, the embedded default of
``make run`` (and the SQLite lane of ``make test``), has none of these, and does not need
them: it runs in-process, so a few more statements cost microseconds, not round trips.

Rather than an ``if connection.vendor`` inside each service, the service is written once
per vendor and this is the one place that picks the body for the connection in use::

    @by_vendor
    def last_word_record(...):  # PostgreSQL
        ...

    @last_word_record.sqlite
    def _last_word_record_sqlite(...):
        ...

A SQLite body long enough to be a module of its own is named in the decorator instead::

    @by_vendor(sqlite=count_writes_sqlite.last_word_record)
    def last_word_record(...):  # PostgreSQL
        ...

Both bodies take the same arguments and must leave the same rows behind; the SQLite lane
runs the second, the rest of the suite the first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Generic, ParamSpec, TypeVar, overload

from django.db import connection

P = ParamSpec("P")
R = TypeVar("R")


class ByVendor(Generic[P, R]):
    """A callable that runs its PostgreSQL body there and its SQLite body elsewhere."""

    def __init__(self, postgresql: Callable[P, R]) -> None:
        self._postgresql = postgresql
        self._sqlite: Callable[P, R] | None = None
        update_wrapper(self, postgresql)

    def sqlite(self, body: Callable[P, R]) -> Callable[P, R]:
        """Register the body for SQLite (used as a decorator); returns it unchanged."""
        self._sqlite = body
        return body

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if connection.vendor == "postgresql":
            return self._postgresql(*args, **kwargs)
        if self._sqlite is None:
            raise NotImplementedError(
                f"{self._postgresql.__qualname__} has no body for {connection.vendor}."
            )
        return self._sqlite(*args, **kwargs)


@overload
def by_vendor(postgresql: Callable[P, R]) -> ByVendor[P, R]: ...


@overload
def by_vendor(*, sqlite: Callable[P, R]) -> Callable[[Callable[P, R]], ByVendor[P, R]]: ...


def by_vendor(
    postgresql: Callable[P, R] | None = None, *, sqlite: Callable[P, R] | None = None
) -> ByVendor[P, R] | Callable[[Callable[P, R]], ByVendor[P, R]]:
    """Decorate the PostgreSQL body; add the SQLite one with ``@<name>.sqlite``, or name it
    here with ``sqlite=``."""
    if postgresql is not None:
        return ByVendor(postgresql)

    def with_sqlite_body(body: Callable[P, R]) -> ByVendor[P, R]:
        chosen = ByVendor(body)
        if sqlite is not None:
            chosen.sqlite(sqlite)
        return chosen

    return with_sqlite_body
