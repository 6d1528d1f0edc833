"""The performance page, on a hand-checked set of conversations: every number it shows.

It is Friday 7 March 2025, 15:00 UTC. Over the last 90 days Northwind's buyers wrote:

  C1  5 Mar 15:00  Sam answered after 1 h                       within
  C2  4 Mar 15:00  Avery answered after 23 h 59 min             within
  C3  3 Mar 15:00  Avery answered after 24 h 1 min              late
  C4  2 Mar 15:00  only an automatic reply: unanswered          unanswered after 24 h
  C5  7 Mar 05:00  not answered yet, 14 h left                  still inside 24 h
  C6  1 Mar 15:00  "Thanks!", Sam marked no response needed     left out
  C7  6 Mar 03:00 and 04:00, one answer from Sam at 06:00       within twice (3 h, 2 h)
  C8 25 Feb 15:00  Sam answered after 30 h                      late
  C9 15 Feb 15:00  Avery answered after 2 h                     within
  C10 6 Jan 15:00  Sam answered after 5 h                       within
  C11 8 Dec 15:00  never answered                               unanswered after 24 h
  C12 27 Nov       Sam answered after 1 h: more than 90 days ago, not counted

and a Cascade buyer waited 30 h for Maria, which Northwind's page never shows.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.accounts.models import User
from messagecenter.clock.reply_clock import mark_no_response_needed
from messagecenter.messaging.delivery import message_deliver
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from tests import factories

NOW = datetime(2025, 3, 7, 15, 0, tzinfo=UTC)
_CELL = re.compile(r'data-metric="([^"]+)">(.*?)</t[dh]>', re.S)


def _cells(body: str, business_id: int) -> dict[str, str]:
    """Every figure the page shows for one business, by its data-metric name."""
    prefix = f"{business_id}-"
    return {
        key.removeprefix(prefix): " ".join(re.sub(r"<[^>]+>", "", value).split())
        for key, value in _CELL.findall(body)
        if key.startswith(prefix)
    }


class Story:
    def __init__(self, clock, seller) -> None:
        self.clock, self.seller, self.count = clock, seller, 0

    def ask(self, at: datetime, body: str = "A question") -> Conversation:
        self.clock.set(at)
        self.count += 1
        buyer = factories.user(f"buyer{self.count}@example.com", f"Buyer {self.count}")
        order = factories.order(buyer=buyer, seller=self.seller)
        factories.buyer_message(order, body)
        return Conversation.objects.get(order=order)

    def ask_again(self, conversation: Conversation, at: datetime) -> None:
        self.clock.set(at)
        factories.buyer_message(conversation.order, "And another thing")

    def answer(self, conversation: Conversation, by, at: datetime) -> None:
        self.clock.set(at)
        factories.reply(conversation, by, Side.SELLER, "Here is the answer.")


@pytest.fixture
def story(clock, northwind, cascade, sam, avery, maria) -> None:
    s = Story(clock, northwind)
    h = timedelta(hours=1)
    d = timedelta(days=1)
    c1 = s.ask(NOW - 2 * d)
    s.answer(c1, sam, NOW - 2 * d + h)
    c2 = s.ask(NOW - 3 * d)
    s.answer(c2, avery, NOW - 3 * d + timedelta(hours=23, minutes=59))
    c3 = s.ask(NOW - 4 * d)
    s.answer(c3, avery, NOW - 4 * d + timedelta(hours=24, minutes=1))
    c4 = s.ask(NOW - 5 * d)
    clock.set(NOW - 5 * d + h)
    out_of_office = Message.objects.create(
        conversation=c4,
        sender=sam,
        sender_side=Side.SELLER,
        message_type="reply",
        body_text="Out of office",
        body_html="<p>Out of office</p>",
        status=Message.Status.HELD,
        is_automatic=True,
    )
    message_deliver(out_of_office)
    s.ask(NOW - 10 * h)  # C5
    c6 = s.ask(NOW - 6 * d, "Thanks!")
    clock.set(NOW - 6 * d + h)
    mark_no_response_needed(message=c6.messages.get(), by=sam)
    c7 = s.ask(NOW - 36 * h)
    s.ask_again(c7, NOW - 35 * h)
    s.answer(c7, sam, NOW - 33 * h)
    c8 = s.ask(NOW - 10 * d)
    s.answer(c8, sam, NOW - 10 * d + 30 * h)
    c9 = s.ask(NOW - 20 * d)
    s.answer(c9, avery, NOW - 20 * d + 2 * h)
    c10 = s.ask(NOW - 60 * d)
    s.answer(c10, sam, NOW - 60 * d + 5 * h)
    s.ask(NOW - 89 * d)  # C11
    c12 = s.ask(NOW - 100 * d)
    s.answer(c12, sam, NOW - 100 * d + h)

    elsewhere = Story(clock, cascade)
    elsewhere.count = 100
    far = elsewhere.ask(NOW - 3 * d)
    elsewhere.answer(far, maria, NOW - 3 * d + 30 * h)
    clock.set(NOW)


SUMMARY = {
    # period: share, target, within, late, unanswered, average, still inside, not needed
    7: ("66.7%", "✗ Below target", "4", "1", "1", "10 h 48 min", "1", "1"),
    30: ("62.5%", "✗ Below target", "5", "2", "1", "12 h 17 min", "1", "1"),
    90: ("60.0%", "✗ Below target", "6", "2", "2", "11 h 22 min", "1", "1"),
}
SUMMARY_COLUMNS = (
    "share",
    "target",
    "within",
    "late",
    "unanswered",
    "average",
    "waiting",
    "not-needed",
)
TEAM = {
    # period: [(name, answered, within, late, share, average)]
    7: [
        ("Avery Lee", "2", "1", "1", "50.0%", "1 d"),
        ("Sam Carter", "3", "3", "0", "100.0%", "2 h"),
    ],
    30: [
        ("Avery Lee", "3", "2", "1", "66.7%", "16 h 40 min"),
        ("Sam Carter", "4", "3", "1", "75.0%", "9 h"),
    ],
    90: [
        ("Avery Lee", "3", "2", "1", "66.7%", "16 h 40 min"),
        ("Sam Carter", "5", "4", "1", "80.0%", "8 h 12 min"),
    ],
}
TEAM_COLUMNS = ("name", "answered", "within", "late", "share", "average")
DAYS = {
    # day the buyer wrote: share, within, late, unanswered, average
    "2024-12-08": ("0.0%", "0", "0", "1", "—"),
    "2025-01-06": ("100.0%", "1", "0", "0", "5 h"),
    "2025-02-15": ("100.0%", "1", "0", "0", "2 h"),
    "2025-02-25": ("0.0%", "0", "1", "0", "1 d 6 h"),
    "2025-03-02": ("0.0%", "0", "0", "1", "—"),
    "2025-03-03": ("0.0%", "0", "1", "0", "1 d"),
    "2025-03-04": ("100.0%", "1", "0", "0", "23 h 59 min"),
    "2025-03-05": ("100.0%", "1", "0", "0", "1 h"),
    "2025-03-06": ("100.0%", "2", "0", "0", "2 h 30 min"),
    "2025-03-07": ("—", "0", "0", "0", "—"),  # C5, still inside its 24 hours
}
DAY_COLUMNS = ("share", "within", "late", "unanswered", "average")


def _expected() -> dict[str, str]:
    expected = {}
    for days, values in SUMMARY.items():
        expected.update(
            {f"{days}-{col}": v for col, v in zip(SUMMARY_COLUMNS, values, strict=True)}
        )
    for days, rows in TEAM.items():
        for n, row in enumerate(rows, start=1):
            expected.update(
                {f"{days}-member-{n}-{col}": v for col, v in zip(TEAM_COLUMNS, row, strict=True)}
            )
    for day, values in DAYS.items():
        expected.update({f"day-{day}-{col}": v for col, v in zip(DAY_COLUMNS, values, strict=True)})
    return expected


def test_every_number_on_the_page(client, story, sam, northwind):
    client.force_login(sam)

    body = client.get(reverse("seller_performance")).content.decode()

    assert _cells(body, northwind.pk) == _expected()


def test_the_charts_say_the_same_in_words_shapes_and_patterns(client, story, sam):
    client.force_login(sam)

    body = client.get(reverse("seller_performance")).content.decode()

    assert "7 of 90 days had answers; on 2 of them the average was over 24 hours." in body
    assert "9 of 90 days can be judged; 4 of them were below the 90% target." in body
    assert body.count('class="chart__bar--over" fill="url(#response-time-') == 2
    assert body.count('<g class="chart__cross">') == 4
    assert body.count('class="chart__dot">') == 5
    assert ">24 h limit</text>" in body and ">Target 90%</text>" in body
    assert "<title>Mar 3: average 1 d over 1 answered</title>" in body
    assert "Mar 2: 0.0% within 24 h (0 of 1), below target" in body
    # No chart library from another host (a bare "cdn" can turn up inside the CSRF token).
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)


def test_each_seller_sees_only_its_own_business(client, story, maria, northwind, cascade):
    client.force_login(maria)

    body = client.get(reverse("seller_performance")).content.decode()

    assert "Northwind" not in body
    assert _cells(body, northwind.pk) == {}
    cells = _cells(body, cascade.pk)
    assert (cells["7-share"], cells["7-late"], cells["7-average"]) == ("0.0%", "1", "1 d 6 h")
    assert cells["7-member-1-name"] == "Maria Lopez"


def test_a_new_seller_sees_that_there_is_nothing_to_judge_yet(client, clock, sam):
    client.force_login(sam)
    body = client.get(reverse("seller_performance")).content.decode()
    assert "Nothing to judge yet" in body
    assert "No buyer messages in the last 90 days." in body


@pytest.mark.postgresql("one round trip for the measures; SQLite runs them one by one")
def test_the_page_costs_the_same_queries_with_more_messages(client, clock, sam, avery, northwind):
    client.force_login(sam)
    story = Story(clock, northwind)
    url = reverse("seller_performance")

    def add(count: int) -> None:
        for i in range(count):
            conversation = story.ask(NOW - timedelta(days=i % 80, hours=3))
            story.answer(conversation, avery if i % 2 else sam, NOW - timedelta(days=i % 80))
        clock.set(NOW)

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    add(3)
    few = measure()
    add(40)
    many = measure()

    # session, user, the nav's businesses with their unread counts (one query, before the
    # view, which then knows the user's businesses; restrictions are kept by the process),
    # then every measure in one round trip: the rollup's days per business and per member,
    # the clocks not yet due, the part-days at the periods' edges, the members and the
    # businesses' names (performance_reads.py)
    assert few == many == 4


SECTION_TEMPLATE = "includes/performance_business.html"


def _sections_rendered(response) -> int:
    return sum(1 for t in response.templates if t.name == SECTION_TEMPLATE)


def test_a_business_is_rendered_once_and_shown_changed_when_its_figures_change(
    client, clock, story, sam, avery, northwind
):
    # Another test may have kept this very section (the same figures, and on SQLite the
    # same ids): start from an empty cache.
    caches[settings.FRAGMENT_CACHE].clear()
    client.force_login(sam)
    url = reverse("seller_performance")

    first = client.get(url)
    again = client.get(url)

    assert _sections_rendered(first) == 1
    assert _sections_rendered(again) == 0
    assert _cells(again.content.decode(), northwind.pk) == _cells(
        first.content.decode(), northwind.pk
    )
    # C5, still inside its 24 hours, is answered now: the kept section is not shown.
    c5 = Conversation.objects.get(seller=northwind, buyer__email="buyer5@example.com")
    Story(clock, northwind).answer(c5, avery, NOW)

    changed = client.get(url)

    assert _sections_rendered(changed) == 1
    cells = _cells(changed.content.decode(), northwind.pk)
    assert (cells["7-within"], cells["7-waiting"]) == ("5", "0")
    assert cells["day-2025-03-07-share"] == "100.0%"


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "de",
            [
                "An 7 von 90 Tagen gab es Antworten; an 2 davon lag der Durchschnitt über 24 "
                "Stunden.",
                "9 von 90 Tagen lassen sich bewerten; 4 davon lagen unter dem Ziel von 90 %.",
                ">Frist 24 Std.</text>",
                ">Ziel 90 %</text>",
                "<title>3. Mär: durchschnittlich 1 Tg. bei 1 beantworteten Nachricht</title>",
                "2. Mär: 0,0 % innerhalb von 24 Std. (0 von 1), unter dem Ziel",
            ],
        ),
        (
            "fr",
            [
                "7 jours sur 90 ont eu des réponses ; pour 2 d’entre eux, la moyenne a dépassé "
                "24 heures.",
                "9 jours sur 90 peuvent être évalués ; 4 d’entre eux étaient sous l’objectif de "
                "90\u00a0%.",
                ">Limite de 24 h</text>",
                ">Objectif 90\u00a0%</text>",
                "<title>3 mar : 1 j en moyenne sur 1 message répondu</title>",
                "2 mar : 0,0\u00a0% en moins de 24 h (0 sur 1), sous l’objectif",
            ],
        ),
    ],
)
def test_the_charts_in_the_sellers_language(client, story, sam, language, phrases):
    User.objects.filter(pk=sam.pk).update(language=language)
    client.force_login(sam)

    body = html.unescape(client.get(reverse("seller_performance")).content.decode())

    for phrase in phrases:
        assert phrase in body
