"""Reply templates: the name, the placeholders, filling them from an order, and the policy
engine's word when a template is saved.

Sam (owner of Northwind Home Goods) and Avery (his agent) keep the team's templates;
Jordan bought a duvet cover from them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from compliance.models import PolicySettings, RuleSetting
from messagecenter.core.errors import UserFacingError
from messagecenter.reply_templates.models import ReplyTemplate
from messagecenter.reply_templates.placeholders import fill, placeholders_in
from messagecenter.reply_templates.services import (
    TemplateBlocked,
    reply_template_create,
    reply_template_delete,
    reply_template_update,
)
from messagecenter.reply_templates.values import placeholder_values
from tests import factories

pytestmark = pytest.mark.django_db


BODY = "Hello {buyer_name}, order {order_number} will ship two days late, on {ship_date}."


def create(business, author, name="shipped", body=BODY, types=()):
    return reply_template_create(
        business=business, author=author, name=name, body=body, message_types=list(types)
    )


# --- placeholders --------------------------------------------------------------------------


def test_placeholders_are_read_in_order_each_once():
    body = "Hi {buyer_name}, order {order_number} ({product}) for {buyer_name}. {{not}} one."
    assert placeholders_in(body) == ["buyer_name", "order_number", "product"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("Arrives {deliverydate}.", "{deliverydate}"),
        ("Arrives {delivery date}.", "{delivery date}"),
        ("Arrives {}.", "{}"),
    ],
)
def test_an_unknown_placeholder_is_named(body, named):
    with pytest.raises(UserFacingError) as caught:
        placeholders_in(body)
    assert named in caught.value.message
    assert "{delivery_date}" in caught.value.message  # what can be used instead
    assert caught.value.field == "body"


@pytest.mark.parametrize(("body", "brace"), [("Arrives {delivery_date", "{"), ("a } b", "}")])
def test_a_lone_brace_is_named_with_its_position(body, brace):
    with pytest.raises(UserFacingError) as caught:
        placeholders_in(body)
    assert f"“{brace}”" in caught.value.message
    assert f"character {body.index(brace) + 1}" in caught.value.message


def test_fill_leaves_a_placeholder_without_value_and_names_it():
    filled = fill(
        "Dear {buyer_name}, it ships {ship_date}. {{braces}}",
        {"buyer_name": "Jordan Miles", "ship_date": None},
    )
    assert filled.text == "Dear Jordan Miles, it ships {ship_date}. {braces}"
    assert filled.missing == ("ship_date",)


def test_values_come_from_the_order_in_the_buyers_language(jordan, northwind):
    jordan.language = "de"
    jordan.time_zone = "Europe/Berlin"
    jordan.save()
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", lines=2)
    order.ordered_at = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 3 March in Berlin
    order.shipped_at = None
    order.save()
    values = placeholder_values(buyer=jordan, seller=northwind, order=order)
    assert values["buyer_name"] == "Jordan Miles"
    assert values["order_number"] == order.number
    assert values["product"] == "Linen Duvet Cover #1, Linen Duvet Cover #2"
    assert values["order_date"] == "3. März 2026"
    assert values["ship_date"] is None
    assert values["seller_name"] == "Northwind Home Goods"


def test_the_delivery_date_is_the_expected_window_before_delivery(jordan, northwind):
    jordan.language = "fr"
    jordan.save()
    order = factories.order(buyer=jordan, seller=northwind, status="shipped")
    order.earliest_delivery_date = date(2026, 5, 4)
    order.latest_delivery_date = date(2026, 5, 6)
    order.save()
    values = placeholder_values(buyer=jordan, seller=northwind, order=order)
    assert values["delivery_date"] == "4 mai 2026 au 6 mai 2026"
    order.latest_delivery_date = None
    assert (
        placeholder_values(buyer=jordan, seller=northwind, order=order)["delivery_date"]
        == "4 mai 2026"
    )
    order.earliest_delivery_date = None
    assert placeholder_values(buyer=jordan, seller=northwind, order=order)["delivery_date"] is None


# --- saving --------------------------------------------------------------------------------


def test_a_member_creates_a_template_and_who_did_is_kept(northwind, sam, avery):
    saved = create(northwind, avery, name="/Thanks", types=["shipment_delay", "reply"])
    template = ReplyTemplate.objects.get()
    assert saved.template == template and saved.warnings == []
    assert template.name == "Thanks"  # the "/" someone typed is not part of the name
    assert template.message_types == ["shipment_delay", "reply"]  # the catalogue's order
    assert template.created_by == avery and template.updated_by == avery

    reply_template_update(
        template=template,
        editor=sam,
        name="thanks",
        body="Thank you, {buyer_name}.",
        message_types=[],
    )
    template.refresh_from_db()
    assert (template.name, template.body, template.message_types) == (
        "thanks",
        "Thank you, {buyer_name}.",
        [],
    )
    assert template.created_by == avery and template.updated_by == sam


def test_names_are_unique_per_business_whatever_the_case(northwind, cascade, sam, maria):
    create(northwind, sam, name="Shipped")
    with pytest.raises(UserFacingError) as caught:
        create(northwind, sam, name="sHIPPED")
    assert caught.value.field == "name" and "sHIPPED" in caught.value.message
    create(cascade, maria, name="shipped")  # another business may use it
    assert ReplyTemplate.objects.count() == 2


def test_renaming_onto_a_teammates_name_is_refused(northwind, sam):
    create(northwind, sam, name="first")
    second = create(northwind, sam, name="second").template
    with pytest.raises(UserFacingError):
        reply_template_update(template=second, editor=sam, name="FIRST", body="x", message_types=[])
    # Saving a template under its own name (another case) is fine.
    reply_template_update(template=second, editor=sam, name="Second", body="y", message_types=[])


@pytest.mark.parametrize("name", ["", "two words", "-dash-first", "x" * 41, "a/b", "new\nline"])
def test_a_name_that_cannot_follow_a_slash_is_refused(northwind, sam, name):
    with pytest.raises(UserFacingError) as caught:
        create(northwind, sam, name=name)
    assert caught.value.field == "name"
    assert not ReplyTemplate.objects.exists()


def test_a_name_may_be_in_any_language(northwind, sam):
    assert create(northwind, sam, name="Lieferverzögerung").template.name == "Lieferverzögerung"


def test_an_unknown_placeholder_is_refused_on_save(northwind, sam):
    with pytest.raises(UserFacingError) as caught:
        create(northwind, sam, body="Arrives {deliverydate}.")
    assert "{deliverydate}" in caught.value.message
    assert not ReplyTemplate.objects.exists()


def test_an_unknown_type_and_an_empty_text_are_refused(northwind, sam):
    with pytest.raises(UserFacingError) as caught:
        create(northwind, sam, types=["buyer_inquiry"])  # a buyer's type
    assert caught.value.field == "message_types"
    with pytest.raises(UserFacingError) as caught:
        create(northwind, sam, body="   ")
    assert caught.value.field == "body"


# --- the policy on save --------------------------------------------------------------------


def test_a_template_the_policy_would_block_is_refused_with_the_rule(northwind, sam):
    with pytest.raises(TemplateBlocked) as caught:
        create(
            northwind, sam, body="Hi {buyer_name}, see our deals at https://cheap-deals.example.net"
        )
    (explanation,) = caught.value.explanations
    assert "“Reply”" in explanation
    assert "link.external" in explanation
    assert "cheap-deals.example.net" in explanation
    assert not ReplyTemplate.objects.exists()


def test_the_refusal_is_in_the_sellers_language(northwind, sam):
    with translation.override("de"), pytest.raises(TemplateBlocked) as caught:
        create(northwind, sam, body="Besuchen Sie https://cheap-deals.example.net")
    (explanation,) = caught.value.explanations
    assert explanation.startswith("Als „Antwort“")
    assert "link.external" in explanation
    assert "Links zu anderen Websites" in explanation


def test_each_limited_type_is_checked(northwind, sam):
    """A thank-you alone is a fine reply, but not a proactive message."""
    body = "Thank you for your order, {buyer_name}!"
    assert create(northwind, sam, name="thanks", body=body, types=["reply"]).warnings == []
    with pytest.raises(TemplateBlocked) as caught:
        create(northwind, sam, name="thanks2", body=body, types=["reply", "proactive_support"])
    (explanation,) = caught.value.explanations
    assert "content.thank_you_only" in explanation


def test_a_template_the_policy_would_redact_is_saved_with_a_warning(northwind, sam):
    saved = create(northwind, sam, body="Write to northwind.help@gmail.com for {order_number}.")
    assert ReplyTemplate.objects.filter(pk=saved.template.pk).exists()
    (warning,) = saved.warnings
    assert "contact.email" in warning


def test_a_template_the_policy_would_hold_is_saved_with_a_warning(northwind, sam):
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="link.external", action="flag")
    saved = create(northwind, sam, body="Care tips: https://my-shop.example.net/tips")
    (warning,) = saved.warnings
    assert "link.external" in warning


def test_a_type_that_needs_a_file_is_not_refused_for_lacking_one(northwind, sam):
    saved = create(northwind, sam, body="Your invoice for {order_number}.", types=["send_invoice"])
    assert saved.warnings == []


def test_sample_values_are_checked_not_the_placeholders(northwind, sam):
    """A placeholder is filled before the check: a long product title could not hide in
    "{product}", and "{order_number}" is not read as anything the rules catch."""
    saved = create(northwind, sam, body="Order {order_number}: {product} ships {ship_date}.")
    assert saved.warnings == []


def test_a_deleted_template_is_gone(northwind, sam):
    template = create(northwind, sam).template
    reply_template_delete(template=template)
    assert not ReplyTemplate.objects.exists()
