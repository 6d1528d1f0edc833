"""No search result ever leaks another party's conversation, or a message its side does
not see, for any actor, on the results page or through the API (both databases).

The story (conftest.py): "aubergine" is in Jordan's conversation with Northwind (both
sides) and in Priya's with Cascade (both sides); "marmalade" only in Northwind's message
held for review; "zeppelin" only in Northwind's blocked message.
"""

from __future__ import annotations

import re

import pytest

WORDS = ("aubergine", "marmalade", "zeppelin")


def _expected(story, actor: str) -> dict[str, set[int]]:
    """Message ids each word must find for the actor: exactly these, no more."""
    ids = {name: message.pk for name, message in story.items()}
    northwind = {ids["jordans"], ids["sams"]}
    cascade = {ids["priyas"], ids["marias"]}
    nothing: dict[str, set[int]] = {word: set() for word in WORDS}
    if actor == "jordan":  # the buyer: his conversation, not the seller's held or blocked
        return {**nothing, "aubergine": northwind}
    if actor in ("sam", "avery"):  # Northwind's team: its own held message, not blocked
        return {**nothing, "aubergine": northwind, "marmalade": {ids["held"]}}
    if actor in ("priya", "maria"):
        return {**nothing, "aubergine": cascade}
    if actor == "morgan":  # the administrator: everything, held and blocked too
        return {
            **nothing,
            "aubergine": northwind | cascade,
            "marmalade": {ids["held"]},
            "zeppelin": {ids["blocked"]},
        }
    raise AssertionError(actor)


ACTORS = ("jordan", "priya", "sam", "avery", "maria", "morgan")


def _linked_messages(html: str) -> set[int]:
    """The messages a results page links to: #message-<id> on a conversation page, the
    review page of a held one, or the admin's page of a message."""
    ids = re.findall(r"#message-(\d+)\"", html)
    ids += re.findall(r"/review/(\d+)/\"", html)
    ids += re.findall(r"/admin/messaging/message/(\d+)/change/\"", html)
    return {int(i) for i in ids}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_results_page_shows_only_what_the_actor_may_read(client, story, actor, request):
    user = request.getfixturevalue(actor)
    client.force_login(user)

    for word, expected in _expected(story, actor).items():
        response = client.get("/search/", {"q": word})
        assert response.status_code == 200
        assert _linked_messages(response.content.decode()) == expected, word


@pytest.mark.parametrize("actor", ACTORS)
def test_the_api_answers_only_what_the_actor_may_read(api_for, story, actor, request):
    api = api_for(request.getfixturevalue(actor))

    for word, expected in _expected(story, actor).items():
        response = api.get("/api/v1/search", {"q": word})
        assert response.status_code == 200, response.content
        assert {r["message_id"] for r in response.json()["results"]} == expected, word


def _conversation_ids(story, *names: str) -> set[int]:
    return {story[name].conversation_id for name in names}


@pytest.mark.parametrize(
    ("actor", "finds"),
    [
        ("jordan", {"duvet": ("jordans",), "tent": ()}),
        ("sam", {"duvet": ("jordans",), "tent": ()}),
        ("avery", {"duvet": ("jordans",), "tent": ()}),
        ("priya", {"duvet": (), "tent": ("priyas",)}),
        ("maria", {"duvet": (), "tent": ("priyas",)}),
        ("morgan", {"duvet": ("jordans",), "tent": ("priyas",)}),
    ],
)
def test_conversations_found_by_their_products_are_only_the_actors(
    api_for, story, actor, finds, request
):
    api = api_for(request.getfixturevalue(actor))

    for word, names in finds.items():
        response = api.get("/api/v1/search", {"q": word, "kind": "conversations"})
        found = {r["conversation_id"] for r in response.json()["results"]}
        expected = _conversation_ids(story, *names)
        # "duvet" is also the product of Jordan's second order, whose only message is
        # held: in nobody's inbox yet, so only the administrator finds it.
        if "jordans" in names and actor == "morgan":
            expected.add(story["held"].conversation_id)
        assert found == expected, word


def test_a_sellers_side_search_leaves_out_the_conversations_they_buy_in(
    client, story, sam, jordans_order, cascade
):
    """Sam also buys from Cascade: the seller inbox's search box is about Northwind only."""
    from tests import factories

    bought = factories.order(buyer=sam, seller=cascade, title="Tent pegs")
    own = factories.buyer_message(bought, "Do the aubergine pegs fit?")
    client.force_login(sam)

    everything = _linked_messages(client.get("/search/", {"q": "aubergine"}).content.decode())
    as_seller = client.get("/search/", {"q": "aubergine", "side": "seller"}).content.decode()
    as_buyer = client.get("/search/", {"q": "aubergine", "side": "buyer"}).content.decode()

    assert own.pk in everything
    assert own.pk not in _linked_messages(as_seller)
    assert _linked_messages(as_buyer) == {own.pk}


def test_an_anonymous_visitor_is_sent_to_log_in_and_the_api_refuses(client, story):
    page = client.get("/search/", {"q": "aubergine"})
    api = client.get("/api/v1/search", {"q": "aubergine"})

    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert api.status_code == 401
    assert b"aubergine" not in api.content
