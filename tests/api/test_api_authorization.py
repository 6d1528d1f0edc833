"""Who may call what: every API operation, tried as every kind of caller.

Sam (owner) and Avery (agent) work for Northwind, the seller of Jordan's order. Maria
works for another seller; Jordan is the order's buyer and Priya another buyer. Calls
are made with personal API tokens; "revoked" is Sam with a token he revoked. Whatever is
not yours answers exactly like an id that does not exist, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from messagecenter.api.models import IdempotencyRecord
from messagecenter.messaging.models import Message, Upload
from messagecenter.threads.models import ReadState
from tests import factories
from tests.api.story import ApiStory, make_story

OK = "ok"  # 200
LISTED = "listed"  # 200, and the story's conversation is in the list
UNLISTED = "unlisted"  # 200, and it is not
SENT = "sent"  # 201, exactly one new message, by this caller, via the API
CREATED = "created"  # 201, an upload of this caller
NOT_FOUND = "404"  # like a missing id; nothing changes
UNAUTHORIZED = "401"  # no valid credentials; nothing changes

ACTORS = ("sam", "avery", "maria", "jordan", "priya", "anonymous", "revoked")
MISSING_ID = 987_654_321
MISSING_ORDER = "999-0000000-0000000"


@dataclass(frozen=True)
class Call:
    method: str
    path: Callable[[ApiStory], str]
    missing_path: Callable[[ApiStory], str] | None = None
    body: dict[str, Any] = field(default_factory=dict)
    multipart: bool = False


def _order(suffix: str) -> tuple[Callable[[ApiStory], str], Callable[[ApiStory], str]]:
    return (
        lambda s: f"/api/v1/orders/{s.order.number}/{suffix}",
        lambda s: f"/api/v1/orders/{MISSING_ORDER}/{suffix}",
    )


def _conversation(suffix: str = "") -> tuple[Callable, Callable]:
    return (
        lambda s: f"/api/v1/conversations/{s.conversation.pk}{suffix}",
        lambda s: f"/api/v1/conversations/{MISSING_ID}{suffix}",
    )


CALLS = {
    "messaging actions": Call("get", *_order("messaging-actions")),
    "order attributes": Call("get", *_order("attributes")),
    "send to order": Call(
        "post",
        *_order("messages/confirm_delivery_details"),
        body={"text": "Which day suits you for the delivery of the replacement?"},
    ),
    "upload": Call("post", lambda s: "/api/v1/uploads", multipart=True),
    "conversations": Call("get", lambda s: "/api/v1/conversations"),
    "conversation": Call("get", *_conversation()),
    "conversation messages": Call("get", *_conversation("/messages")),
    "reply": Call("post", *_conversation("/messages"), body={"text": "A replacement ships today."}),
    "mark read": Call("post", *_conversation("/read")),
    "no response needed": Call("post", *_conversation("/no-response-needed")),
    "assign": Call("post", *_conversation("/assign"), body={"assignee_id": None}),
    "team": Call("get", lambda s: "/api/v1/team"),
    "attachment download": Call(
        "get",
        lambda s: f"/api/v1/attachments/{s.attachment.pk}",
        lambda s: f"/api/v1/attachments/{MISSING_ID}",
    ),
    "schema": Call("get", lambda s: "/api/v1/schema/"),
    "search": Call("get", lambda s: "/api/v1/search?q=damaged"),
}

# fmt: off
MATRIX = {
    #                        sam      avery    maria      jordan     priya      anonymous     revoked  # noqa: E501
    "messaging actions":     (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "order attributes":      (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "send to order":         (SENT,   SENT,    NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "upload":                (CREATED, CREATED, CREATED,  CREATED,   CREATED,   UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "conversations":         (LISTED, LISTED,  UNLISTED,  UNLISTED,  UNLISTED,  UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "conversation":          (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "conversation messages": (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "reply":                 (SENT,   SENT,    NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "mark read":             (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "no response needed":    (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    "assign":                (OK,     OK,      NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    # Everyone sees their own teams (a buyer has none).
    "team":                  (OK,     OK,      OK,        OK,        OK,        UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    # The buyer reads the files of the conversation too: the same door as the web page.
    "attachment download":   (OK,     OK,      NOT_FOUND, OK,        NOT_FOUND, UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
    # The schema is public; a revoked token is refused wherever it is shown.
    "schema":                (OK,     OK,      OK,        OK,        OK,        OK,           UNAUTHORIZED),  # noqa: E501
    # Search finds the conversation for both of its sides, and for nobody else.
    "search":                (LISTED, LISTED,  UNLISTED,  LISTED,    UNLISTED,  UNAUTHORIZED, UNAUTHORIZED),  # noqa: E501
}
# fmt: on


def _cases() -> list:
    assert set(MATRIX) == set(CALLS)
    return [
        pytest.param(name, actor, outcome, id=f"{name}-{actor}")
        for name, row in MATRIX.items()
        for actor, outcome in zip(ACTORS, row, strict=True)
    ]


@pytest.fixture
def story(jordans_order, sam, avery, maria, jordan, priya) -> ApiStory:
    return make_story(jordans_order, sam)


def _client(request, api_as, actor: str):
    if actor == "anonymous":
        return api_as(None)
    if actor == "revoked":
        return api_as(request.getfixturevalue("sam"), revoked=True)
    return api_as(request.getfixturevalue(actor))


def _send(client, call: Call, path: str):
    if call.method == "get":
        return client.get(path)
    if call.multipart:
        return client.post(path, {"file": factories.pdf_upload("manual.pdf")}, format="multipart")
    return client.post(path, call.body, format="json")


def _state() -> dict[str, int]:
    return {
        "messages": Message.objects.count(),
        "uploads": Upload.objects.count(),
        "read markers": ReadState.objects.count(),
        "idempotency records": IdempotencyRecord.objects.count(),
    }


@pytest.mark.parametrize(("name", "actor", "outcome"), _cases())
def test_api_access_matrix(request, api_as, story, name, actor, outcome):
    call = CALLS[name]
    client = _client(request, api_as, actor)
    before = _state()

    response = _send(client, call, call.path(story))

    if outcome == OK:
        assert response.status_code == 200, response.content
        if name == "attachment download":
            assert b"".join(response.streaming_content) == story.file_bytes
            assert response["Content-Disposition"].startswith("attachment;")
    elif outcome in (LISTED, UNLISTED):
        assert response.status_code == 200
        rows = response.json()["results"]
        ids = [row["conversation_id"] if "conversation_id" in row else row["id"] for row in rows]
        assert (story.conversation.pk in ids) == (outcome == LISTED)
    elif outcome == SENT:
        assert response.status_code == 201, response.json()
        assert Message.objects.count() == before["messages"] + 1
        newest = Message.objects.order_by("-id").first()
        assert newest.sender == request.getfixturevalue(actor)
        assert (newest.via, newest.status) == ("api", "delivered")
        assert response.json()["message"]["id"] == newest.pk
    elif outcome == CREATED:
        assert response.status_code == 201, response.json()
        upload = Upload.objects.get(pk=response.json()["id"])
        assert upload.owner == request.getfixturevalue(actor)
    elif outcome == NOT_FOUND:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert _state() == before
        missing = _send(client, call, call.missing_path(story))
        assert missing.status_code == 404
        assert missing.content == response.content
        assert _state() == before
    elif outcome == UNAUTHORIZED:
        assert response.status_code == 401
        expected = "authentication_failed" if actor == "revoked" else "not_authenticated"
        assert response.json()["code"] == expected
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert _state() == before
    else:  # pragma: no cover - a typo in the table
        pytest.fail(f"unknown outcome {outcome!r}")


def test_every_api_operation_is_in_the_matrix():
    from django.urls import get_resolver

    api = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api")
    names = {p.name for p in api.url_patterns}
    covered = {
        "order-messaging-actions": "messaging actions",
        "order-attributes": "order attributes",
        "order-message-send": "send to order",
        "uploads": "upload",
        "conversations": "conversations",
        "conversation": "conversation",
        "conversation-messages": "conversation messages",  # GET and the reply POST
        "conversation-read": "mark read",
        "conversation-no-response-needed": "no response needed",
        "conversation-assign": "assign",
        "team": "team",
        "attachment-download": "attachment download",
        "schema": "schema",
        "search": "search",
        "docs": None,  # the page around the schema; see test_schema.py
        "not-found": None,  # any other path: a JSON 404
    }
    assert names == set(covered)
    assert {v for v in covered.values() if v} <= set(CALLS)


def test_a_browser_session_works_too_with_its_csrf_token(client, story, sam):
    """The browser session authenticates API calls, and a POST needs the CSRF token."""
    from django.test import Client

    client.force_login(sam)
    assert client.get("/api/v1/conversations").status_code == 200

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(sam)
    url = f"/api/v1/conversations/{story.conversation.pk}/read"
    refused = strict.post(url)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    strict.get("/settings/")  # the page sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    assert strict.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200
