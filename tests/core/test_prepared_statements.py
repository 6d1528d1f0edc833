"""The statements every email's intake runs are prepared once per connection; Django's own
queries, whose best plan may depend on their values, are not; and an operator behind a
pooler that cannot keep prepared statements turns it off."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from messagecenter.core.one_round_trip import rows_of_each
from messagecenter.core.prepared import prepared_cursor
from messagecenter.messaging.models import Message
from messagecenter.threads.unread import lock_conversation
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql("prepared statements")]


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s"
            " AND statement NOT LIKE %s",
            [f"%{fragment}%", "%pg_prepared_statements%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_is_prepared_on_its_first_run_and_its_plan_reused():
    sql = "SELECT %s::int + 1 AS prepared_probe"
    with CaptureQueriesContext(connection) as queries:
        with prepared_cursor() as cursor:
            cursor.execute(sql, [41])
            assert cursor.fetchone() == (42,)
        # The values are bound by the server: the kept statement has a placeholder.
        assert _prepared("AS prepared_probe") == ["SELECT $1::int + 1 AS prepared_probe"]

        with prepared_cursor() as cursor:
            cursor.execute(sql, [1])
            assert cursor.fetchone() == (2,)

    assert _prepared("AS prepared_probe") == ["SELECT $1::int + 1 AS prepared_probe"]
    # Logged and counted as any query (the query budgets see them).
    assert [q["sql"] for q in queries.captured_queries].count(sql.replace("%s", "41")) == 1
    assert sum(q["sql"].startswith("SELECT 1::int") for q in queries.captured_queries) == 1


def test_an_error_is_django_s_and_the_transaction_can_go_on():
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic(), prepared_cursor() as cursor:
            cursor.execute("SELECT 1 / %s::int AS prepared_divide", [0])
        with prepared_cursor() as cursor:
            cursor.execute("SELECT 1 / %s::int AS prepared_divide", [1])
            assert cursor.fetchone() == (1,)


def test_django_s_own_queries_are_planned_for_their_values():
    # status = 'held' picks a few hundred rows of a million, 'delivered' most of them: a
    # plan kept for both would suit neither.
    for _ in range(12):
        Message.objects.filter(status=Message.Status.HELD).count()

    assert _prepared("messaging_message") == []


def test_a_page_s_single_read_is_prepared_and_several_go_in_one_string():
    single = "SELECT %s::int * 2 AS single_read_probe"
    assert rows_of_each([(single, [4])]) == [[(8,)]]
    assert _prepared("AS single_read_probe") == ["SELECT $1::int * 2 AS single_read_probe"]

    with CaptureQueriesContext(connection) as queries:
        together = rows_of_each([(single, [1]), ("SELECT %s::text AS other_probe", ["x"])])

    assert together == [[(2,)], [("x",)]]
    assert len(queries.captured_queries) == 1


@override_settings(DATABASE_PREPARED_STATEMENTS=False)
def test_nothing_is_prepared_when_the_operator_turns_it_off():
    with prepared_cursor() as cursor:
        for n in range(8):
            cursor.execute("SELECT %s::int AS unprepared_probe", [n])
            assert cursor.fetchone() == (n,)

    assert _prepared("unprepared_probe") == []


def test_the_intake_s_statements_are_prepared_as_they_run(jordans_order):
    message = factories.buyer_message(jordans_order, "Where is my parcel?")

    lock_conversation(message.conversation_id)

    (locked,) = _prepared("pg_advisory_xact_lock_shared")
    assert "WHERE id = $3" in locked
