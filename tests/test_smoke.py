"""The main pages answer for the people they are for."""

from django.urls import reverse

from tests import factories


def test_logged_out_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_login_page_has_labelled_fields(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">Email</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert "Log in</button>" in page


def test_buyer_logs_in_by_email_and_lands_on_messages(client, jordan):
    response = client.post(
        reverse("login"), {"username": "Jordan@Example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").url == reverse("buyer_inbox")


def test_seller_lands_on_seller_messages(client, sam):
    client.force_login(sam)
    assert client.get("/").url == reverse("seller_inbox")


def test_wrong_password_says_so(client, jordan):
    response = client.post(reverse("login"), {"username": jordan.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_seller_sends_and_buyer_sees_it_unread(client, jordan, sam, jordans_order):
    client.force_login(sam)
    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {
            "message_type": "confirm_delivery_details",
            "subject": "Delivery window",
            "body": "Which day suits you for delivery?",
        },
    )
    assert response.status_code == 302
    client.force_login(jordan)
    inbox = client.get(reverse("buyer_inbox")).content.decode()
    assert "Northwind Home Goods" in inbox
    assert "inbox__row--unread" in inbox
    assert 'aria-label="1 unread"' in inbox
