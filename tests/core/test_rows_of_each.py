"""rows_of_each: each statement's rows in order, in one query on PostgreSQL and one by one
on SQLite, with the values bound as parameters on both."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messagecenter.core.one_round_trip import rows_of_each

pytestmark = pytest.mark.django_db


def test_each_statement_answers_in_order():
    statements = [
        ("SELECT %s, %s", [1, "O'Brien; DROP TABLE x"]),
        ("SELECT 1 WHERE 1 = %s", [0]),
        ("SELECT %s UNION ALL SELECT %s", [2, 3]),
    ]

    with CaptureQueriesContext(connection) as queries:
        rows = rows_of_each(statements)

    assert rows == [[(1, "O'Brien; DROP TABLE x")], [], [(2,), (3,)]]
    one_round_trip = connection.vendor == "postgresql"
    assert len(queries.captured_queries) == (1 if one_round_trip else len(statements))
