"""Everyone starts where their work is: administrators at the review queue with the
administrator's menu, sellers' teams in their inbox, buyers in theirs. A buyer who opens a
seller's page is sent back to their own start page and told why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def log_in_on_the_login_page(client, user):
    return client.post(
        reverse("login"),
        {"username": user.email, "password": factories.PASSWORD},
        follow=True,
    )


def main_menu(page: str) -> str:
    start = page.index('<nav class="main-nav" aria-label="Main">')
    return page[start : page.index("</nav>", start)]


def test_an_administrator_lands_on_the_review_queue_with_the_admin_menu(client, morgan):
    response = log_in_on_the_login_page(client, morgan)
    assert response.redirect_chain[-1][0] == reverse("review_queue")
    page = response.content.decode()
    assert "<h1>Review queue</h1>" in page
    menu = main_menu(page)
    for link in (reverse("review_queue"), reverse("restrictions"), reverse("admin:index")):
        assert f'href="{link}"' in menu
    # Not the buyer's menu: an administrator has no inbox, orders or shopping to do here.
    for link in (reverse("buyer_inbox"), reverse("buyer_orders"), reverse("products")):
        assert f'href="{link}"' not in menu


def test_the_restrictions_page_is_marked_as_the_current_admin_page(client, morgan):
    client.force_login(morgan)
    menu = main_menu(client.get(reverse("restrictions")).content.decode())
    assert f'<a href="{reverse("restrictions")}" aria-current="page"' in menu


@pytest.mark.parametrize(
    ("who", "start"), [("jordan", "buyer_inbox"), ("sam", "seller_inbox")], ids=["buyer", "seller"]
)
def test_buyers_and_sellers_still_land_in_their_inbox(client, request, who, start):
    response = log_in_on_the_login_page(client, request.getfixturevalue(who))
    assert response.redirect_chain[-1][0] == reverse(start)
    assert f'href="{reverse("review_queue")}"' not in main_menu(response.content.decode())


@pytest.mark.parametrize("seller_page", ["seller_orders", "seller_inbox"])
def test_a_buyer_opening_a_seller_page_is_sent_to_their_inbox(client, jordan, seller_page):
    client.force_login(jordan)
    response = client.get(reverse(seller_page), follow=True)
    assert response.redirect_chain[-1][0] == reverse("buyer_inbox")
    page = response.content.decode()
    assert "That page is for sellers&#x27; teams, and you do not work for a seller." in page
    assert "Manage Orders" not in page


def test_a_seller_still_gets_manage_orders(client, sam, jordans_order):
    client.force_login(sam)
    response = client.get(reverse("seller_orders"))
    assert response.status_code == 200
    assert jordans_order.number in response.content.decode()
