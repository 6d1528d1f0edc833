"""The templates pages and the filled templates a compose box asks for, as each kind of
person sees them; what a filled template becomes when it is sent; the pages' query counts.

Sam (owner) and Avery (agent) work for Northwind Home Goods, Maria for Cascade Outdoor
Supply. Jordan bought from Northwind; Priya is another buyer; Morgan an administrator.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.models import Message
from messagecenter.messaging.sending import message_send_product_question
from messagecenter.reply_templates.models import ReplyTemplate
from messagecenter.reply_templates.services import reply_template_create
from messagecenter.threads.models import Side
from tests import factories

pytestmark = pytest.mark.django_db

SHIPPING = "Hello {buyer_name}, order {order_number} ({product}) shipped on {ship_date}."


@pytest.fixture
def shipped_template(northwind, sam):
    return reply_template_create(
        business=northwind, author=sam, name="shipped", body=SHIPPING, message_types=[]
    ).template


@pytest.fixture
def conversation(jordans_order):
    return factories.buyer_message(jordans_order).conversation


def as_person(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


SELLERS_OF_NORTHWIND = ["sam", "avery"]
EVERYONE_ELSE = ["maria", "jordan", "priya", "morgan"]


# --- the templates page ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sam", "avery", "maria"])
def test_every_seller_team_member_has_the_page_with_only_their_templates(
    client, request, who, shipped_template
):
    response = as_person(client, request, who).get(reverse("reply_templates"))
    assert response.status_code == 200
    page = response.content.decode()
    assert ("/shipped" in page) == (who in SELLERS_OF_NORTHWIND)
    assert 'name="name"' in page  # the form for a new one


@pytest.mark.parametrize("who", ["jordan", "priya", "morgan"])
def test_people_who_work_for_no_seller_are_sent_to_their_start_page(client, request, who):
    response = as_person(client, request, who).get(reverse("reply_templates"))
    assert response.status_code == 302 and response.url == reverse("home")


def test_anonymous_visitors_are_asked_to_log_in(client, shipped_template):
    for url in (
        reverse("reply_templates"),
        reverse("reply_template_edit", args=[shipped_template.pk]),
        reverse("reply_templates_filled") + "?order=1",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("reply_template_delete", args=[shipped_template.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert ReplyTemplate.objects.filter(pk=shipped_template.pk).exists()


def test_the_seller_navigation_links_to_the_page(client, avery):
    client.force_login(avery)
    page = client.get(reverse("seller_inbox")).content.decode()
    assert f'href="{reverse("reply_templates")}"' in page


def test_an_agent_creates_a_template(client, avery):
    client.force_login(avery)
    response = client.post(
        reverse("reply_templates"),
        {
            "business": avery.memberships.get().business_id,
            "name": "delay",
            "body": "Sorry {buyer_name}, {product} will arrive on {delivery_date}.",
            "message_types": ["shipment_delay", "reply"],
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Template “delay” saved." in page
    assert "/delay" in page and "Shipment delay, Reply" in page
    template = ReplyTemplate.objects.get()
    assert template.created_by == avery and template.message_types == [
        "shipment_delay",
        "reply",
    ]


def test_a_blocked_template_is_refused_with_the_rules_explanation_and_the_text_kept(client, sam):
    client.force_login(sam)
    body = "Hi {buyer_name}! Our best deals: https://cheap-deals.example.net"
    response = client.post(
        reverse("reply_templates"),
        {"business": sam.memberships.get().business_id, "name": "deals", "body": body},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The message policy would block this template." in page
    assert "External link (link.external)" in page
    assert "cheap-deals.example.net" in page
    assert "{buyer_name}! Our best deals" in page  # nothing lost: the text is still there
    assert not ReplyTemplate.objects.exists()


def test_a_blocked_template_is_explained_in_the_sellers_language(client, sam):
    sam.language = "de"
    sam.save()
    client.force_login(sam)
    response = client.post(
        reverse("reply_templates"),
        {
            "business": sam.memberships.get().business_id,
            "name": "deals",
            "body": "Angebote: https://cheap-deals.example.net",
        },
    )
    page = response.content.decode()
    assert "Die Nachrichtenrichtlinie würde diese Vorlage blockieren." in page
    assert "(link.external)" in page and "Links zu anderen Websites" in page


def test_an_unknown_placeholder_is_named_on_the_page(client, sam):
    client.force_login(sam)
    response = client.post(
        reverse("reply_templates"),
        {"business": sam.memberships.get().business_id, "name": "x", "body": "On {dat}."},
    )
    assert response.status_code == 400
    assert "Unknown placeholder {dat}." in response.content.decode()


def test_a_redacted_template_is_saved_with_a_warning(client, sam):
    client.force_login(sam)
    response = client.post(
        reverse("reply_templates"),
        {
            "business": sam.memberships.get().business_id,
            "name": "mail",
            "body": "Write to northwind.help@gmail.com about {order_number}.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Template “mail” saved." in page
    assert "Saved, but the policy would change or hold messages made from it." in page
    assert "contact.email" in page
    assert ReplyTemplate.objects.filter(name="mail").exists()


def test_a_seller_cannot_create_a_template_for_another_business(client, maria, northwind):
    client.force_login(maria)
    response = client.post(
        reverse("reply_templates"), {"business": northwind.pk, "name": "x", "body": "Hello."}
    )
    assert response.status_code == 400
    assert not ReplyTemplate.objects.exists()


# --- one template: edit and delete -------------------------------------------------------------


@pytest.mark.parametrize("who", SELLERS_OF_NORTHWIND)
def test_the_team_edits_a_template(client, request, who, shipped_template):
    as_person(client, request, who)
    url = reverse("reply_template_edit", args=[shipped_template.pk])
    page = client.get(url).content.decode()
    assert "Template /shipped" in page and "Created" in page and "Sam Carter" in page
    response = client.post(
        url,
        {
            "business": shipped_template.business_id,
            "name": "shipped",
            "body": "On its way, {buyer_name}.",
            "message_types": ["reply"],
        },
    )
    assert response.status_code == 302
    shipped_template.refresh_from_db()
    assert shipped_template.body == "On its way, {buyer_name}."
    assert shipped_template.updated_by == request.getfixturevalue(who)


@pytest.mark.parametrize("who", SELLERS_OF_NORTHWIND)
def test_the_team_deletes_a_template(client, request, who, shipped_template):
    as_person(client, request, who)
    response = client.post(
        reverse("reply_template_delete", args=[shipped_template.pk]), follow=True
    )
    assert "Template “shipped” deleted." in response.content.decode()
    assert not ReplyTemplate.objects.exists()


@pytest.mark.parametrize("who", EVERYONE_ELSE)
def test_anyone_else_finds_no_such_template(client, request, who, shipped_template):
    as_person(client, request, who)
    edit = reverse("reply_template_edit", args=[shipped_template.pk])
    assert client.get(edit).status_code == 404
    posted = {"business": shipped_template.business_id, "name": "mine", "body": "Mine now."}
    assert client.post(edit, posted).status_code == 404
    delete = reverse("reply_template_delete", args=[shipped_template.pk])
    assert client.post(delete).status_code == 404
    shipped_template.refresh_from_db()
    assert shipped_template.name == "shipped"
    # A template that does not exist answers the same.
    assert client.get(reverse("reply_template_edit", args=[999_999])).status_code == 404


def test_delete_needs_a_post(client, sam, shipped_template):
    client.force_login(sam)
    assert (
        client.get(reverse("reply_template_delete", args=[shipped_template.pk])).status_code == 405
    )
    assert ReplyTemplate.objects.exists()


# --- the templates filled for a compose box ----------------------------------------------------


def filled(client, **query):
    return client.get(reverse("reply_templates_filled"), query)


@pytest.mark.parametrize("who", SELLERS_OF_NORTHWIND)
def test_the_team_gets_templates_filled_from_the_conversations_order(
    client, request, who, conversation, jordans_order, shipped_template, maria
):
    reply_template_create(
        business=maria.memberships.get().business,
        author=maria,
        name="cascade",
        body="Cascade's own.",
        message_types=[],
    )
    as_person(client, request, who)
    for query in ({"conversation": conversation.pk}, {"order": jordans_order.number}):
        response = filled(client, **query)
        assert response.status_code == 200
        data = response.json()
        (template,) = data["templates"]  # never another business's
        assert template["name"] == "shipped"
        assert template["text"].startswith(
            f"Hello Jordan Miles, order {jordans_order.number} (Linen Duvet Cover) shipped on "
        )
        assert "{ship_date}" not in template["text"] and template["missing"] == []
        assert data["manage_url"] == reverse("reply_templates")


def test_a_placeholder_without_value_is_left_and_named(client, sam, northwind, jordan):
    unshipped = factories.order(buyer=jordan, seller=northwind, status="unshipped")
    reply_template_create(
        business=northwind,
        author=sam,
        name="eta",
        body="Arrives {delivery_date}.",
        message_types=[],
    )
    client.force_login(sam)
    (template,) = filled(client, order=unshipped.number).json()["templates"]
    assert template["text"] == "Arrives {delivery_date}."
    assert template["missing"] == ["delivery_date"]
    assert "There is no value for {delivery_date} here" in template["note"]


def test_a_product_question_has_no_order_number(client, sam, northwind, jordan):
    product = factories.product(northwind, "Enamel Kettle")
    sent = message_send_product_question(
        product=product,
        draft=Draft(
            sender=jordan,
            side=Side.BUYER,
            message_type="product_question",
            subject="Kettle",
            body="Does it work on induction?",
        ),
    )
    reply_template_create(
        business=northwind,
        author=sam,
        name="q",
        body="{product} for order {order_number}",
        message_types=[],
    )
    client.force_login(sam)
    (template,) = filled(client, conversation=sent.message.conversation_id).json()["templates"]
    assert template["text"] == "Enamel Kettle for order {order_number}"
    assert template["missing"] == ["order_number"]


@pytest.mark.parametrize("who", EVERYONE_ELSE)
def test_anyone_else_gets_no_filled_templates(
    client, request, who, conversation, jordans_order, shipped_template
):
    as_person(client, request, who)
    assert filled(client, conversation=conversation.pk).status_code == 404
    assert filled(client, order=jordans_order.number).status_code == 404


def test_a_malformed_conversation_id_is_a_bad_request(client, sam):
    client.force_login(sam)
    assert filled(client, conversation="12x").status_code == 400


def test_the_dates_are_in_the_buyers_language(client, sam, jordan, jordans_order, shipped_template):
    jordan.language = "it"
    jordan.save()
    client.force_login(sam)
    (template,) = filled(client, order=jordans_order.number).json()["templates"]
    month = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ]
    assert any(m in template["text"].lower() for m in month)


# --- where the picker is -------------------------------------------------------------------------


def test_the_seller_compose_boxes_carry_the_picker_and_the_buyers_do_not(
    client, sam, jordan, conversation, jordans_order
):
    client.force_login(sam)
    reply_page = client.get(reverse("seller_conversation", args=[conversation.pk])).content
    assert f'?conversation={conversation.pk}"'.encode() in reply_page
    assert b"js/reply-templates.js" in reply_page
    contact = client.get(reverse("contact_buyer", args=[jordans_order.number])).content
    assert b"data-reply-templates" in contact
    client.force_login(jordan)
    buyer_page = client.get(reverse("buyer_conversation", args=[conversation.pk])).content
    assert b"data-reply-templates" not in buyer_page


# --- sent: the send path is the final word ----------------------------------------------------


def test_a_fine_template_filled_with_an_orders_value_that_breaks_a_rule_is_blocked_on_send(
    client, sam, jordan, northwind
):
    """The product's title as bought carries a web address: the template passed on save
    with a sample product, the filled message does not pass on Send."""
    order = factories.order(
        buyer=jordan, seller=northwind, title="Tent (see https://cheap-tents.example.net)"
    )
    conversation = factories.buyer_message(order).conversation
    reply_template_create(
        business=northwind,
        author=sam,
        name="thanks",
        body="Your {product} shipped.",
        message_types=["reply"],
    )
    client.force_login(sam)
    (template,) = filled(client, conversation=conversation.pk).json()["templates"]
    response = client.post(
        reverse("seller_conversation", args=[conversation.pk]), {"body": template["text"]}
    )
    assert "cheap-tents.example.net" in response.content.decode()  # the draft is kept
    latest = Message.objects.filter(conversation=conversation).latest("id")
    assert latest.status == Message.Status.BLOCKED
    assert latest.body_text == template["text"]
    assert list(latest.violations.values_list("rule", flat=True)) == ["link.external"]


def test_a_filled_template_edited_in_the_editor_is_judged_as_sent(
    client, sam, conversation, shipped_template
):
    client.force_login(sam)
    (template,) = filled(client, conversation=conversation.pk).json()["templates"]
    edited = template["text"] + " Coupon SAVE20 for 20% off your next order!"
    client.post(reverse("seller_conversation", args=[conversation.pk]), {"body": edited})
    latest = Message.objects.filter(conversation=conversation).latest("id")
    assert latest.status == Message.Status.BLOCKED
    assert "promo.marketing" in latest.violations.values_list("rule", flat=True)


def test_a_filled_template_sent_as_it_is_is_delivered(client, sam, conversation, shipped_template):
    client.force_login(sam)
    (template,) = filled(client, conversation=conversation.pk).json()["templates"]
    client.post(reverse("seller_conversation", args=[conversation.pk]), {"body": template["text"]})
    latest = Message.objects.filter(conversation=conversation).latest("id")
    assert latest.status == Message.Status.DELIVERED
    assert latest.body_text == template["text"]


# --- query counts ----------------------------------------------------------------------------


def add_templates(business, author, start, count):
    for i in range(start, start + count):
        reply_template_create(
            business=business,
            author=author,
            name=f"t{i}",
            body=f"Text {i} for {{buyer_name}}.",
            message_types=["reply"] if i % 2 else [],
        )


def count_queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_templates_page_costs_the_same_with_many_templates(client, sam, avery, northwind):
    client.force_login(sam)
    add_templates(northwind, avery, 0, 3)
    few = count_queries(client, reverse("reply_templates"))
    add_templates(northwind, sam, 3, 30)
    assert count_queries(client, reverse("reply_templates")) == few
    assert few <= 12


def test_the_filled_templates_cost_the_same_with_many_templates(
    client, sam, northwind, conversation, jordans_order
):
    client.force_login(sam)
    add_templates(northwind, sam, 0, 3)
    urls = [
        reverse("reply_templates_filled") + f"?conversation={conversation.pk}",
        reverse("reply_templates_filled") + f"?order={jordans_order.number}",
    ]
    few = [count_queries(client, url) for url in urls]
    add_templates(northwind, sam, 3, 30)
    assert [count_queries(client, url) for url in urls] == few
    assert max(few) <= 6
