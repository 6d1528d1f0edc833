"""Several SELECTs in one query string: each statement's rows come back in order, the
values are bound as parameters, and the SET LOCAL lines end with the string."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messagecenter.core.one_round_trip import rows_in_one_round_trip

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql("several statements in one simple query, SET LOCAL"),
]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_each_statement_answers_in_order_in_one_query():
    with CaptureQueriesContext(connection) as queries:
        rows = rows_in_one_round_trip(
            [
                ("SELECT n FROM generate_series(1, %s) AS n", [3]),
                ("SELECT %s::text WHERE false", ["never"]),
                ("SELECT %s::text, %s::int", ["O'Brien; DROP TABLE x", 7]),
            ]
        )

    assert rows == [[(1,), (2,), (3,)], [], [("O'Brien; DROP TABLE x", 7)]]
    assert len(queries.captured_queries) == 1


# Outside a transaction, as in a request: inside one, SET LOCAL lasts until it ends.
@pytest.mark.django_db(transaction=True)
def test_the_settings_hold_inside_and_end_with_the_query():
    before = _setting("max_parallel_workers_per_gather"), _setting("jit")

    (inside,) = rows_in_one_round_trip(
        [
            (
                "SELECT current_setting('max_parallel_workers_per_gather'), current_setting(%s)",
                ["jit"],
            )
        ]
    )

    assert inside == [("0", "off")]
    assert (_setting("max_parallel_workers_per_gather"), _setting("jit")) == before
