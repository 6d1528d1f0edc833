"""What the performance rollup cannot say, read from the few messages concerned.

Two reads, each bounded by the business's own messages of less than a day, never by how
many messages it or the marketplace has had; both come from indexes that start with the
business (a message carries its conversation's seller for that):
- the clocks still running and not yet due, by business and day;
- each period's partial first day (from the period's start to the end of that local day),
  per business and answering member, counted as the page always counted them.
performance_reads.py sends them, with the rollup's reads, in one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from messagecenter.clock.rollup import marketplace_zone
from messagecenter.messaging.models import CLOCK_RUNNING, Message
from messagecenter.threads.models import Side


def not_yet_due_statement(ids: list[int], now: datetime) -> tuple[str, list[Any]]:
    """PostgreSQL: running clocks due after `now`, as (business, the local day they
    arrived, count).

    The sweep marks a clock late only once it is past due, so one not yet marked late
    and due in the future is still inside its time. COUNT(*), not of the ids:
    msg_seller_clock_turning_late holds every column read here but the id, so this is
    an index-only scan of the business's entries.
    """
    sql = (
        "SELECT seller_id, (delivered_at AT TIME ZONE %s)::date, COUNT(*)"  # noqa: S608
        f" FROM {Message._meta.db_table}"
        " WHERE answered_at IS NULL AND no_response_needed_at IS NULL"
        " AND reply_due_at IS NOT NULL AND late_at IS NULL"
        " AND reply_due_at > %s AND delivered_at <= %s"
        " AND seller_id = ANY(%s) AND sender_side = %s"
        " GROUP BY 1, 2"
    )
    return sql, [marketplace_zone().key, now, now, ids, Side.BUYER.value]


def clocks_not_yet_due(ids: list[int], now: datetime) -> QuerySet[Message, tuple[Any, ...]]:
    """The rows of not_yet_due_statement through the ORM (SQLite)."""
    return (
        Message.objects.filter(
            CLOCK_RUNNING,
            late_at__isnull=True,
            reply_due_at__gt=now,
            delivered_at__lte=now,
            sender_side=Side.BUYER,
            seller_id__in=ids,
        )
        .annotate(day=TruncDate("delivered_at", tzinfo=marketplace_zone()))
        .values_list("seller_id", "day")
        .annotate(count=Count("pk"))
        .order_by()
    )


@dataclass(frozen=True)
class PartDayCount:
    """One business's buyer messages of a period's partial first day, answered by one
    member (None: not answered)."""

    business_id: int
    answerer_id: int | None
    period: int
    within: int
    late: int
    unanswered: int
    waiting: int
    not_needed: int
    seconds: int


_PART_COLUMNS = (
    "seller_id, answered_at, reply_due_at, no_response_needed_at, response_seconds,"
    " answered_by_message_id"
)


def part_day_statement(
    ids: list[int], part_days: dict[int, tuple[datetime, datetime]], now: datetime
) -> tuple[str, list[Any]]:
    """PostgreSQL: per period (its number of days), the counts of its part-day
    [start, end), as rows of PartDayCount's fields. To be run with parallel workers off
    (core/one_round_trip.py): a few hundred index entries, which the planner would hand
    to parallel workers whose start costs more than the whole query."""
    message = Message._meta.db_table
    ranges = []
    range_params: list[Any] = []
    for period, (start, end) in part_days.items():
        # A union of plain ranges: each is an index-only scan of msg_seller_clock_delivered,
        # where one OR of ranges would be a bitmap scan reading every row's page. Only
        # the table name and integers are formatted in; every value is a parameter.
        ranges.append(
            f"SELECT {int(period)} AS period, {_PART_COLUMNS} FROM {message}"  # noqa: S608
            " WHERE seller_id = ANY(%s) AND reply_due_at IS NOT NULL AND sender_side = %s"
            " AND delivered_at >= %s AND delivered_at < %s"
        )
        range_params += [ids, Side.BUYER.value, start, end]
    waiting = "p.answered_at IS NULL AND p.no_response_needed_at IS NULL"
    sql = f"""
        SELECT p.seller_id, answer.sender_id, p.period,
            COUNT(*) FILTER (WHERE p.answered_at <= p.reply_due_at),
            COUNT(*) FILTER (WHERE p.answered_at > p.reply_due_at),
            COUNT(*) FILTER (WHERE {waiting} AND p.reply_due_at <= %s),
            COUNT(*) FILTER (WHERE {waiting} AND p.reply_due_at > %s),
            COUNT(*) FILTER (WHERE p.no_response_needed_at IS NOT NULL),
            COALESCE(SUM(p.response_seconds) FILTER (WHERE p.answered_at IS NOT NULL), 0)
        FROM ({" UNION ALL ".join(ranges)}) AS p
        LEFT JOIN {message} answer ON answer.id = p.answered_by_message_id
        GROUP BY 1, 2, 3
    """  # noqa: S608
    return sql, [now, now, *range_params]


def part_day_counts_sqlite(
    ids: list[int], part_days: dict[int, tuple[datetime, datetime]], now: datetime
) -> list[PartDayCount]:
    """The counts of part_day_statement through the ORM, one query per period: SQLite has
    no ``= ANY`` and no ``SET LOCAL``, and an in-process query costs next to nothing."""
    waiting = Q(answered_at__isnull=True, no_response_needed_at__isnull=True)
    counts: list[PartDayCount] = []
    for period, (start, end) in part_days.items():
        rows = (
            Message.objects.filter(
                seller_id__in=ids,
                reply_due_at__isnull=False,
                sender_side=Side.BUYER,
                delivered_at__gte=start,
                delivered_at__lt=end,
            )
            .values("seller_id", "answered_by_message__sender_id")
            .annotate(
                within=Count("pk", filter=Q(answered_at__lte=F("reply_due_at"))),
                late=Count("pk", filter=Q(answered_at__gt=F("reply_due_at"))),
                unanswered=Count("pk", filter=waiting & Q(reply_due_at__lte=now)),
                waiting=Count("pk", filter=waiting & Q(reply_due_at__gt=now)),
                not_needed=Count("pk", filter=Q(no_response_needed_at__isnull=False)),
                seconds=Coalesce(Sum("response_seconds", filter=Q(answered_at__isnull=False)), 0),
            )
            .order_by()
        )
        counts += [
            PartDayCount(
                row["seller_id"],
                row["answered_by_message__sender_id"],
                period,
                row["within"],
                row["late"],
                row["unanswered"],
                row["waiting"],
                row["not_needed"],
                row["seconds"],
            )
            for row in rows
        ]
    return counts
