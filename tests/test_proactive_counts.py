"""The daily cap reads each seller's proactive-message count for the day from a counter row,
kept in the transaction of every send and every review that moves a message in or out of
the count."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from messagecenter.messaging.models import Message, ProactiveSendCount
from messagecenter.messaging.proactive_counts import recount_proactive_sends, utc_day
from messagecenter.moderation.review import review_reject
from tests import factories

DELAY = "Your order will ship on Monday instead of Friday because of a delay at our warehouse."
REVIEW_ASK = (
    "How did the duvet cover work out for you? If you have a moment, you can leave a "
    "review of the product on its page."
)
DEFAULT_CAP = 600  # the policy's base; these sellers have too few orders to raise it


def _today_count(business) -> int | None:
    row = ProactiveSendCount.objects.filter(business=business, day=utc_day(timezone.now()))
    return row.values_list("sent", flat=True).first()


def _contact_buyer(client, order, **data):
    return client.post(reverse("contact_buyer", args=[order.number]), data, follow=True)


def _set_today(business, sent: int, days_ago: int = 0) -> None:
    ProactiveSendCount.objects.create(
        business=business, day=utc_day(timezone.now() - timedelta(days=days_ago)), sent=sent
    )


def test_a_proactive_message_from_contact_buyer_is_counted(client, sam, northwind, jordans_order):
    client.force_login(sam)

    _contact_buyer(
        client, jordans_order, message_type="shipment_delay", subject="Shipping update", body=DELAY
    )

    assert Message.objects.get().status == Message.Status.DELIVERED
    assert _today_count(northwind) == 1


def test_replies_and_buyer_messages_are_not_counted(sam, northwind, jordans_order):
    factories.buyer_message(jordans_order)
    factories.seller_message(jordans_order, sam)  # confirming details answers the buyer

    assert Message.objects.filter(status=Message.Status.DELIVERED).count() == 2
    assert _today_count(northwind) is None


def test_the_cap_stops_a_seller_whose_counter_is_full(client, sam, northwind, jordans_order):
    _set_today(northwind, DEFAULT_CAP)
    client.force_login(sam)

    page = _contact_buyer(
        client, jordans_order, message_type="shipment_delay", subject="Shipping update", body=DELAY
    ).content.decode()

    assert f"You have sent {DEFAULT_CAP} proactive messages today" in page
    assert not Message.objects.filter(status=Message.Status.DELIVERED).exists()
    assert _today_count(northwind) == DEFAULT_CAP


def test_yesterdays_count_and_another_sellers_do_not_hold_a_seller_back(
    client, sam, northwind, cascade, jordans_order
):
    _set_today(northwind, DEFAULT_CAP, days_ago=1)
    _set_today(cascade, DEFAULT_CAP)
    _set_today(northwind, DEFAULT_CAP - 1)
    client.force_login(sam)

    _contact_buyer(
        client, jordans_order, message_type="shipment_delay", subject="Shipping update", body=DELAY
    )

    assert Message.objects.get().status == Message.Status.DELIVERED
    assert _today_count(northwind) == DEFAULT_CAP


def test_a_held_message_counts_until_a_reviewer_rejects_it(sam, morgan, northwind, jordan):
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=10)
    held = factories.seller_message(
        order, sam, REVIEW_ASK, message_type="review_request", subject="[Important] Your cover"
    )
    assert held.status == Message.Status.HELD
    assert _today_count(northwind) == 1

    review_reject(message_id=held.pk, reviewer=morgan, reason="Not important.")

    assert _today_count(northwind) == 0


def test_a_recount_rebuilds_the_rows_the_sends_kept(client, sam, northwind, jordans_order):
    client.force_login(sam)
    for _ in range(2):
        _contact_buyer(
            client,
            jordans_order,
            message_type="shipment_delay",
            subject="Shipping update",
            body=DELAY,
        )
    kept = list(ProactiveSendCount.objects.values_list("business_id", "day", "sent"))
    ProactiveSendCount.objects.update(sent=99)

    assert recount_proactive_sends() == 1
    assert list(ProactiveSendCount.objects.values_list("business_id", "day", "sent")) == kept
    assert kept == [(northwind.pk, utc_day(timezone.now()), 2)]
