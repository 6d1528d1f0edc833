"""The seller's page of addresses allowed to email buyers, tried as every kind of person.

Sam owns Northwind Home Goods and manages its list; Avery, an agent, can read it. Maria
runs Cascade Outdoor Supply and sees only Cascade's. Jordan (a buyer) and Morgan (staff,
not on any seller team) have no such page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from messagecenter.relay.models import ApprovedSender

URL = reverse("approved_senders")


@pytest.fixture
def support(northwind, sam):
    return ApprovedSender.objects.create(
        business=northwind,
        email="support@northwind.example",
        added_by=sam,
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def people(jordan, sam, avery, maria, morgan, support):
    return {"jordan": jordan, "sam": sam, "avery": avery, "maria": maria, "morgan": morgan}


def _as(client, people, actor):
    if actor != "anonymous":
        client.force_login(people[actor])
    return client


@pytest.mark.parametrize(
    ("actor", "status", "sees_northwind", "can_change"),
    [
        ("sam", 200, True, True),
        ("avery", 200, True, False),
        ("maria", 200, False, True),  # her own business, not Northwind's
        ("jordan", 404, False, False),
        ("morgan", 404, False, False),
        ("anonymous", 302, False, False),
    ],
)
def test_who_sees_the_page(client, people, actor, status, sees_northwind, can_change):
    response = _as(client, people, actor).get(URL)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
        return
    body = response.content.decode()
    assert ("support@northwind.example" in body) == sees_northwind
    assert ("avery@northwind.example" in body) == sees_northwind  # the team, always approved
    assert ('value="add"' in body) == can_change
    if actor == "avery":
        assert "Only an owner of Northwind Home Goods can change this list." in body
        assert 'value="remove"' not in body


ADD_OUTCOMES = [
    ("sam", 302, True),
    ("avery", 403, False),
    ("maria", 404, False),  # not her business: as if it did not exist
    ("jordan", 404, False),
    ("morgan", 404, False),
    ("anonymous", 302, False),
]


@pytest.mark.parametrize(("actor", "status", "added"), ADD_OUTCOMES)
def test_who_may_approve_an_address(client, people, northwind, actor, status, added):
    response = _as(client, people, actor).post(
        URL, {"business": northwind.pk, "action": "add", "email": "Help@Northwind.example"}
    )

    assert response.status_code == status
    assert ApprovedSender.objects.filter(email="help@northwind.example").exists() == added
    if added:
        assert response["Location"] == URL
        follow = client.get(URL).content.decode()
        assert "We emailed a confirmation link to help@northwind.example." in follow


@pytest.mark.parametrize(("actor", "status", "removed"), ADD_OUTCOMES)
def test_who_may_remove_an_address(client, people, northwind, support, actor, status, removed):
    response = _as(client, people, actor).post(
        URL, {"business": northwind.pk, "action": "remove", "approved_sender": support.pk}
    )

    assert response.status_code == status
    assert ApprovedSender.objects.filter(pk=support.pk).exists() == (not removed)


def test_another_owner_cannot_reach_an_address_through_their_own_business(
    client, people, cascade, support
):
    client.force_login(people["maria"])

    response = client.post(
        URL, {"business": cascade.pk, "action": "remove", "approved_sender": support.pk}
    )

    assert response.status_code == 404
    assert ApprovedSender.objects.filter(pk=support.pk).exists()


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("not an address", "Enter a whole email address"),
        ("k3v9abc@relay.marketplace.example", "masked marketplace address"),
        ("x@mx.relay.marketplace.example", "masked marketplace address"),
        ("Avery@northwind.example", "team member's address"),
        ("support@northwind.example", "already on the list"),
    ],
)
def test_addresses_that_cannot_be_approved_are_explained(client, people, northwind, email, problem):
    client.force_login(people["sam"])
    before = ApprovedSender.objects.count()

    response = client.post(URL, {"business": northwind.pk, "action": "add", "email": email})

    assert response.status_code == 400
    assert escape(problem) in response.content.decode()
    assert ApprovedSender.objects.count() == before


def test_the_page_costs_a_fixed_number_of_queries(
    client, people, northwind, sam, django_assert_max_num_queries
):
    for n in range(5):
        ApprovedSender.objects.create(business=northwind, email=f"desk{n}@northwind.example")
    client.force_login(people["sam"])

    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
