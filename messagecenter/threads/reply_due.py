"""How a reply clock reads to people: "due in 5 h", "overdue by 2 h", "3 h 20 min".

Pure functions of a due time and the present moment, so pages, emails and the API say the
same thing. Durations are absolute; only the times shown are in the local time zone. The
words are in the active language (a page's, or the recipient's for an email), read when
called: each unit is a plural of its own, so "1 Tag" and "2 Tage" both come out right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, ngettext, pgettext

# The "Due within 4 hours" inbox filter and the digest's "due soon" count.
DUE_SOON = timedelta(hours=4)


def reply_window() -> timedelta:
    """How long a seller has to answer a buyer message (POLICY.md: 24 hours)."""
    return timedelta(hours=settings.REPLY_WITHIN_HOURS)


def utc(moment: datetime) -> datetime:
    """The same instant in UTC. Python adds to and subtracts local times by the wall clock,
    which a daylight-saving change would throw off by an hour; in UTC it cannot."""
    return moment.astimezone(UTC)


def reply_due_after(delivered_at: datetime) -> datetime:
    """When the answer to a message delivered at this moment is due."""
    return utc(delivered_at) + reply_window()


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two instants, whatever their time zones."""
    return utc(end) - utc(start)


def _days(count: int) -> str:
    # Translators: a number of days in a short duration ("2 d 3 h"); keep it short.
    return ngettext("%(count)d d", "%(count)d d", count) % {"count": count}


def hours_text(count: int) -> str:
    # Translators: a number of hours in a short duration ("due in 5 h", "5 h 12 min").
    return ngettext("%(count)d h", "%(count)d h", count) % {"count": count}


def _minutes(count: int) -> str:
    # Translators: a number of minutes in a short duration ("due in 40 min", "5 h 12 min").
    return ngettext("%(count)d min", "%(count)d min", count) % {"count": count}


def format_duration(duration: timedelta) -> str:
    """A duration as people say it, to the minute: "2 d 3 h", "5 h 12 min", "40 min",
    in the active language."""
    minutes = max(0, int(duration.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        if not hours:
            return _days(days)
        # Translators: a duration of days and hours, each already written ("2 d", "3 h").
        return pgettext("duration", "%(days)s %(hours)s") % {
            "days": _days(days),
            "hours": hours_text(hours),
        }
    if hours:
        if not minutes:
            return hours_text(hours)
        # Translators: a duration of hours and minutes, each already written ("5 h", "12 min").
        return pgettext("duration", "%(hours)s %(minutes)s") % {
            "hours": hours_text(hours),
            "minutes": _minutes(minutes),
        }
    return _minutes(minutes)


def _coarse(duration: timedelta) -> str:
    """Whole hours from an hour up (rounded down), minutes below: for short badges."""
    seconds = max(0, int(duration.total_seconds()))
    if seconds >= 3600:
        return hours_text(seconds // 3600)
    return _minutes(max(1, seconds // 60))


@dataclass(frozen=True)
class DueState:
    due_at: datetime
    now: datetime

    @property
    def left(self) -> timedelta:
        """Time left until the answer is due; negative once it is overdue."""
        return elapsed(self.now, self.due_at)

    @property
    def overdue(self) -> bool:
        return self.now >= self.due_at

    @property
    def due_soon(self) -> bool:
        return not self.overdue and self.left <= DUE_SOON

    @property
    def level(self) -> str:
        """overdue, soon or later: for styling, always next to the words that say it."""
        return "overdue" if self.overdue else "soon" if self.due_soon else "later"

    @property
    def coarse_time(self) -> str:
        """The badge's time alone ("5 h", "40 min"): until due, or since it was due."""
        return _coarse(-self.left if self.overdue else self.left)

    @property
    def badge(self) -> str:
        """The inbox row's chip, in the active language."""
        if self.overdue:
            # Translators: the chip on a conversation whose answer is late ("overdue by 2 h").
            return gettext("overdue by %(time)s") % {"time": self.coarse_time}
        # Translators: the chip on a conversation waiting for an answer ("due in 5 h").
        return gettext("due in %(time)s") % {"time": self.coarse_time}

    @property
    def in_words(self) -> str:
        """The conversation page's and the reminder's wording, to the minute."""
        if self.overdue:
            # Translators: the answer to the buyer is late by this long ("Overdue by 2 h 5 min").
            return gettext("Overdue by %(time)s") % {"time": format_duration(-self.left)}
        # Translators: time left to answer the buyer ("3 h 20 min left").
        return gettext("%(time)s left") % {"time": format_duration(self.left)}


def due_state(due_at: datetime | None, now: datetime) -> DueState | None:
    return DueState(due_at, now) if due_at is not None else None


@dataclass(frozen=True)
class ClockPanel:
    """What the seller's conversation page shows about the reply clock."""

    state: DueState | None
    # Buyer messages still waiting, oldest first; the first one sets the due time.
    waiting: list[Any]
    # The waiting messages that may still be marked "no response needed" (not yet due).
    can_mark: list[Any]
    last_answered: Any | None
    last_not_needed: Any | None
    reply_within_hours: int


def clock_panel(due_at: datetime | None, messages: list[Any], now: datetime) -> ClockPanel:
    """The panel from the conversation's due time and the messages the page already has."""
    waiting = [m for m in messages if m.clock_running]
    answered = [m for m in messages if m.answered_at is not None]
    not_needed = [m for m in messages if m.no_response_needed_at is not None]
    return ClockPanel(
        state=due_state(due_at, now),
        waiting=waiting,
        can_mark=[m for m in waiting if now < m.reply_due_at],
        last_answered=answered[-1] if answered else None,
        last_not_needed=not_needed[-1] if not_needed else None,
        reply_within_hours=settings.REPLY_WITHIN_HOURS,
    )
