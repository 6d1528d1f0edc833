"""Response-time measures for sellers (POLICY.md, Response time), with aggregate queries.

Over the last 7, 30 and 90 days, counting the buyer messages delivered in that time:
- answered within 24 hours: answered_at <= reply_due_at (an answer at 23:59 counts,
  one at 24:01 does not);
- answered late: answered after its due time;
- unanswered after 24 hours: still waiting and past its due time;
- the share within 24 hours is of the messages that can be judged (the three above);
  messages still inside their 24 hours, and those marked "no response needed", are left
  out and shown apart;
- the average response time is over the answered ones.
Per team member, the answers they sent. The daily series behind the chart groups the
buyer messages by the day (in the marketplace's time zone) they arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.clock.models import MemberResponseDay, ResponseDay
from messagecenter.clock.performance_live import clocks_not_yet_due, part_day_counts
from messagecenter.clock.rollup import marketplace_zone
from messagecenter.threads.reply_due import format_duration, utc

WINDOWS = (7, 30, 90)
CHART_DAYS = 90


@dataclass(frozen=True)
class Measure:
    within: int = 0
    late: int = 0
    unanswered: int = 0  # past its due time, no answer
    waiting: int = 0  # no answer yet, still inside its time
    not_needed: int = 0
    average_seconds: float | None = None

    @property
    def answered(self) -> int:
        return self.within + self.late

    @property
    def judged(self) -> int:
        return self.within + self.late + self.unanswered

    @property
    def share(self) -> float | None:
        """Per cent answered within the time, of the messages that can be judged."""
        return 100 * self.within / self.judged if self.judged else None

    @property
    def meets_target(self) -> bool | None:
        share = self.share
        return None if share is None else share >= settings.REPLY_TARGET_PERCENT

    @property
    def share_text(self) -> str:
        share = self.share
        return "—" if share is None else f"{share:.1f}%"

    @property
    def average_text(self) -> str:
        seconds = self.average_seconds
        return "—" if seconds is None else format_duration(timedelta(seconds=seconds))

    @property
    def answered_share(self) -> float | None:
        """A team member's share: of their answers, how many came within the time."""
        return 100 * self.within / self.answered if self.answered else None

    @property
    def answered_share_text(self) -> str:
        share = self.answered_share
        return "—" if share is None else f"{share:.1f}%"


@dataclass(frozen=True)
class MemberPerformance:
    name: str
    windows: list[tuple[int, Measure]]


@dataclass(frozen=True)
class DayPoint:
    day: date
    measure: Measure


@dataclass
class BusinessPerformance:
    business: SellerBusiness
    windows: list[tuple[int, Measure]]
    members: list[MemberPerformance] = field(default_factory=list)
    days: list[DayPoint] = field(default_factory=list)

    @property
    def team_tables(self) -> list[tuple[int, list[tuple[str, Measure, str]]]]:
        """Per period, each member's name, measure and the key of the row's figures on the
        page (data-metric, written once per row rather than once per cell): one table each."""
        return [
            (
                days,
                [
                    (
                        member.name,
                        dict(member.windows)[days],
                        f"{self.business.pk}-{days}-member-{n}",
                    )
                    for n, member in enumerate(self.members, 1)
                ],
            )
            for days in WINDOWS
        ]

    @property
    def day_rows(self) -> list[tuple[DayPoint, str, str]]:
        """The days with buyer messages judged or still waiting, each with its ISO date and
        the key of its figures on the page."""
        rows = []
        for point in self.days:
            if point.measure.judged or point.measure.waiting:
                key = point.day.isoformat()
                rows.append((point, key, f"{self.business.pk}-day-{key}"))
        return rows


def performance_report(
    businesses: list[SellerBusiness], now: datetime | None = None
) -> list[BusinessPerformance]:
    """Every measure of the page for the given businesses, from the daily rollup.

    Whole days come from the rollup rows (CHART_DAYS per business and per team member,
    one more across a daylight-saving change); the part-day at the start of each period
    and the split of still-open clocks into "waiting" and "unanswered" are read from the
    few messages concerned, so the figures are those of counting every message now.
    """
    now = utc(now or timezone.now())
    ids = [b.pk for b in businesses]
    days = chart_days(now)
    edges = {n: _edge(now, n) for n in WINDOWS}
    # The chart's 90 days, and one more when a daylight-saving change since the start of
    # the 90-day period makes it reach into a 91st local day.
    first, today = min(days[0], edges[max(WINDOWS)].day + timedelta(days=1)), days[-1]
    business_rows = list(
        ResponseDay.objects.filter(business_id__in=ids, day__gte=first, day__lte=today).values(
            "business_id", "day", "received", "within", "late", "not_needed", "answered_seconds"
        )
    )
    member_rows = list(
        MemberResponseDay.objects.filter(
            business_id__in=ids, day__gte=first, day__lte=today
        ).values("business_id", "member_id", "day", "within", "late", "answered_seconds")
    )
    waiting, edge_rows = _live_counts(ids, edges, now)

    reports: dict[int, BusinessPerformance] = {}
    for business in businesses:
        mine = [r for r in business_rows if r["business_id"] == business.pk]
        by_day = {r["day"]: _Tally.of_day(r, waiting.get((business.pk, r["day"]), 0)) for r in mine}
        edge = [t for (b, _), t in edge_rows.items() if b == business.pk]
        windows = []
        for n in WINDOWS:
            whole = _Tally.total(t for day, t in by_day.items() if day > edges[n].day)
            part = _Tally.total(by_period.get(n) for by_period in edge)
            windows.append((n, whole.plus(part).measure()))
        reports[business.pk] = BusinessPerformance(
            business=business,
            windows=windows,
            days=[DayPoint(day, by_day.get(day, _Tally()).measure()) for day in days],
        )
    _add_members(reports, ids, member_rows, edge_rows, edges)
    return list(reports.values())


