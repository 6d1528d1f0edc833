"""The performance page's figures counted the old way, straight from the messages.

Three aggregates over every buyer message of the last 90 days: what the page ran before
it read the daily rollup. Kept here, for tests only, as the reference the rollup's figures
must equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.clock.performance import (
    WINDOWS,
    BusinessPerformance,
    DayPoint,
    Measure,
    MemberPerformance,
    chart_days,
)
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Side
from messagecenter.threads.reply_due import utc

_ANSWERED = Q(answered_at__isnull=False)
_WITHIN = Q(answered_at__lte=F("reply_due_at"))
_LATE = Q(answered_at__gt=F("reply_due_at"))
_NOT_NEEDED = Q(no_response_needed_at__isnull=False)


def _still_waiting() -> Q:
    return Q(answered_at__isnull=True, no_response_needed_at__isnull=True)


def _buyer_messages(business_ids: Iterable[int], since: datetime, now: datetime) -> QuerySet:
    return Message.objects.filter(
        conversation__seller_id__in=list(business_ids),
        sender_side=Side.BUYER,
        reply_due_at__isnull=False,
        delivered_at__gte=since,
        delivered_at__lte=now,
    )


def _counts(suffix: str, now: datetime, when: Q) -> dict[str, Any]:
    return {
        f"within{suffix}": Count("pk", filter=when & _ANSWERED & _WITHIN),
        f"late{suffix}": Count("pk", filter=when & _LATE),
        f"unanswered{suffix}": Count(
            "pk", filter=when & _still_waiting() & Q(reply_due_at__lte=now)
        ),
        f"waiting{suffix}": Count("pk", filter=when & _still_waiting() & Q(reply_due_at__gt=now)),
        f"not_needed{suffix}": Count("pk", filter=when & _NOT_NEEDED),
        f"average{suffix}": Avg("response_seconds", filter=when & _ANSWERED),
    }


def _measure(row: dict[str, Any], suffix: str = "") -> Measure:
    return Measure(
        within=row.get(f"within{suffix}") or 0,
        late=row.get(f"late{suffix}") or 0,
        unanswered=row.get(f"unanswered{suffix}") or 0,
        waiting=row.get(f"waiting{suffix}") or 0,
        not_needed=row.get(f"not_needed{suffix}") or 0,
        average_seconds=row.get(f"average{suffix}"),
    )


def _window_aggregates(now: datetime) -> dict[str, Any]:
    aggregates: dict[str, Any] = {}
    for days in WINDOWS:
        aggregates.update(_counts(f"_{days}", now, Q(delivered_at__gte=now - timedelta(days=days))))
    return aggregates


def reference_report(
    businesses: list[SellerBusiness], now: datetime | None = None
) -> list[BusinessPerformance]:
    """Every measure of the page for the given businesses, in four queries."""
    now = utc(now or timezone.now())
    ids = [b.pk for b in businesses]
    since = now - timedelta(days=max(WINDOWS))
    by_business = {
        row["conversation__seller_id"]: row
        for row in _buyer_messages(ids, since, now)
        .values("conversation__seller_id")
        .annotate(**_window_aggregates(now))
        .order_by()
    }
    reports = {
        b.pk: BusinessPerformance(
            business=b,
            windows=[(d, _measure(by_business.get(b.pk, {}), f"_{d}")) for d in WINDOWS],
        )
        for b in businesses
    }
    _add_members(reports, ids, since, now)
    _add_days(reports, ids, now)
    return list(reports.values())


def _add_members(
    reports: dict[int, BusinessPerformance], ids: list[int], since: datetime, now: datetime
) -> None:
    answers = {
        (row["conversation__seller_id"], row["answered_by_message__sender_id"]): row
        for row in _buyer_messages(ids, since, now)
        .filter(_ANSWERED)
        .values("conversation__seller_id", "answered_by_message__sender_id")
        .annotate(**_window_aggregates(now))
        .order_by()
    }
    members = (
        User.objects.filter(memberships__business_id__in=ids)
        .annotate(business_id=F("memberships__business_id"))
        .order_by("display_name", "first_name", "last_name", "email")
    )
    listed: set[tuple[int, int | None]] = set()
    for member in members:
        key = (member.business_id, member.pk)
        listed.add(key)
        reports[key[0]].members.append(_member(member.public_name, answers.get(key, {})))
    for key, row in answers.items():
        if key not in listed:
            reports[key[0]].members.append(_member("Former team member", row))


def _member(name: str, row: dict[str, Any]) -> MemberPerformance:
    return MemberPerformance(name=name, windows=[(d, _measure(row, f"_{d}")) for d in WINDOWS])


def _add_days(reports: dict[int, BusinessPerformance], ids: list[int], now: datetime) -> None:
    days = chart_days(now)
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(days[0], datetime.min.time()), zone)
    rows = (
        _buyer_messages(ids, start, now)
        .annotate(day=TruncDate("delivered_at", tzinfo=zone))
        .values("conversation__seller_id", "day")
        .annotate(**_counts("", now, Q()))
        .order_by()
    )
    by_day = {(row["conversation__seller_id"], row["day"]): row for row in rows}
    for business_id, report in reports.items():
        report.days = [DayPoint(day, _measure(by_day.get((business_id, day), {}))) for day in days]
