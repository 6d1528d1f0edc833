"""Every error has one shape: {"code", "message", "details"}."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError

from messagecenter.api.views import conversations as conversations_view


def _assert_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"].strip()
    assert isinstance(body["details"], dict)
    return body


def test_not_authenticated(api_as):
    _assert_shape(api_as(None).get("/api/v1/conversations"), 401, "not_authenticated")


@pytest.mark.parametrize("header", ["Bearer", "Bearer mc_unknown", "Bearer a b", "Token nope"])
def test_bad_tokens(api_as, header):
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION=header)

    body = _assert_shape(client.get("/api/v1/conversations"), 401, "authentication_failed")

    assert "token" in body["message"].lower()


def test_not_found(api_as, sam):
    body = _assert_shape(api_as(sam).get("/api/v1/conversations/12345"), 404, "not_found")
    assert body["message"] == "No such conversation."


def test_method_not_allowed(api_as, sam):
    _assert_shape(api_as(sam).get("/api/v1/uploads"), 405, "method_not_allowed")


def test_unsupported_media_type(api_as, sam):
    response = api_as(sam).post("/api/v1/uploads", {"file": "x"}, format="json")
    _assert_shape(response, 415, "unsupported_media_type")


def test_malformed_json(api_as, sam, jordans_order):
    response = api_as(sam).post(
        f"/api/v1/orders/{jordans_order.number}/messages/reply",
        data="{not json",
        content_type="application/json",
    )
    _assert_shape(response, 400, "malformed_request")


def test_validation_names_the_fields(api_as, sam, jordans_order):
    response = api_as(sam).post(
        f"/api/v1/orders/{jordans_order.number}/messages/confirm_order_details",
        {"attachments": ["x"]},
        format="json",
    )
    body = _assert_shape(response, 400, "invalid")
    assert set(body["details"]["fields"]) == {"text", "attachments"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_path_that_is_no_operation_is_a_json_404(api_as, sam, method):
    response = getattr(api_as(sam), method)("/api/v1/conversations/abc/messages")

    _assert_shape(response, 404, "not_found")


# --- Failures on our side: the same shape, never an HTML page ---------------------------------


def test_an_unexpected_error_is_a_json_500(api_as, sam, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a selector")

    monkeypatch.setattr(conversations_view, "api_conversations", broken)
    client = api_as(sam)
    client.raise_request_exception = False

    response = client.get("/api/v1/conversations")

    body = _assert_shape(response, 500, "server_error")
    assert response["Content-Type"] == "application/json"
    assert "a bug in a selector" not in body["message"]
    assert body["details"] == {}


def test_the_database_failing_is_a_json_503_with_retry_after(api_as, sam, monkeypatch):
    def database_gone(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(conversations_view, "api_conversations", database_gone)
    client = api_as(sam)
    client.raise_request_exception = False

    response = client.get("/api/v1/conversations")

    body = _assert_shape(response, 503, "service_unavailable")
    assert body["details"] == {"retry_after": int(response["Retry-After"])}
    assert "127.0.0.1" not in body["message"]


def test_an_error_outside_the_api_view_is_json_too(api_as, sam, monkeypatch):
    """Raised by a middleware, before DRF ever runs: the server's own 500 handler answers."""

    def session_store_broken(self, *args, **kwargs):
        raise RuntimeError("session store misconfigured")

    monkeypatch.setattr(SessionMiddleware, "process_request", session_store_broken)
    client = api_as(sam)
    client.raise_request_exception = False

    _assert_shape(client.get("/api/v1/conversations"), 500, "server_error")
