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

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext

from messagecenter.accounts.models import SellerBusiness
from messagecenter.clock.performance_live import PartDayCount
from messagecenter.clock.performance_reads import PerformanceRows, Span, performance_rows
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
        return percent_text(self.share)

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
        return percent_text(self.answered_share)


def percent_text(share: float | None) -> str:
    """ "97.5%" in the active language's way ("97,5 %"); a dash when nothing is judged."""
    if share is None:
        return "—"
    # Translators: a share in per cent, its number already written ("97.5"); write the sign
    # as your language does ("97,5 %").
    return pgettext("percent", "%(number)s%%") % {"number": number_format(round(share, 1), 1)}


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
    business_ids: list[int], now: datetime | None = None
) -> list[BusinessPerformance]:
    """Every measure of the page for the given businesses, in their order, from the daily
    rollup (their names read with it).

    Whole days come from the rollup rows (CHART_DAYS per business, one more across a
    daylight-saving change; per team member summed per period); the part-day at the
    start of each period and the split of still-open clocks into "waiting" and
    "unanswered" are read from the few messages concerned, so the figures are those of
    counting every message now. One round trip on PostgreSQL (performance_reads.py).
    """
    if not business_ids:
        return []
    now = utc(now or timezone.now())
    ids = list(business_ids)
    days = chart_days(now)
    edges = {n: _edge(now, n) for n in WINDOWS}
    # The chart's 90 days, and one more when a daylight-saving change since the start of
    # the 90-day period makes it reach into a 91st local day.
    span = Span(
        first=min(days[0], edges[max(WINDOWS)].day + timedelta(days=1)),
        today=days[-1],
        after={n: edge.day for n, edge in edges.items()},
        part_days={n: (edge.start, edge.day_end) for n, edge in edges.items()},
    )
    rows = performance_rows(ids, span, now)
    edge_rows = _part_days(rows.part_days)
    # What the page shows of a business: its id and name, read in the same round trip.
    businesses = [SellerBusiness(pk=pk, name=rows.names[pk]) for pk in ids if pk in rows.names]

    reports: dict[int, BusinessPerformance] = {}
    by_business: dict[int, list[tuple[Any, ...]]] = {pk: [] for pk in ids}
    for row in rows.business_days:
        by_business[row[0]].append(row)
    for business in businesses:
        by_day = {
            row[1]: _Tally.of_day(row, rows.waiting.get((business.pk, row[1]), 0))
            for row in by_business[business.pk]
        }
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
    _add_members(reports, rows, edge_rows)
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
    def of_day(cls, row: tuple[Any, ...], waiting: int) -> _Tally:
        """A business's rollup row (PerformanceRows.business_days), its open clocks split."""
        _, _, received, within, late, not_needed, seconds = row
        still_open = received - within - late - not_needed
        return cls(
            within=within,
            late=late,
            unanswered=still_open - waiting,
            waiting=waiting,
            not_needed=not_needed,
            seconds=seconds,
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
        # Field by field, written out: a few thousand of these make the page, and a loop
        # over dataclasses.fields() cost more than all of the page's reads.
        return _Tally(
            within=self.within + other.within,
            late=self.late + other.late,
            unanswered=self.unanswered + other.unanswered,
            waiting=self.waiting + other.waiting,
            not_needed=self.not_needed + other.not_needed,
            seconds=self.seconds + other.seconds,
        )

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


def _part_days(counts: list[PartDayCount]) -> dict[tuple[int, int | None], dict[int, _Tally]]:
    """Per business and answering member, each period's partial first day."""
    parts: dict[tuple[int, int | None], dict[int, _Tally]] = {}
    for count in counts:
        by_period = parts.setdefault((count.business_id, count.answerer_id), {})
        by_period[count.period] = _Tally(
            within=count.within,
            late=count.late,
            unanswered=count.unanswered,
            waiting=count.waiting,
            not_needed=count.not_needed,
            seconds=count.seconds,
        ).plus(by_period.get(count.period))
    return parts


def _add_members(
    reports: dict[int, BusinessPerformance],
    rows: PerformanceRows,
    edge_rows: dict[tuple[int, int | None], dict[int, _Tally]],
) -> None:
    answers: dict[tuple[int, int | None], dict[int, _Tally]] = {}
    for (business_id, member_id), by_period in edge_rows.items():
        answered = {
            n: _Tally(within=t.within, late=t.late, seconds=t.seconds) for n, t in by_period.items()
        }
        answers[(business_id, member_id)] = answered
    for business_id, member_id, *sums in rows.member_periods:
        periods = answers.setdefault((business_id, member_id), {})
        for index, n in enumerate(WINDOWS):
            within, late, seconds = sums[3 * index : 3 * index + 3]
            periods[n] = _Tally(within=within, late=late, seconds=seconds).plus(periods.get(n))
    # Only those with an answer in the longest period are shown, as before.
    answers = {
        key: periods
        for key, periods in answers.items()
        if (t := periods.get(max(WINDOWS))) is not None and t.within + t.late
    }
    listed: set[tuple[int, int | None]] = set()
    for business_id, member_id, name in rows.members:
        listed.add((business_id, member_id))
        periods = answers.get((business_id, member_id), {})
        reports[business_id].members.append(_member(name, periods))
    for (business_id, member_id), periods in answers.items():
        if (business_id, member_id) not in listed:
            # Translators: on the performance page, stands for the name of someone who has
            # left the seller's team but whose answers still count.
            former = gettext("Former team member")
            reports[business_id].members.append(_member(former, periods))


def _member(name: str, periods: dict[int, _Tally]) -> MemberPerformance:
    return MemberPerformance(
        name=name, windows=[(n, periods.get(n, _Tally()).measure()) for n in WINDOWS]
    )


def chart_days(now: datetime) -> list[date]:
    """The last CHART_DAYS days in the marketplace's time zone, today last."""
    today = timezone.localtime(now, marketplace_zone()).date()
    return [today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
