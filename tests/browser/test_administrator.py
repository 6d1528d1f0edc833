"""An administrator's day in a real browser, and the header on the screens people use.

Morgan logs in and lands on the review queue with the administrator's menu. He reads the
plain preview of Sam's held care guide, opens it, rewrites the subject and the body in the
editor, first presses Reject by mistake (no reason: he is told, and his edit is still
there), then saves his edit and approves it. Jordan reads the edited message. Morgan then
lifts Northwind's restriction after confirming it with a reason.

The header fits on one row at 1024 and 1280 pixels and in two short rows on a phone, for a
buyer, a seller with unread and overdue badges, and an administrator.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import SellerRestriction
from messagecenter.threads.models import Conversation
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARE_GUIDE = "Oil the pan lightly after each wash and dry it on the stove. " * 40

# A single row of the header: the brand, the menu and the account buttons side by side.
ONE_ROW_MAX_PX = 64
# Two short rows on a phone: brand and account buttons, then the menu.
PHONE_MAX_PX = 100


def header_rows(page: Page) -> dict[str, float]:
    """The header's height and how far apart its parts sit vertically."""
    return page.evaluate(
        """() => {
          const header = document.querySelector('header.site-header');
          const parts = ['.brand', '.main-nav', '.user-menu'].map(
            (s) => header.querySelector(s).getBoundingClientRect());
          const items = [...header.querySelectorAll('.main-nav li')].map(
            (li) => li.getBoundingClientRect().top);
          return {
            height: header.getBoundingClientRect().height,
            spread: Math.max(...parts.map((r) => r.top + r.height / 2))
                  - Math.min(...parts.map((r) => r.top + r.height / 2)),
            menuRows: new Set(items.map((t) => Math.round(t))).size,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
          };
        }"""
    )


def test_the_header_fits_on_one_row_at_desktop_widths_and_compactly_on_a_phone(
    log_in, jordan, sam, morgan, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    Conversation.objects.update(reply_due_at=timezone.now() - timedelta(hours=2))
    for person in (jordan, sam, morgan):
        page = log_in(person)
        for width, height in ((1280, 900), (1024, 768)):
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            rows = header_rows(page)
            assert rows["height"] <= ONE_ROW_MAX_PX, (person.email, width, rows)
            assert rows["spread"] <= 4, (person.email, width, rows)
            assert rows["menuRows"] == 1, (person.email, width, rows)
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        rows = header_rows(page)
        assert rows["height"] <= PHONE_MAX_PX, (person.email, "phone", rows)
        assert rows["menuRows"] == 1, (person.email, "phone", rows)
        assert rows["overflow"] <= 0, (person.email, "phone", rows)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_an_administrator_edits_a_held_message_and_lifts_a_restriction(
    log_in, sam, jordan, morgan, northwind, jordans_order
):
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    held = factories.seller_message(
        jordans_order,
        sam,
        CARE_GUIDE,
        message_type="proactive_support",
        subject="Caring for your pan",
    )
    assert held.status == Message.Status.HELD
    now = timezone.now()
    SellerRestriction.objects.create(
        business=northwind,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=29),
        reason="3 messages were blocked or rejected",
    )

    # Morgan lands on the review queue, with the administrator's menu.
    admin = log_in(morgan)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Review queue")
    menu = admin.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name=re.compile(r"^Review queue"))).to_be_visible()
    expect(menu.get_by_role("link", name="Restrictions")).to_be_visible()
    expect(menu.get_by_role("link", name="Your Orders")).to_have_count(0)
    expect(menu.get_by_role("link", name="Products")).to_have_count(0)

    # The queue row shows plain text and the rule once.
    row = admin.get_by_role("row").filter(has_text="Caring for your pan")
    expect(row).to_contain_text("Oil the pan lightly after each wash")
    expect(row.get_by_text("type.text_length")).to_have_count(1)
    row.get_by_role("link", name="Caring for your pan").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Review: Caring for your pan")

    # He rewrites subject and body, then presses Reject without a reason by mistake.
    admin.get_by_label("Subject").fill("How to care for your new pan")
    expect(admin.get_by_role("toolbar", name="Formatting")).to_be_visible()
    body = admin.get_by_role("textbox", name="Message")
    body.fill("Oil the pan lightly after each wash; it keeps the seasoning.")
    admin.get_by_role("button", name="Reject").click()
    expect(admin.get_by_role("alert").first).to_contain_text("Nothing was decided")
    expect(admin.get_by_text("Not rejected: write the reason first.")).to_be_visible()
    expect(admin.get_by_label("Subject")).to_have_value("How to care for your new pan")
    expect(admin.get_by_role("textbox", name="Message")).to_have_text(
        "Oil the pan lightly after each wash; it keeps the seasoning."
    )

    # He meant to approve his edit.
    admin.get_by_role("button", name="Save edits and approve").click()
    expect(admin.get_by_role("status")).to_contain_text(
        "Edited and approved: the message has been delivered."
    )
    expect(admin.get_by_text("Nothing is waiting for review.")).to_be_visible()

    # Jordan reads the edit, under the new subject.
    buyer = log_in(jordan)
    buyer.goto(f"/messages/{held.conversation_id}/")
    message = buyer.get_by_role("article", name=re.compile("Message from"))
    expect(message.last).to_contain_text("it keeps the seasoning")
    expect(buyer.get_by_text("dry it on the stove")).to_have_count(0)

    # Lifting Northwind's restriction asks first and needs a reason.
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Restrictions").click()
    admin.get_by_role("link", name=re.compile("Lift restriction")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "Lift the restriction on Northwind Home Goods?"
    )
    admin.get_by_role("button", name="Lift restriction").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "Lift the restriction on Northwind Home Goods?"
    )  # the browser asks for the required reason first
    admin.get_by_label("Why is the restriction lifted?").fill("Appeal upheld.")
    admin.get_by_role("button", name="Lift restriction").click()
    expect(admin.get_by_role("status")).to_contain_text("The restriction on Northwind Home Goods")
    expect(
        admin.get_by_role("cell", name=re.compile("by Morgan Admin: Appeal upheld."))
    ).to_be_visible()
