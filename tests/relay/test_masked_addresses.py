"""Finding the pair a masked address belongs to: one statement, read by hand
(relay.rows), that gives the same pair, buyer and seller the ORM would, and the seller's
active team, who may write to the buyer."""

from __future__ import annotations

from messagecenter.relay.addresses import proxy_pair_for, resolve_masked_address
from messagecenter.relay.models import ProxyAddressPair
from messagecenter.relay.senders import sender_for
from messagecenter.threads.models import Side
from tests import factories
from tests.relay.emails import buyer_address, seller_address


def test_each_masked_address_names_its_pair_and_side(jordan, northwind):
    pair = proxy_pair_for(jordan, northwind)

    to_buyer = resolve_masked_address(buyer_address(jordan, northwind).upper())
    to_seller = resolve_masked_address(f"<{seller_address(jordan, northwind)}>")

    assert (to_buyer.pair, to_buyer.side) == (pair, Side.BUYER)
    assert (to_seller.pair, to_seller.side) == (pair, Side.SELLER)


def test_the_pair_comes_with_its_buyer_and_seller_as_stored(
    django_assert_num_queries, jordan, northwind
):
    address = seller_address(jordan, northwind)
    stored = ProxyAddressPair.objects.select_related("buyer", "seller").get(buyer=jordan)

    with django_assert_num_queries(1):
        resolved = resolve_masked_address(address)
        buyer, seller = resolved.pair.buyer, resolved.pair.seller

    for field in ProxyAddressPair._meta.concrete_fields:
        assert getattr(resolved.pair, field.attname) == getattr(stored, field.attname)
    for read, expected in ((buyer, stored.buyer), (seller, stored.seller)):
        for field in type(expected)._meta.concrete_fields:
            assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert buyer.is_active is True and resolved.pair.created_at.tzinfo is not None


def test_anything_else_is_no_pair(jordan, northwind):
    token = seller_address(jordan, northwind).split("@")[0]

    assert resolve_masked_address(f"{token}@elsewhere.example") is None
    assert resolve_masked_address("nobody@relay.marketplace.example") is None
    assert resolve_masked_address("@relay.marketplace.example") is None


def test_the_sellers_active_team_comes_with_the_pair_earliest_first(
    django_assert_num_queries, jordan, northwind, sam
):
    avery = factories.member(northwind, "avery@northwind.example", "Avery Lee")
    gone = factories.member(northwind, "former@northwind.example", "Former Agent")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    address = buyer_address(jordan, northwind)

    with django_assert_num_queries(1):
        resolved = resolve_masked_address(address)
        team = [(m.user, m.role, m.business) for m in resolved.team]

    assert team == [(sam, "owner", northwind), (avery, "agent", northwind)]


def test_a_seller_without_an_active_team_has_an_empty_one(jordan, northwind):
    assert resolve_masked_address(buyer_address(jordan, northwind)).team == ()


def test_the_team_read_with_the_pair_spares_the_sender_check_a_query(
    django_assert_num_queries, jordan, northwind, sam
):
    resolved = resolve_masked_address(buyer_address(jordan, northwind))

    with django_assert_num_queries(0):
        sender = sender_for(
            pair=resolved.pair,
            recipient_side=resolved.side,
            from_address="sam@northwind.example",
            envelope_from="sam@northwind.example",
            team=resolved.team,
        )

    assert (sender.user, sender.side) == (sam, Side.SELLER)
