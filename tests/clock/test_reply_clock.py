"""The 24-hour reply clock, with a clock the tests control.

Jordan writes to Northwind Home Goods; Sam (owner) and Avery (agent) answer. The clock
counts 24 real hours from delivery: weekends count, and a change to or from daylight
saving time neither shortens nor lengthens it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from messagecenter.clock.reply_clock import mark_no_response_needed, reply_clock_rebuild
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.delivery import message_deliver, message_release
from messagecenter.messaging.models import Message
from messagecenter.moderation.review import review_approve, review_reject
from messagecenter.threads.models import Conversation, Side
from tests import factories

DAY = timedelta(hours=24)


def _refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def _conversation(order) -> Conversation:
    return Conversation.objects.get(order=order)


def _held_seller_message(conversation, sender, *, automatic=False, message_type="reply"):
    """A seller message stored but not yet delivered (as a flagged one is)."""
    return Message.objects.create(
        conversation=conversation,
        sender=sender,
        sender_side=Side.SELLER,
        message_type=message_type,
        subject=f"Re: {conversation.subject}",
        body_text="I am out of the office until Monday.",
        body_html="<p>I am out of the office until Monday.</p>",
        status=Message.Status.HELD,
        is_automatic=automatic,
    )


# --- Starting and stopping ------------------------------------------------------------------


def test_a_buyer_message_starts_a_24_hour_clock(clock, jordans_order):
    message = factories.buyer_message(jordans_order)

    assert message.delivered_at == clock.now
    assert message.reply_due_at == clock.now + DAY
    assert message.clock_running
    conversation = _conversation(jordans_order)
    assert conversation.reply_due_at == clock.now + DAY
    assert conversation.awaiting_seller_reply


@pytest.mark.parametrize(
    ("after", "late"),
    [
        pytest.param(timedelta(hours=23, minutes=59), False, id="23h59-in-time"),
        pytest.param(DAY, False, id="24h00-in-time"),
        pytest.param(timedelta(hours=24, minutes=1), True, id="24h01-late"),
    ],
)
def test_a_reply_stops_the_clock_and_records_the_response_time(
    clock, sam, jordans_order, after, late
):
    asked = factories.buyer_message(jordans_order)
    due = asked.reply_due_at
    clock.advance(seconds=after.total_seconds())

    answer = factories.reply(_conversation(jordans_order), sam, Side.SELLER, "It ships today.")

    _refresh(asked)
    assert asked.answered_at == clock.now
    assert asked.answered_by_message == answer
    assert asked.response_seconds == int(after.total_seconds())
    assert (asked.late_at == due) if late else asked.late_at is None
    assert not asked.clock_running
    assert _conversation(jordans_order).reply_due_at is None


def test_weekends_count_like_any_other_day(clock, sam, jordans_order):
    assert clock.now.strftime("%A %H:%M") == "Friday 15:00"
    asked = factories.buyer_message(jordans_order)
    assert asked.reply_due_at.strftime("%A %H:%M") == "Saturday 15:00"

    clock.set(datetime(2025, 3, 10, 9, 0, tzinfo=UTC))  # Monday morning
    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Sorry for the wait.")

    _refresh(asked)
    assert asked.late_at == asked.reply_due_at
    assert asked.response_seconds == int(timedelta(days=2, hours=18).total_seconds())


@pytest.mark.parametrize(
    ("local_start", "local_due", "zone_name"),
    [
        # Clocks go forward on Sunday 9 March 2025 in New York: 24 hours later is 13:00.
        pytest.param("2025-03-08 12:00", "2025-03-09 13:00 EDT", "EST", id="spring-forward"),
        # Clocks go back on Sunday 2 November 2025: 24 hours later is 11:00.
        pytest.param("2025-11-01 12:00", "2025-11-02 11:00 EST", "EDT", id="fall-back"),
    ],
)
def test_daylight_saving_changes_neither_shorten_nor_lengthen_the_clock(
    clock, settings, client, sam, jordans_order, local_start, local_due, zone_name
):
    settings.TIME_ZONE = "America/New_York"
    new_york = ZoneInfo("America/New_York")
    start = datetime.strptime(local_start, "%Y-%m-%d %H:%M").replace(tzinfo=new_york)
    assert start.tzname() == zone_name
    clock.set(start)

    asked = factories.buyer_message(jordans_order)

    assert asked.reply_due_at - asked.delivered_at == DAY
    shown = timezone.localtime(asked.reply_due_at, new_york).strftime("%Y-%m-%d %H:%M %Z")
    assert shown == local_due
    # The page says it in the marketplace's time, with the zone's abbreviation.
    client.force_login(sam)
    clock.advance(hours=23)
    page = client.get(reverse("seller_conversation", args=[asked.conversation_id]))
    day_and_time = timezone.localtime(asked.reply_due_at, new_york).strftime("%b %-d, %H:%M")
    assert f"{day_and_time} {local_due[-3:]}" in page.content.decode()
    assert "1 h left" in page.content.decode()

    clock.advance(minutes=59)  # 23:59 after the buyer wrote, whatever the wall clock says
    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Here you are.")
    _refresh(asked)
    assert asked.late_at is None
    assert asked.response_seconds == 23 * 3600 + 59 * 60


def test_the_earliest_unanswered_message_sets_the_due_time_and_one_reply_answers_all(
    clock, avery, jordans_order
):
    first = factories.buyer_message(jordans_order, "Where is my parcel?")
    clock.advance(hours=3)
    second = factories.buyer_message(jordans_order, "Also, can I change the colour?")
    clock.advance(hours=2)
    third = factories.buyer_message(jordans_order, "Hello?")

    conversation = _conversation(jordans_order)
    assert conversation.reply_due_at == first.reply_due_at
    assert [m.reply_due_at - first.reply_due_at for m in (first, second, third)] == [
        timedelta(0),
        timedelta(hours=3),
        timedelta(hours=5),
    ]

    clock.advance(hours=1)
    answer = factories.reply(conversation, avery, Side.SELLER, "Both answered below.")

    _refresh(first, second, third, conversation)
    assert [m.response_seconds for m in (first, second, third)] == [6 * 3600, 3 * 3600, 3600]
    assert {m.answered_by_message_id for m in (first, second, third)} == {answer.pk}
    assert conversation.reply_due_at is None


def test_a_buyer_message_after_the_answer_starts_a_new_clock(clock, sam, jordans_order):
    factories.buyer_message(jordans_order)
    clock.advance(hours=2)
    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Shipped.")
    clock.advance(hours=1)
    follow_up = factories.buyer_message(jordans_order, "Thanks! And the invoice?")

    assert _conversation(jordans_order).reply_due_at == follow_up.reply_due_at == clock.now + DAY


# --- What does not stop it -------------------------------------------------------------------


def test_an_automatic_seller_reply_does_not_stop_the_clock(clock, sam, jordans_order):
    asked = factories.buyer_message(jordans_order)
    clock.advance(hours=1)
    out_of_office = _held_seller_message(_conversation(jordans_order), sam, automatic=True)

    message_deliver(out_of_office)

    _refresh(asked)
    assert out_of_office.status == Message.Status.DELIVERED
    assert asked.clock_running
    assert _conversation(jordans_order).reply_due_at == asked.reply_due_at


def test_an_automatic_buyer_message_starts_no_clock(clock, sam, jordans_order):
    factories.seller_message(jordans_order, sam)
    conversation = _conversation(jordans_order)
    auto = Message.objects.create(
        conversation=conversation,
        sender=jordans_order.buyer,
        sender_side=Side.BUYER,
        message_type="buyer_inquiry",
        body_text="I am on holiday.",
        body_html="<p>I am on holiday.</p>",
        status=Message.Status.HELD,
        is_automatic=True,
    )

    message_deliver(auto)

    _refresh(auto, conversation)
    assert auto.reply_due_at is None
    assert conversation.reply_due_at is None


def test_a_held_reply_stops_the_clock_only_when_it_is_delivered(clock, sam, morgan, jordans_order):
    asked = factories.buyer_message(jordans_order)
    clock.advance(hours=2)
    held = _held_seller_message(_conversation(jordans_order), sam)
    _refresh(asked)
    assert asked.clock_running

    clock.advance(hours=3)
    review_approve(message_id=held.pk, reviewer=morgan)

    _refresh(asked)
    assert asked.answered_at == clock.now
    assert asked.response_seconds == 5 * 3600


def test_a_rejected_reply_leaves_the_clock_running(clock, sam, morgan, jordans_order):
    asked = factories.buyer_message(jordans_order)
    held = _held_seller_message(_conversation(jordans_order), sam)

    review_reject(message_id=held.pk, reviewer=morgan, reason="Please rephrase.")

    _refresh(asked)
    assert asked.clock_running


def test_an_undeliverable_seller_message_does_not_stop_the_clock(clock, sam, jordan, jordans_order):
    factories.seller_message(jordans_order, sam)  # Northwind started the conversation
    clock.advance(hours=1)
    asked = factories.buyer_message(jordans_order)
    clock.advance(days=31)  # no longer a reply: the buyer last wrote over 30 days ago
    jordan.opted_out_of_unsolicited = True
    jordan.save(update_fields=["opted_out_of_unsolicited"])
    tip = _held_seller_message(
        Conversation.objects.select_related("buyer").get(order=jordans_order),
        sam,
        message_type="proactive_support",
    )

    message_release(tip, now=clock.now)

    _refresh(tip, asked)
    assert tip.status == Message.Status.UNDELIVERABLE
    assert asked.clock_running


@pytest.mark.parametrize("via", [Message.Via.WEB, Message.Via.EMAIL, Message.Via.API])
def test_a_reply_stops_the_clock_however_it_arrives(clock, sam, jordans_order, via):
    asked = factories.buyer_message(jordans_order)
    clock.advance(hours=4)

    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "On its way.", via=via)

    _refresh(asked)
    assert asked.response_seconds == 4 * 3600


def test_the_clock_runs_with_no_worker_and_no_broker(clock, point_celery_at, sam, jordans_order):
    point_celery_at("redis://127.0.0.1:1/0", eager=False)

    asked = factories.buyer_message(jordans_order)
    clock.advance(hours=1)
    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Answered.")

    _refresh(asked)
    assert asked.response_seconds == 3600


# --- No response needed -------------------------------------------------------------------


def test_no_response_needed_stops_one_clock_and_records_who_and_when(clock, avery, jordans_order):
    thanks = factories.buyer_message(jordans_order, "Thanks, that's all!")
    clock.advance(hours=1)
    question = factories.buyer_message(jordans_order, "Oh, one more thing: gift wrap?")
    clock.advance(hours=1)

    mark_no_response_needed(message=thanks, by=avery)

    _refresh(thanks, question)
    assert thanks.no_response_needed_at == clock.now
    assert thanks.no_response_needed_by == avery
    assert thanks.answered_at is None and not thanks.clock_running
    assert question.clock_running
    # The next waiting message now sets the due time.
    assert _conversation(jordans_order).reply_due_at == question.reply_due_at


def test_marking_the_only_waiting_message_empties_the_conversations_due_time(
    clock, sam, jordans_order
):
    thanks = factories.buyer_message(jordans_order, "Thank you!")
    mark_no_response_needed(message=thanks, by=sam)
    assert _conversation(jordans_order).reply_due_at is None


@pytest.mark.parametrize(
    ("situation", "error"),
    [
        ("answered", "answered already"),
        ("marked", "already marked"),
        ("past due", "has passed"),
        ("seller message", "Only a buyer's message"),
    ],
)
def test_no_response_needed_is_offered_only_while_the_clock_runs(
    clock, sam, jordans_order, situation, error
):
    message = factories.buyer_message(jordans_order)
    if situation == "answered":
        factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Done.")
    elif situation == "marked":
        mark_no_response_needed(message=message, by=sam)
    elif situation == "past due":
        clock.advance(hours=24)
    else:
        message = factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Hi.")

    with pytest.raises(UserFacingError, match=error):
        mark_no_response_needed(message=message, by=sam)


def test_only_the_sellers_team_may_mark_a_message(clock, maria, jordan, jordans_order):
    message = factories.buyer_message(jordans_order)
    for outsider in (maria, jordan):
        with pytest.raises(UserFacingError, match="seller's team"):
            mark_no_response_needed(message=message, by=outsider)
    _refresh(message)
    assert message.clock_running


# --- Rebuilding from history (demo data, old rows) ---------------------------------------------


def test_rebuilding_follows_rewritten_times(clock, sam, jordans_order):
    asked = factories.buyer_message(jordans_order)
    answer = factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Yes.")
    wrote = clock.now - timedelta(hours=30)
    Message.objects.filter(pk=asked.pk).update(delivered_at=wrote)
    Message.objects.filter(pk=answer.pk).update(delivered_at=wrote + timedelta(hours=26))
    late_question = factories.buyer_message(jordans_order, "And the receipt?")
    Message.objects.filter(pk=late_question.pk).update(delivered_at=wrote + timedelta(hours=1))

    reply_clock_rebuild(_conversation(jordans_order))

    _refresh(asked, late_question)
    assert asked.reply_due_at == wrote + DAY
    assert asked.response_seconds == 26 * 3600
    assert asked.late_at == asked.reply_due_at
    assert late_question.response_seconds == 25 * 3600
    assert _conversation(jordans_order).reply_due_at is None
