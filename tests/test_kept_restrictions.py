"""The restriction banner on every seller page reads the restrictions this process keeps
(moderation/kept_restrictions.py): no query while they are kept, and the saving process
shows a restriction placed or lifted on its very next page."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messagecenter.moderation.enforcement import restriction_lift
from messagecenter.moderation.kept_restrictions import restrictions_in_force
from messagecenter.moderation.models import SellerRestriction

BANNER = "proactive messaging is restricted until"


def _inbox(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("seller_inbox"))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _restriction(business, days: int = 30) -> SellerRestriction:
    now = timezone.now()
    return SellerRestriction.objects.create(
        business=business,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=days),
        reason="3 messages were blocked or rejected",
    )


def test_the_banner_shows_a_restriction_placed_and_lifted_on_the_next_page(
    client, sam, morgan, northwind
):
    client.force_login(sam)
    page, _ = _inbox(client)
    assert BANNER not in page  # nothing in force is kept now

    restriction = _restriction(northwind)
    page, _ = _inbox(client)
    assert f"Northwind Home Goods: {BANNER}" in page
    assert "3 messages were blocked or rejected" in page

    restriction_lift(restriction=restriction, by=morgan, reason="Appeal upheld", now=timezone.now())
    page, _ = _inbox(client)
    assert BANNER not in page


def test_kept_restrictions_cost_no_query(client, sam, northwind):
    _restriction(northwind)
    client.force_login(sam)
    first, first_sql = _inbox(client)
    again, again_sql = _inbox(client)

    assert BANNER in first and BANNER in again
    assert any("moderation_sellerrestriction" in sql for sql in first_sql)
    assert not any("moderation_sellerrestriction" in sql for sql in again_sql)


def test_a_kept_restriction_ends_on_time_without_being_read_again(northwind, cascade):
    restriction = _restriction(northwind, days=2)
    now = timezone.now()
    assert restrictions_in_force([northwind.pk, cascade.pk], now) == [restriction]

    with CaptureQueriesContext(connection) as captured:
        later = restrictions_in_force([northwind.pk, cascade.pk], now + timedelta(days=3))
    assert later == []
    assert captured.captured_queries == []
