"""The performance page reads a daily rollup: it must say what counting every message says.

A varied marketplace is built through the real send path (answers in time and late, never
answered, "no response needed", two questions answered at once, an automatic reply,
messages on the edges of the 7/30/90-day periods and on both sides of local midnight,
across a daylight-saving change, answers by a member who left and by one whose account is
gone). The report from the rollup is compared with the old aggregates over the messages
(tests/clock/reference_performance.py) at several moments, in three time zones.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from messagecenter.accounts.models import Membership, SellerBusiness
from messagecenter.clock.models import MemberResponseDay, ResponseDay
from messagecenter.clock.performance import BusinessPerformance, Measure, performance_report
from messagecenter.clock.reminders import reply_clock_sweep
from messagecenter.clock.reply_clock import mark_no_response_needed, reply_clock_rebuild
from messagecenter.clock.rollup import _rebuild_one_by_one, rollup_rebuild
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.delivery import message_deliver
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from tests import factories
from tests.clock.reference_performance import reference_report

# Just after midnight on Monday 10 March 2025 in New York, the day after clocks went
# forward there; the 7-day period starts on the evening of 2 March, local time.
NOW = datetime(2025, 3, 10, 4, 30, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def _comparable(measure: Measure) -> tuple:
    average = None if measure.average_seconds is None else round(measure.average_seconds, 6)
    return (
        measure.within,
        measure.late,
        measure.unanswered,
        measure.waiting,
        measure.not_needed,
        average,
    )


def _report(businesses: list[SellerBusiness], now: datetime) -> list[BusinessPerformance]:
    return performance_report([business.pk for business in businesses], now)


def _figures(reports: list[BusinessPerformance]) -> dict:
    """Everything the page shows, in a form two reports can be compared in."""
    return {
        report.business.name: {
            "windows": [(n, _comparable(m)) for n, m in report.windows],
            "members": sorted(
                (member.name, [(n, _comparable(m)) for n, m in member.windows])
                for member in report.members
            ),
            "days": [(p.day, _comparable(p.measure)) for p in report.days],
        }
        for report in reports
    }


class Market:
    """Writes conversations through the send path at chosen moments."""

    def __init__(self, clock, business) -> None:
        self.clock, self.business = clock, business
        self.buyer = factories.user(f"buyer-{business.pk}@example.com", "Buyer")

    def ask(self, at: datetime) -> Conversation:
        self.clock.set(at)
        order = factories.order(buyer=self.buyer, seller=self.business)
        factories.buyer_message(order, "Where is my parcel?")
        return Conversation.objects.get(order=order)

    def ask_again(self, conversation: Conversation, at: datetime) -> None:
        self.clock.set(at)
        factories.buyer_message(conversation.order, "And another thing")

    def answer(self, conversation: Conversation, by, at: datetime) -> None:
        if at > NOW:
            return  # not yet: the clock still runs at NOW
        self.clock.set(at)
        factories.reply(conversation, by, Side.SELLER, "Here is the answer.")

    def automatic_reply(self, conversation: Conversation, by, at: datetime) -> None:
        self.clock.set(at)
        out_of_office = Message.objects.create(
            conversation=conversation,
            sender=by,
            sender_side=Side.SELLER,
            message_type="reply",
            body_text="Out of office",
            body_html="<p>Out of office</p>",
            status=Message.Status.HELD,
            is_automatic=True,
        )
        message_deliver(out_of_office)


@pytest.fixture
def market(clock, northwind, cascade, sam, avery, maria, settings, request):
    """Build the marketplace in the time zone the test asks for."""
    settings.TIME_ZONE = getattr(request, "param", "America/New_York")
    zone = ZoneInfo(settings.TIME_ZONE)
    leaver = factories.member(northwind, "lee@northwind.example", "Lee Former")
    gone = factories.member(northwind, "kim@northwind.example", "Kim Gone")
    n = Market(clock, northwind)
    rng = random.Random(13)

    def local_midnight(days_ago: int) -> datetime:
        day = (NOW.astimezone(zone) - days_ago * D).date()
        return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

    moments = [
        # the edges of the periods, a second either side
        NOW - 7 * D,
        NOW - 7 * D - timedelta(seconds=1),
        NOW - 30 * D,
        NOW - 30 * D + timedelta(seconds=1),
        NOW - 90 * D,
        NOW - 90 * D - timedelta(minutes=1),
        # both sides of local midnights, today's included
        local_midnight(0) - timedelta(minutes=1),
        local_midnight(0) + timedelta(minutes=1),
        local_midnight(1) - timedelta(minutes=1),
        local_midnight(7) + timedelta(minutes=1),
        local_midnight(29) - timedelta(minutes=1),
        local_midnight(89),
        # inside the last 24 hours: still waiting at NOW
        NOW - 2 * H,
        NOW - 20 * H,
    ]
    moments += [NOW - timedelta(minutes=rng.randrange(0, 95 * 24 * 60)) for _ in range(14)]
    people = [sam, avery, leaver, gone]
    for i, asked in enumerate(moments):
        conversation = n.ask(asked)
        outcome = i % 6
        by = people[i % len(people)]
        if outcome == 0:
            n.answer(conversation, by, asked + timedelta(minutes=rng.randrange(5, 24 * 60)))
        elif outcome == 1:
            n.answer(conversation, by, asked + timedelta(minutes=rng.randrange(24 * 60 + 1, 4000)))
        elif outcome == 2 and asked + H < NOW:
            clock.set(asked + H)
            mark_no_response_needed(message=conversation.messages.get(), by=sam)
        elif outcome == 3:
            n.ask_again(conversation, asked + 30 * timedelta(minutes=1))
            n.answer(conversation, by, asked + 3 * H)
        elif outcome == 4:
            n.automatic_reply(conversation, by, asked + H)
        # outcome 5: never answered
    elsewhere = Market(clock, cascade)
    far = elsewhere.ask(NOW - 3 * D)
    elsewhere.answer(far, maria, NOW - 3 * D + 30 * H)
    clock.set(NOW)
    Membership.objects.filter(user=leaver).delete()
    gone.delete()
    return [northwind, cascade]


MOMENTS = [timedelta(0), 5 * H, 20 * H, 3 * D + 7 * H]


@pytest.mark.parametrize("market", ["America/New_York", "UTC", "Asia/Kolkata"], indirect=True)
def test_the_rollup_gives_the_figures_of_counting_every_message(market, clock):
    for later in MOMENTS:
        clock.set(NOW + later)
        assert _figures(_report(market, NOW + later)) == _figures(
            reference_report(market, NOW + later)
        ), f"at NOW + {later}"


def test_marking_late_in_a_sweep_changes_nothing_the_page_shows(market, clock):
    clock.set(NOW + D)
    reply_clock_sweep(NOW + D)
    assert Message.objects.filter(late_at__isnull=False).exists()
    assert _figures(_report(market, NOW + D)) == _figures(reference_report(market, NOW + D))


def test_the_page_shows_the_reference_figures(client, market, sam, northwind):
    client.force_login(sam)
    page = client.get(reverse("seller_performance")).content.decode()
    reference = reference_report([northwind], NOW)[0]
    seven = dict(reference.windows)[7]
    assert f'data-metric="{northwind.pk}-7-within">{seven.within}<' in page
    assert f'data-metric="{northwind.pk}-7-late">{seven.late}<' in page
    assert f'data-metric="{northwind.pk}-7-share">{seven.share_text}<' in page
    assert "Former team member" in page


def test_a_rebuilt_conversation_moves_its_counts(market, clock, northwind):
    """The demo data backdates messages and rebuilds the clocks: the rollup follows."""
    conversation = Conversation.objects.filter(seller=northwind).order_by("pk")[3]
    for message in conversation.messages.all():
        Message.objects.filter(pk=message.pk).update(delivered_at=message.delivered_at - 2 * D)
    reply_clock_rebuild(conversation, NOW)
    assert _figures(_report(market, NOW)) == _figures(reference_report(market, NOW))


@pytest.mark.parametrize("rebuild", ["sql", "one by one"])
def test_the_backfill_counts_what_the_messages_say(market, rebuild):
    kept = _rows()
    ResponseDay.objects.all().delete()
    MemberResponseDay.objects.all().delete()
    assert _figures(_report(market, NOW)) != _figures(reference_report(market, NOW))

    if rebuild == "sql":
        with connection.cursor() as cursor:
            rollup_rebuild(cursor)
    else:
        _rebuild_one_by_one(chunk=5)

    assert _rows() == kept
    assert _figures(_report(market, NOW)) == _figures(reference_report(market, NOW))


def _rows() -> tuple[set, dict]:
    business = set(
        ResponseDay.objects.values_list(
            "business_id", "day", "received", "within", "late", "not_needed", "answered_seconds"
        )
    )
    members: dict = {}
    for b, m, day, within, late, seconds in MemberResponseDay.objects.values_list(
        "business_id", "member_id", "day", "within", "late", "answered_seconds"
    ):
        total = members.get((b, m, day), (0, 0, 0))
        members[(b, m, day)] = (total[0] + within, total[1] + late, total[2] + seconds)
    return business, {key: value for key, value in members.items() if any(value)}


def test_repair_rollup_finds_and_mends_a_wrong_row(market, capsys):
    call_command("repair_rollup", "--check")
    assert "The rollup matches the messages." in capsys.readouterr().out

    row = ResponseDay.objects.order_by("day").last()
    ResponseDay.objects.filter(pk=row.pk).update(within=row.within + 1)
    with pytest.raises(CommandError, match="1 rollup rows differ"):
        call_command("repair_rollup", "--check")
    assert f"differs: business {row.business_id} on {row.day}" in capsys.readouterr().out
    assert ResponseDay.objects.get(pk=row.pk).within == row.within + 1  # --check writes nothing

    call_command("repair_rollup")
    call_command("repair_rollup", "--check")
    assert _figures(_report(market, NOW)) == _figures(reference_report(market, NOW))


def test_a_reply_counts_in_its_days_rows_and_a_rolled_back_one_does_not(clock, northwind, sam):
    n = Market(clock, northwind)
    asked = NOW - 5 * D
    conversation = n.ask(asked)
    day = asked.date()  # UTC, the settings' time zone in tests
    assert ResponseDay.objects.filter(business=northwind, day=day, received=1, within=0).exists()

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        n.answer(conversation, sam, asked + 2 * H)
        raise Abandoned
    assert ResponseDay.objects.get(business=northwind, day=day).within == 0
    assert not MemberResponseDay.objects.exists()

    n.answer(conversation, sam, asked + 2 * H)
    row = ResponseDay.objects.get(business=northwind, day=day)
    assert (row.received, row.within, row.late, row.answered_seconds) == (1, 1, 0, 7200)
    member = MemberResponseDay.objects.get(business=northwind, member=sam, day=day)
    assert (member.within, member.late, member.answered_seconds) == (1, 0, 7200)


def test_a_mark_of_no_response_needed_counts_once(clock, northwind, sam):
    n = Market(clock, northwind)
    conversation = n.ask(NOW - 2 * H)
    mark_no_response_needed(message=conversation.messages.get(), by=sam, now=NOW - H)
    with pytest.raises(UserFacingError, match="already marked"):
        mark_no_response_needed(message=conversation.messages.get(), by=sam, now=NOW - H)
    row = ResponseDay.objects.get(business=northwind)
    assert (row.received, row.not_needed, row.within) == (1, 1, 0)
