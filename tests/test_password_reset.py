"""Jordan forgot the password: asks for a link on the login page, gets it by email (built
on SITE_URL, whatever Host the request named), chooses a new password and logs in. Asking
for an address nobody uses looks exactly the same and sends nothing."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests import factories

RESET = reverse("password_reset")
NEW_PASSWORD = "lantern-orchard-42"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://mc.example.com"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


def ask_for_link(client, email: str, **headers):
    return client.post(RESET, {"email": email}, follow=True, **headers)


def link_in(message) -> str:
    match = re.search(r"https://mc\.example\.com(/accounts/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_login_page_offers_a_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<a href="{RESET}">Forgot your password?</a>' in page

    form = client.get(RESET)
    assert form.status_code == 200
    assert "Reset your password" in form.content.decode()


def test_a_known_address_gets_a_link_built_on_site_url(client, jordan):
    response = ask_for_link(client, "Jordan@Example.com", HTTP_HOST="evil.example")

    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Check your email" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["jordan@example.com"]
    assert message.subject == "Reset your Marketplace Message Center password"
    assert "evil.example" not in message.body
    assert link_in(message).startswith("/accounts/reset/")


def _unmasked(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, jordan):
    known = ask_for_link(client, "jordan@example.com")
    unknown = ask_for_link(client, "nobody@example.com")

    assert unknown.redirect_chain == known.redirect_chain
    # The same page but for the CSRF token's per-response mask (the language switcher's).
    assert _unmasked(unknown) == _unmasked(known)
    assert len(mail.outbox) == 1


def test_a_malformed_address_is_named(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not mail.outbox


def test_choosing_a_new_password_through_the_link(client, jordan):
    ask_for_link(client, "jordan@example.com")
    link = link_in(mail.outbox[0])

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert "The two password fields didn’t match." in mismatch.content.decode()

    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )

    assert done.redirect_chain == [(reverse("password_reset_complete"), 302)]
    assert "Your password has been changed" in done.content.decode()
    jordan.refresh_from_db()
    assert jordan.check_password(NEW_PASSWORD)
    assert not jordan.check_password(factories.PASSWORD)
    login = client.post(
        reverse("login"), {"username": "jordan@example.com", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302

    client.logout()
    again = client.get(link, follow=True)
    assert "This reset link no longer works" in again.content.decode()


def test_a_tampered_link_is_refused(client, jordan):
    ask_for_link(client, "jordan@example.com")
    link = link_in(mail.outbox[0])
    page = client.get(link[:-3] + "xx/", follow=True).content.decode()
    assert "This reset link no longer works" in page
    assert reverse("password_reset") in page


def test_a_new_password_lifts_a_lock_on_the_account(client, jordan, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "jordan@example.com", "password": "guess"})
    assert AccessAttempt.objects.filter(username="jordan@example.com").exists()

    ask_for_link(client, "jordan@example.com")
    set_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert not AccessAttempt.objects.filter(username="jordan@example.com").exists()
    # From the same address as the failures: they no longer count against it either.
    login = client.post(
        reverse("login"), {"username": "jordan@example.com", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