@dataclass(frozen=True)
class _Edge:
    """A period's start and the whole days after it: its first, partial, day is `day`."""

    start: datetime
    day: date
    day_end: datetime


def _edge(now: datetime, days: int) -> _Edge:
    start = now - timedelta(days=days)
    day = timezone.localtime(start, marketplace_zone()).date()
    day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=marketplace_zone())
    return _Edge(start=start, day=day, day_end=min(day_end, now))


@dataclass(frozen=True)
class _Tally:
    """Counts that add up: a day's, a period's, a part-day's."""

    within: int = 0
    late: int = 0
    unanswered: int = 0
    waiting: int = 0
    not_needed: int = 0
    seconds: int = 0

    @classmethod
    def of_day(cls, row: Mapping[str, Any], waiting: int) -> _Tally:
        still_open = row["received"] - row["within"] - row["late"] - row["not_needed"]
        return cls(
            within=row["within"],
            late=row["late"],
            unanswered=still_open - waiting,
            waiting=waiting,
            not_needed=row["not_needed"],
            seconds=row["answered_seconds"],
        )

    @classmethod
    def total(cls, tallies: Iterable[_Tally | None]) -> _Tally:
        result = cls()
        for tally in tallies:
            result = result.plus(tally)
        return result

    def plus(self, other: _Tally | None) -> _Tally:
        if other is None:
            return self
        return _Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def measure(self) -> Measure:
        answered = self.within + self.late
        return Measure(
            within=self.within,
            late=self.late,
            unanswered=self.unanswered,
            waiting=self.waiting,
            not_needed=self.not_needed,
            average_seconds=self.seconds / answered if answered else None,
        )


def _live_counts(
    ids: list[int], edges: dict[int, _Edge], now: datetime
) -> tuple[dict[tuple[int, date], int], dict[tuple[int, int | None], dict[int, _Tally]]]:
    """What the rollup cannot say (performance_live): the clocks still running and not
    yet due, by business and day (the rest of a day's open clocks are unanswered after
    their time); and per business and answering member, each period's partial first day.
    """
    waiting = clocks_not_yet_due(ids, now)
    part_days = {n: (edge.start, edge.day_end) for n, edge in edges.items()}
    parts: dict[tuple[int, int | None], dict[int, _Tally]] = {}
    for count in part_day_counts(ids, part_days, now):
        by_period = parts.setdefault((count.business_id, count.answerer_id), {})
        by_period[count.period] = _Tally(
            within=count.within,
            late=count.late,
            unanswered=count.unanswered,
            waiting=count.waiting,
            not_needed=count.not_needed,
            seconds=count.seconds,
        ).plus(by_period.get(count.period))
    return waiting, parts


def _add_members(
    reports: dict[int, BusinessPerformance],
    ids: list[int],
    member_rows: Sequence[Mapping[str, Any]],
    edge_rows: dict[tuple[int, int | None], dict[int, _Tally]],
    edges: dict[int, _Edge],
) -> None:
    answers: dict[tuple[int, int | None], dict[int, _Tally]] = {}
    for (business_id, member_id), by_period in edge_rows.items():
        answered = {
            n: _Tally(within=t.within, late=t.late, seconds=t.seconds) for n, t in by_period.items()
        }
        answers[(business_id, member_id)] = answered
    for row in member_rows:
        day = _Tally(within=row["within"], late=row["late"], seconds=row["answered_seconds"])
        periods = answers.setdefault((row["business_id"], row["member_id"]), {})
        for n in WINDOWS:
            if row["day"] > edges[n].day:
                periods[n] = day.plus(periods.get(n))
    # Only those with an answer in the longest period are shown, as before.
    answers = {
        key: periods
        for key, periods in answers.items()
        if (t := periods.get(max(WINDOWS))) is not None and t.within + t.late
    }
    members = (
        User.objects.filter(memberships__business_id__in=ids)
        .annotate(business_id=F("memberships__business_id"))
        .order_by("display_name", "first_name", "last_name", "email")
    )
    listed: set[tuple[int, int | None]] = set()
    for member in members:
        listed.add((member.business_id, member.pk))
        periods = answers.get((member.business_id, member.pk), {})
        reports[member.business_id].members.append(_member(member.public_name, periods))
    for (business_id, member_id), periods in answers.items():
        if (business_id, member_id) not in listed:
            reports[business_id].members.append(_member("Former team member", periods))


def _member(name: str, periods: dict[int, _Tally]) -> MemberPerformance:
    return MemberPerformance(
        name=name, windows=[(n, periods.get(n, _Tally()).measure()) for n in WINDOWS]
    )


def chart_days(now: datetime) -> list[date]:
    """The last CHART_DAYS days in the marketplace's time zone, today last."""
    today = timezone.localtime(now, marketplace_zone()).date()
    return [today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
