"""The reply clock in words, in each language: "due in 5 h", "overdue by 2 h", "3 h 20 min
left", each unit with its own plural ("1 ora", "2 ore"). The inbox badge, the conversation
page's wording and the performance page's averages all come from here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from messagecenter.accounts.models import User
from messagecenter.threads.reply_due import DueState, format_duration
from tests import factories

NOW = datetime(2025, 3, 7, 15, 0, tzinfo=UTC)


def _state(**left: float) -> DueState:
    return DueState(due_at=NOW + timedelta(**left), now=NOW)


# (language, due in 1 h, due in 2 h, due in 40 min, overdue by 2 h)
BADGES = [
    ("en", "due in 1 h", "due in 2 h", "due in 40 min", "overdue by 2 h"),
    ("de", "fällig in 1 Std.", "fällig in 2 Std.", "fällig in 40 Min.", "überfällig seit 2 Std."),
    ("fr", "échéance dans 1 h", "échéance dans 2 h", "échéance dans 40 min", "en retard de 2 h"),
    ("es", "vence en 1 h", "vence en 2 h", "vence en 40 min", "con 2 h de retraso"),
    ("it", "scade tra 1 ora", "scade tra 2 ore", "scade tra 40 min", "in ritardo di 2 ore"),
]


@pytest.mark.parametrize(("language", "one", "two", "minutes", "overdue"), BADGES)
def test_the_badge_in_each_language(language, one, two, minutes, overdue):
    with translation.override(language):
        # Whole hours, rounded down, from an hour up.
        assert _state(hours=1, minutes=59).badge == one
        assert _state(hours=2, minutes=5).badge == two
        assert _state(minutes=40).badge == minutes
        assert _state(hours=-2, minutes=-30).badge == overdue


# (language, 3 h 20 min left, overdue by 1 h 1 min, 1 day, 2 days 3 hours, 1 minute)
IN_WORDS = [
    ("en", "3 h 20 min left", "Overdue by 1 h 1 min", "1 d", "2 d 3 h", "1 min"),
    (
        "de",
        "Noch 3 Std. 20 Min.",
        "Überfällig seit 1 Std. 1 Min.",
        "1 Tg.",
        "2 Tg. 3 Std.",
        "1 Min.",
    ),
    ("fr", "Il reste 3 h 20 min", "En retard de 1 h 1 min", "1 j", "2 j 3 h", "1 min"),
    (
        "es",
        "Tiempo restante: 3 h 20 min",
        "Con 1 h 1 min de retraso",
        "1 día",
        "2 días y 3 h",
        "1 min",
    ),
    (
        "it",
        "Tempo rimasto: 3 ore e 20 min",
        "In ritardo di 1 ora e 1 min",
        "1 giorno",
        "2 giorni e 3 ore",
        "1 min",
    ),
]


@pytest.mark.parametrize(("language", "left", "late", "day", "days", "minute"), IN_WORDS)
def test_durations_in_words_in_each_language(language, left, late, day, days, minute):
    with translation.override(language):
        assert _state(hours=3, minutes=20).in_words == left
        assert _state(hours=-1, minutes=-1).in_words == late
        assert format_duration(timedelta(days=1)) == day
        assert format_duration(timedelta(days=2, hours=3, minutes=59)) == days
        assert format_duration(timedelta(seconds=60)) == minute


def test_the_words_follow_the_language_active_when_read():
    """Nothing is fixed at import or kept from an earlier call in another language."""
    state = _state(hours=5)
    with translation.override("de"):
        assert state.badge == "fällig in 5 Std."
    with translation.override("it"):
        assert state.badge == "scade tra 5 ore"
    assert state.badge == "due in 5 h"


def test_the_inbox_row_and_the_conversation_page_say_it_in_the_sellers_language(
    client, clock, sam, jordans_order
):
    asked = factories.buyer_message(jordans_order, "Is the duvet cover in stock in sage?")
    User.objects.filter(pk=sam.pk).update(language="de", time_zone="Europe/Berlin")
    clock.advance(hours=20, minutes=40)
    client.force_login(sam)

    inbox = client.get(reverse("seller_inbox")).content.decode()
    page = client.get(reverse("seller_conversation", args=[asked.conversation_id]))

    assert "fällig in 3 Std." in inbox and "due in" not in inbox
    assert "Noch 3 Std. 20 Min." in page.content.decode()
