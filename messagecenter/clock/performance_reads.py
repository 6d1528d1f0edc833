"""Everything the performance page reads, in one round trip on PostgreSQL.

Six small reads: the rollup's days of each business (at most 91), its members' answers
summed per period (a row per member, not per member and day), the clocks not yet due and
the periods' part-days (performance_live.py), the team's names and the businesses' own.
On PostgreSQL they go as one query string of plain SQL (core/one_round_trip.py), with
parallel workers and JIT off, which they are too small to gain from; on SQLite as the
same querysets one by one (core/by_vendor.py). Each PostgreSQL statement reads what its
queryset reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet, Sum

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.clock.models import MemberResponseDay, ResponseDay
from messagecenter.clock.performance_live import (
    PartDayCount,
    clocks_not_yet_due,
    not_yet_due_statement,
    part_day_counts_sqlite,
    part_day_statement,
)
from messagecenter.core.by_vendor import by_vendor
from messagecenter.core.one_round_trip import rows_in_one_round_trip


@dataclass(frozen=True)
class Span:
    """What the page covers: whole days from `first` to `today`; per period (its number
    of days), the day its whole days come after and its part-day [start, end)."""

    first: date
    today: date
    after: Mapping[int, date]
    part_days: Mapping[int, tuple[datetime, datetime]]


@dataclass(frozen=True)
class PerformanceRows:
    # (business, day, received, within, late, not_needed, answered_seconds)
    business_days: list[tuple[Any, ...]]
    # (business, member or None, then within, late, answered_seconds per period in order)
    member_periods: list[tuple[Any, ...]]
    # (business, day) -> clocks running and not yet due
    waiting: dict[tuple[int, date], int]
    part_days: list[PartDayCount]
    # (business, member, public name), in the order the page lists them
    members: list[tuple[int, int, str]]
    # business -> its name
    names: dict[int, str]


def _business_days(ids: list[int], span: Span) -> QuerySet[ResponseDay, tuple[Any, ...]]:
    return (
        ResponseDay.objects.filter(business_id__in=ids, day__gte=span.first, day__lte=span.today)
        .values_list(
            "business_id", "day", "received", "within", "late", "not_needed", "answered_seconds"
        )
        .order_by()
    )


def _member_periods(ids: list[int], span: Span) -> QuerySet[MemberResponseDay, tuple[Any, ...]]:
    sums = {}
    for period, after in span.after.items():
        whole_days = Q(day__gt=after)
        for column in ("within", "late", "answered_seconds"):
            sums[f"{column}_{period}"] = Sum(column, filter=whole_days)
    return (
        MemberResponseDay.objects.filter(
            business_id__in=ids, day__gt=min(span.after.values()), day__lte=span.today
        )
        .values_list("business_id", "member_id")
        .annotate(**sums)
        .order_by()
    )


def _members(ids: list[int]) -> QuerySet[User, tuple[Any, ...]]:
    return (
        User.objects.filter(memberships__business_id__in=ids)
        .order_by("display_name", "first_name", "last_name", "email")
        .values_list("memberships__business_id", "pk", "display_name", "first_name", "last_name")
    )


def _names(ids: list[int]) -> QuerySet[SellerBusiness, tuple[Any, ...]]:
    return SellerBusiness.objects.filter(pk__in=ids).values_list("pk", "name").order_by()


def _rows(
    business_days: list[tuple[Any, ...]],
    member_periods: list[tuple[Any, ...]],
    waiting: list[tuple[Any, ...]],
    part_days: list[PartDayCount],
    members: list[tuple[Any, ...]],
    names: list[tuple[Any, ...]],
) -> PerformanceRows:
    return PerformanceRows(
        business_days=business_days,
        # A sum over no rows is NULL, and PostgreSQL sums bigints as numeric: plain ints.
        member_periods=[(b, m, *(int(v or 0) for v in sums)) for b, m, *sums in member_periods],
        waiting={(business, day): count for business, day, count in waiting},
        part_days=part_days,
        members=[
            (business, pk, User(display_name=display, first_name=first, last_name=last).public_name)
            for business, pk, display, first, last in members
        ],
        names=dict(names),
    )


# Only model table names and integers are formatted into these; values are parameters.
def _business_days_statement(ids: list[int], span: Span) -> tuple[str, list[Any]]:
    sql = (
        "SELECT business_id, day, received, within, late, not_needed, answered_seconds"  # noqa: S608
        f" FROM {ResponseDay._meta.db_table}"
        " WHERE business_id = ANY(%s) AND day >= %s AND day <= %s"
    )
    return sql, [ids, span.first, span.today]


def _member_periods_statement(ids: list[int], span: Span) -> tuple[str, list[Any]]:
    sums, params = [], []
    for after in span.after.values():
        for column in ("within", "late", "answered_seconds"):
            sums.append(f"SUM({column}) FILTER (WHERE day > %s)")
            params.append(after)
    sql = (
        f"SELECT business_id, member_id, {', '.join(sums)}"  # noqa: S608
        f" FROM {MemberResponseDay._meta.db_table}"
        " WHERE business_id = ANY(%s) AND day > %s AND day <= %s GROUP BY 1, 2"
    )
    return sql, [*params, ids, min(span.after.values()), span.today]


def _members_statement(ids: list[int]) -> tuple[str, list[Any]]:
    sql = (
        "SELECT m.business_id, u.id, u.display_name, u.first_name, u.last_name"  # noqa: S608
        f" FROM {User._meta.db_table} u JOIN {Membership._meta.db_table} m ON m.user_id = u.id"
        " WHERE m.business_id = ANY(%s)"
        " ORDER BY u.display_name, u.first_name, u.last_name, u.email"
    )
    return sql, [ids]


def _names_statement(ids: list[int]) -> tuple[str, list[Any]]:
    sql = f"SELECT id, name FROM {SellerBusiness._meta.db_table} WHERE id = ANY(%s)"  # noqa: S608
    return sql, [ids]


@by_vendor
def performance_rows(ids: list[int], span: Span, now: datetime) -> PerformanceRows:
    """The page's rows for these businesses, as of `now`."""
    business_days, member_periods, waiting, part_days, members, names = rows_in_one_round_trip(
        [
            _business_days_statement(ids, span),
            _member_periods_statement(ids, span),
            not_yet_due_statement(ids, now),
            part_day_statement(ids, dict(span.part_days), now),
            _members_statement(ids),
            _names_statement(ids),
        ]
    )
    return _rows(
        business_days,
        member_periods,
        waiting,
        [PartDayCount(*row) for row in part_days],
        members,
        names,
    )


@performance_rows.sqlite
def _performance_rows_sqlite(ids: list[int], span: Span, now: datetime) -> PerformanceRows:
    return _rows(
        list(_business_days(ids, span)),
        list(_member_periods(ids, span)),
        list(clocks_not_yet_due(ids, now)),
        part_day_counts_sqlite(ids, dict(span.part_days), now),
        list(_members(ids)),
        list(_names(ids)),
    )
