"""The live socket (messagecenter/live/consumers.py) as each kind of person opens it: who
may listen to a conversation, what they hear (ids only), and who hears "is replying".

The full ASGI application is driven (origin check, session login, routing), with the
session cookie Django's test client made; the database is committed (the consumer reads
it from its own thread)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from messagecenter.asgi import application
from messagecenter.live.consumers import REFUSED
from messagecenter.threads.models import Conversation, Side
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://testserver"


def _socket(user, query: str = "", origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/live/{query}", headers=headers)


def _run(scenario: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    return async_to_sync(scenario)(*args)


async def _connects(socket: WebsocketCommunicator) -> tuple[bool, int | None]:
    connected, code = await socket.connect(timeout=5)
    await socket.disconnect()  # ends the application instance, refused or not
    return connected, code


@pytest.fixture
def conversation(jordans_order) -> Conversation:
    factories.buyer_message(jordans_order, "Where is my parcel?")
    return Conversation.objects.get(order=jordans_order)


@pytest.mark.parametrize(
    ("who", "side", "allowed"),
    [
        ("jordan", "buyer", True),  # the conversation's buyer
        ("priya", "buyer", False),  # another buyer
        ("sam", "seller", True),  # the seller's owner
        ("avery", "seller", True),  # a member of the seller's team
        ("maria", "seller", False),  # another seller's owner
        ("jordan", "seller", False),  # the buyer, asking for the seller's side
        ("sam", "buyer", False),  # the seller, asking for the buyer's side
        ("morgan", "buyer", False),  # an administrator: no conversation page of theirs
        ("morgan", "seller", False),
        (None, "buyer", False),  # anonymous
        (None, "seller", False),
    ],
)
def test_only_the_conversations_people_listen_to_it(who, side, allowed, conversation, request):
    user = request.getfixturevalue(who) if who else None
    socket = _socket(user, f"?conversation={conversation.pk}&side={side}")

    connected, code = _run(_connects, socket)

    assert connected is allowed
    if not allowed:
        assert code == REFUSED


def test_anonymous_is_refused_even_without_a_conversation(db):
    connected, code = _run(_connects, _socket(None))

    assert (connected, code) == (False, REFUSED)


@pytest.mark.parametrize("value", ["abc", "0", "-3", "٣", "99999999999999999999", ""])
def test_a_malformed_conversation_id_is_refused(value, jordan):
    connected, code = _run(_connects, _socket(jordan, f"?conversation={value}"))

    assert (connected, code) == (False, REFUSED)


def test_a_page_of_another_site_cannot_open_it(jordan):
    connected, _ = _run(_connects, _socket(jordan, origin=b"https://evil.example"))

    assert connected is False


def test_a_logged_in_page_without_a_conversation_listens_to_its_inbox(jordan, sam, conversation):
    async def scenario() -> dict[str, Any]:
        socket = _socket(jordan)
        assert (await socket.connect(timeout=5))[0]
        await _in_thread(factories.reply, conversation, sam, Side.SELLER, "It left on Monday.")
        heard = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return heard

    assert _run(scenario) == {"event": "inbox", "conversation": conversation.pk}


def test_both_sides_hear_a_new_message_as_ids_only(jordan, sam, conversation):
    async def scenario() -> tuple[list[dict], list[dict]]:
        buyer = _socket(jordan, f"?conversation={conversation.pk}&side=buyer")
        seller = _socket(sam, f"?conversation={conversation.pk}&side=seller")
        assert (await buyer.connect(timeout=5))[0] and (await seller.connect(timeout=5))[0]
        message = await _in_thread(
            factories.reply, conversation, sam, Side.SELLER, "It left on Monday."
        )
        heard = ([], [])
        for socket, into in ((buyer, heard[0]), (seller, heard[1])):
            into.append(await socket.receive_json_from(timeout=5))
            into.append(await socket.receive_json_from(timeout=5))
            await socket.disconnect()
        return message.pk, heard

    message_id, (buyer_heard, seller_heard) = _run(scenario)
    new_message = {"event": "message", "conversation": conversation.pk, "message": message_id}
    for heard in (buyer_heard, seller_heard):
        assert new_message in heard
        assert {"event": "inbox", "conversation": conversation.pk} in heard
        for event in heard:  # ids only: no text, no names
            assert all(isinstance(value, int) for key, value in event.items() if key != "event")


def test_a_teammate_hears_who_is_replying_and_the_buyer_does_not(jordan, sam, avery, conversation):
    async def scenario() -> tuple[dict, bool]:
        query = f"?conversation={conversation.pk}"
        writer = _socket(avery, f"{query}&side=seller")
        teammate = _socket(sam, f"{query}&side=seller")
        buyer = _socket(jordan, f"{query}&side=buyer")
        for socket in (writer, teammate, buyer):
            assert (await socket.connect(timeout=5))[0]
        await writer.send_json_to({"type": "replying", "writing": True})
        heard = await teammate.receive_json_from(timeout=5)
        buyer_heard_nothing = await buyer.receive_nothing(timeout=0.5)
        for socket in (writer, teammate, buyer):
            await socket.disconnect()
        return heard, buyer_heard_nothing

    heard, buyer_heard_nothing = _run(scenario)

    assert heard == {"event": "replying", "conversation": conversation.pk, "user": avery.pk}
    assert buyer_heard_nothing


def test_a_buyer_cannot_say_they_are_replying(jordan, sam, conversation):
    async def scenario() -> bool:
        query = f"?conversation={conversation.pk}"
        buyer = _socket(jordan, f"{query}&side=buyer")
        seller = _socket(sam, f"{query}&side=seller")
        assert (await buyer.connect(timeout=5))[0] and (await seller.connect(timeout=5))[0]
        await buyer.send_json_to({"type": "replying", "writing": True})
        quiet = await seller.receive_nothing(timeout=0.5)
        await buyer.disconnect()
        await seller.disconnect()
        return quiet

    assert _run(scenario)


async def _in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """A send as a web request makes it: sync code, outside the socket's event loop."""
    return await sync_to_async(function)(*args)
