"""The response-time charts, drawn by the server as SVG (no script, no CDN).

Two small charts over the last 90 days: the average response time per day as bars, with
the 24-hour limit as a dashed line; and the share answered within 24 hours per day as a
line of markers, with the target as a dashed line. Nothing relies on colour alone: bars
over the limit are hatched, days below target are drawn as crosses rather than dots, the
limit and target lines are labelled, and every bar and marker has a text title.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from messagecenter.clock.performance import DayPoint
from messagecenter.threads.reply_due import hours_text

WIDTH = 720
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 14, 40
X_TICK_EVERY = 15


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    over_limit: bool
    title: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    below_target: bool
    title: str

    @property
    def cross_path(self) -> str:
        return f"M{self.x - 3:.1f} {self.y - 3:.1f}l6 6m0 -6l-6 6"


@dataclass(frozen=True)
class Chart:
    chart_id: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    guide_y: float
    guide_label: str
    bars: list[Bar]
    markers: list[Marker]
    line_path: str
    summary: str

    @property
    def y_label_x(self) -> float:
        return self.left - 6

    @property
    def x_label_y(self) -> float:
        return self.bottom + 18

    @property
    def guide_label_y(self) -> float:
        return self.guide_y - 5

    @property
    def guide_label_x(self) -> float:
        return self.left + 6


def _short_day(day: date) -> str:
    """A day as the charts name it ("Mar 3"), in the active language. Each day is named
    up to three times per chart (a tick, a bar, a marker), and Django's date formatting
    cost more than the rest of drawing it."""
    return _day_in_language(day, translation.get_language())


@lru_cache(maxsize=1024)
def _day_in_language(day: date, language: str | None) -> str:
    # date_format reads the active language; it is part of the key for that reason.
    # Translators: how the charts name a day, in Django's date format letters: M the month
    # ("Mar"), j the day of the month ("3").
    return date_format(day, pgettext("chart day format", "M j"))


def _frame() -> tuple[float, float, float, float]:
    return LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM


def _slot(index: int, count: int) -> tuple[float, float]:
    left, right, _, _ = _frame()
    width = (right - left) / count
    return left + index * width, width


def _x_ticks(points: list[DayPoint]) -> list[Tick]:
    ticks = []
    for index, point in enumerate(points):
        if index % X_TICK_EVERY == 0 or index == len(points) - 1:
            x, width = _slot(index, len(points))
            ticks.append(Tick(round(x + width / 2, 1), _short_day(point.day)))
    return ticks


def _scale(value: float, top_value: float) -> float:
    _, _, top, bottom = _frame()
    return round(bottom - (bottom - top) * min(value, top_value) / top_value, 1)


def response_time_chart(points: list[DayPoint], chart_id: str) -> Chart:
    """Bars: the average time to answer the buyer messages that arrived each day."""
    limit = settings.REPLY_WITHIN_HOURS
    hours = [
        p.measure.average_seconds / 3600 if p.measure.average_seconds is not None else None
        for p in points
    ]
    highest = max([h for h in hours if h is not None], default=0.0)
    needed = max(limit + 6, math.ceil(highest))
    step = 6
    while needed / step > 6:
        step *= 2
    top_value = math.ceil(needed / step) * step
    _, _, _, bottom = _frame()
    bars = []
    for index, (point, value) in enumerate(zip(points, hours, strict=True)):
        if value is None:
            continue
        x, width = _slot(index, len(points))
        y = _scale(value, top_value)
        bars.append(
            Bar(
                x=round(x + width * 0.15, 1),
                y=y,
                width=round(width * 0.7, 1),
                height=round(bottom - y, 1),
                over_limit=value > limit,
                # Translators: a bar's title: a day, the average time to answer that day's
                # buyer messages, and how many were answered.
                title=ngettext(
                    "%(day)s: average %(average)s over %(count)d answered",
                    "%(day)s: average %(average)s over %(count)d answered",
                    point.measure.answered,
                )
                % {
                    "day": _short_day(point.day),
                    "average": point.measure.average_text,
                    "count": point.measure.answered,
                },
            )
        )
    answered_days = len(bars)
    over = sum(bar.over_limit for bar in bars)
    return Chart(
        chart_id=chart_id,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        x_ticks=_x_ticks(points),
        y_ticks=[Tick(_scale(v, top_value), hours_text(v)) for v in range(0, top_value + 1, step)],
        guide_y=_scale(limit, top_value),
        # Translators: the label of the chart's line at the time allowed to answer ("24 h").
        guide_label=gettext("%(hours)s limit") % {"hours": hours_text(limit)},
        bars=bars,
        markers=[],
        line_path="",
        summary=_response_summary(answered_days, len(points), over, limit),
    )


def share_chart(points: list[DayPoint], chart_id: str) -> Chart:
    """Markers: the share of each day's buyer messages answered within the time."""
    target = settings.REPLY_TARGET_PERCENT
    markers = []
    path: list[str] = []
    previous_index = None
    for index, point in enumerate(points):
        share = point.measure.share
        if share is None:
            continue
        x, width = _slot(index, len(points))
        cx, cy = round(x + width / 2, 1), _scale(share, 100)
        below = share < target
        markers.append(
            Marker(
                cx,
                cy,
                below,
                _marker_title(point, below),
            )
        )
        path.append(f"{'L' if previous_index == index - 1 else 'M'}{cx} {cy}")
        previous_index = index
    below_days = sum(m.below_target for m in markers)
    return Chart(
        chart_id=chart_id,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        x_ticks=_x_ticks(points),
        y_ticks=[Tick(_scale(v, 100), _whole_percent(v)) for v in range(0, 101, 25)],
        guide_y=_scale(target, 100),
        # Translators: the label of the chart's line at the target share ("95%").
        guide_label=gettext("Target %(percent)s") % {"percent": _whole_percent(target)},
        bars=[],
        markers=markers,
        line_path=" ".join(path),
        summary=_share_summary(len(markers), len(points), below_days, target),
    )


