"""Failed logins lock an account, and a client address, for a while.

Jordan's password is guessed: after LOGIN_FAILURE_LIMIT wrong passwords even the right one
is refused, and Jordan sees how long the pause lasts and what to do. Priya, logging in
from elsewhere, is not affected by Jordan's lock; from the guessing address nobody gets in.
Morgan, an administrator, unlocks Jordan from the user list.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from messagecenter.accounts.lockout import client_address, login_username
from tests import factories

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 0


def attempt(client, email: str, password: str, address: str = "203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, jordan):
    for _ in range(5):
        wrong = attempt(client, "jordan@example.com", "guess")
        assert wrong.status_code in {200, 429}

    right = attempt(client, "jordan@example.com", factories.PASSWORD)

    assert right.status_code == 429
    assert not logged_in(client)
    page = right.content.decode()
    assert "Logging in is paused" in page
    assert "There were 5 failed logins for this account or from your network." in page
    assert "logging in is paused for 15 more minutes" in page
    assert "Wait 15 minutes, then log in with the right password." in page
    assert reverse("password_reset") in page


def test_thirty_wrong_passwords_then_the_right_one_is_still_refused(client, jordan):
    for _ in range(30):
        attempt(client, "jordan@example.com", "guess")
    assert attempt(client, "jordan@example.com", factories.PASSWORD).status_code == 429
    assert not logged_in(client)


def test_below_the_limit_the_right_password_works_and_clears_the_count(client, jordan):
    for _ in range(4):
        assert attempt(client, "jordan@example.com", "guess").status_code == 200
    response = attempt(client, "jordan@example.com", factories.PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.filter(username="jordan@example.com").exists()


def test_the_account_is_locked_whatever_the_address(client, jordan):
    for number in range(5):
        attempt(client, "Jordan@Example.com ", "guess", address=f"198.51.100.{number}")

    response = attempt(client, "jordan@example.com", factories.PASSWORD, address="192.0.2.50")

    assert response.status_code == 429
    assert not logged_in(client)


def test_the_address_is_locked_for_every_account(client, jordan, priya):
    for number in range(5):
        attempt(client, f"nobody{number}@example.com", "guess", address="203.0.113.9")

    from_there = attempt(client, "priya@example.com", factories.PASSWORD, address="203.0.113.9")
    assert from_there.status_code == 429

    from_elsewhere = attempt(client, "priya@example.com", factories.PASSWORD, address="192.0.2.8")
    assert from_elsewhere.status_code == 302


def test_the_pause_ends_after_the_cool_off(client, jordan, settings):
    for _ in range(5):
        attempt(client, "jordan@example.com", "guess")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert attempt(client, "jordan@example.com", factories.PASSWORD).status_code == 302


def test_an_administrator_unlocks_the_account(client, jordan, morgan):
    for _ in range(5):
        attempt(client, "jordan@example.com", "guess", address="203.0.113.7")
    assert attempt(client, "jordan@example.com", factories.PASSWORD).status_code == 429

    admin = client.__class__()
    admin.force_login(morgan)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [jordan.pk]},
        follow=True,
    )
    assert "Unlocked 1 account; 1 record of failed logins removed." in response.content.decode()

    assert (
        attempt(client, "jordan@example.com", factories.PASSWORD, address="192.0.2.1").status_code
        == 302
    )


def test_the_locked_out_page_is_sent_with_the_site_policy(client, jordan):
    for _ in range(6):
        response = attempt(client, "jordan@example.com", "guess")
    assert response.status_code == 429
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- Which address is the client's ------------------------------------------------------


def _request(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post(LOGIN, REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "198.51.100.20", "198.51.100.20"),
        # The client wrote "1.2.3.4" itself; our one proxy appended the real address.
        (1, "1.2.3.4, 198.51.100.20", "198.51.100.20"),
        (2, "1.2.3.4, 198.51.100.20, 10.0.0.2", "198.51.100.20"),
        # Fewer entries than proxies: it bypassed one, only the socket address is known.
        (2, "198.51.100.20", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_read_from_the_right(
    settings, proxies, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request("10.0.0.1", forwarded)) == client


def test_a_spoofed_forwarded_address_does_not_escape_the_address_lock(client, settings, priya):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        attempt(
            client,
            f"nobody{number}@example.com",
            "guess",
            address="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"9.9.9.{number}, 203.0.113.9",
        )

    response = attempt(
        client,
        "priya@example.com",
        factories.PASSWORD,
        address="10.0.0.1",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.9",
    )
    assert response.status_code == 429


def test_the_username_is_read_as_the_login_form_reads_it():
    request = RequestFactory().post(LOGIN, {"username": " Jordan@Example.COM "})
    assert login_username(request, None) == "jordan@example.com"
    assert login_username(request, {"username": "Sam@X.example"}) == "sam@x.example"
