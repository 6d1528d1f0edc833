"""What people see when something fails on our side: the "try again in a minute" page
(503) while the database cannot be reached, wherever that is found out, and the
"something went wrong" page (500) for anything else. The fault tests do this with the
real database cut (tests/faults/test_database_down.py); these run in place.

Sam answers for Northwind Home Goods.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

SELLER_INBOX = "/seller/messages/"


@pytest.fixture
def sams_browser(sam) -> Client:
    browser = Client(raise_request_exception=False)
    browser.force_login(sam)
    return browser


def _database_gone(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_every_database_access_failing_gets_the_503_page(sams_browser):
    # The session is the first thing read: Django's session middleware meets the failure
    # inside its own code, and the page itself must not need the database either.
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=_database_gone):
        response = sams_browser.get(SELLER_INBOX)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Message Center is briefly unavailable" in page
    assert "cannot reach its database" in page
    assert "127.0.0.1" not in page


def test_a_session_that_cannot_be_saved_gets_the_503_page(client, sam, monkeypatch):
    """Signing in saves the session in the session middleware, after the view."""
    browser = Client(raise_request_exception=False)
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.save", _database_gone)

    response = browser.post(
        "/accounts/login/", {"username": sam.email, "password": "correct-horse-battery"}
    )

    assert response.status_code == 503
    assert "cannot reach its database" in response.content.decode()


def test_any_other_failure_gets_the_500_page(sams_browser, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("messagecenter.inbox.views.inboxes.render", broken)

    response = sams_browser.get(SELLER_INBOX)

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Retry-After" not in response