def _whole_percent(value: int) -> str:
    # Translators: a whole share in per cent on a chart's scale ("25%"); write the sign as
    # your language does ("25 %").
    return pgettext("percent", "%(number)s%%") % {"number": value}


def _marker_title(point: DayPoint, below: bool) -> str:
    figures = {
        "day": _short_day(point.day),
        "share": point.measure.share_text,
        "hours": hours_text(settings.REPLY_WITHIN_HOURS),
        "within": point.measure.within,
        "judged": point.measure.judged,
    }
    if below:
        # Translators: a marker's title: a day, the share answered in time, the time allowed
        # ("24 h"), how many in time of how many, and that it is below the target.
        return (
            gettext("%(day)s: %(share)s within %(hours)s (%(within)d of %(judged)d), below target")
            % figures
        )
    # Translators: a marker's title: a day, the share answered in time, the time allowed
    # ("24 h"), how many in time of how many.
    return gettext("%(day)s: %(share)s within %(hours)s (%(within)d of %(judged)d)") % figures


def _response_summary(answered_days: int, days: int, over: int, limit: int) -> str:
    # Translators: the response-time chart told in words, for screen readers.
    return ngettext(
        "%(answered)d of %(days)d day had answers; on %(over)d of them the average was over "
        "%(limit)d hours.",
        "%(answered)d of %(days)d days had answers; on %(over)d of them the average was over "
        "%(limit)d hours.",
        days,
    ) % {"answered": answered_days, "days": days, "over": over, "limit": limit}


def _share_summary(judged_days: int, days: int, below: int, target: int) -> str:
    # Translators: the chart of shares answered in time told in words, for screen readers;
    # the target is a share already written ("90%").
    return ngettext(
        "%(judged)d of %(days)d day can be judged; %(below)d of them were below the "
        "%(target)s target.",
        "%(judged)d of %(days)d days can be judged; %(below)d of them were below the "
        "%(target)s target.",
        days,
    ) % {"judged": judged_days, "days": days, "below": below, "target": _whole_percent(target)}
