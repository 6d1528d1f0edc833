"""A cursor whose statements PostgreSQL prepares once per connection and then runs on the
plan it kept.

Planning was most of the database's time for the statements every inbound email runs
(finding the masked address, the intake log's questions, locking the conversation, its
last word and unread counts, the reply clock): 0.4 to 0.5 ms each for the larger ones,
against 0.1 to 0.2 ms running them. Those statements are written by hand and pick rows by
key (a token, an id, a recipient's last minutes of mail), so the generic plan PostgreSQL
settles on after a few runs is the plan every run wants.

Only the statements that ask for it are prepared: a query whose best plan depends on its
values (``status = 'held'``, a few hundred rows, against ``'delivered'``, most of a
million) can be given a generic plan that suits neither, so Django's own queries keep
binding their values on the client and are planned for each one.

The statements keep going through Django's cursor wrapper, so they are logged, counted by
the query-budget tests and their errors translated like any other. SQLite, and PostgreSQL
behind a pooler that cannot keep prepared statements (settings.DATABASE_PREPARED_STATEMENTS
off), use the ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from psycopg import Cursor
from psycopg.abc import Params


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor for hand-written statements on the default connection, each prepared the
    first time this connection runs it (and later runs reusing the plan)."""
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_thread_sharing()
    # The connection's own adapters (its time zone: USE_TZ keeps it UTC, as Django's
    # cursors have it) come with a cursor made on it.
    raw: Any = _PreparingCursor(connection.connection)
    wrapped = (
        _LoggedCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    )
    with wrapped:
        yield wrapped


class _LoggedCursor(CursorDebugWrapper):
    """Django's logging cursor, logging the statement with its values written in: Django
    reads that back from a cursor binding on the client, which this one is not."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


class _PreparingCursor(Cursor[Any]):
    """psycopg's cursor that binds values on the server, asking for every statement to be
    prepared (psycopg keeps the prepared statements of a connection, up to a hundred)."""

    def execute(
        self,
        query: Any,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Self:
        return super().execute(query, params, prepare=True, binary=binary)
