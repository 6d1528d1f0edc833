"""Jordan forgets the password, in a real browser: a few wrong guesses pause logging in,
the page says for how long and offers a reset; the emailed link leads to a new password,
and Jordan is in again at once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "lantern-orchard-42"


def test_locked_out_then_back_in_with_a_new_password(
    chromium: Browser, live_server, settings, jordan
):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SITE_URL = live_server.url
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        for guess in ["summer2024", "Summer2024!", "jordan123"]:
            page.get_by_label("Email").fill("jordan@example.com")
            page.get_by_label("Password").fill(guess)
            page.get_by_role("button", name="Log in").click()

        expect(page.get_by_role("heading", name="Logging in is paused")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text(
            "There were 3 failed logins for this account or from your network."
        )
        expect(page.get_by_role("alert")).to_contain_text("paused for 15 more minutes")

        # Even the right password is refused now.
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("jordan@example.com")
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Logging in is paused")).to_be_visible()

        page.get_by_role("link", name="Reset it by email").click()
        page.get_by_label("Email").fill("jordan@example.com")
        page.get_by_role("button", name="Email me a reset link").click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

        (email,) = mail.outbox
        link = re.search(r"(http://\S+/accounts/reset/\S+/)", email.body).group(1)
        page.goto(link)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Set new password").click()
        expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()

        page.get_by_role("link", name="Log in").last.click()
        page.get_by_label("Email").fill("jordan@example.com")
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    finally:
        context.close()
