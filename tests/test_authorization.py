"""Who may open what: every page, form post and file download, tried as every kind of person.

The story: Jordan bought an order from Northwind Home Goods and talked with the shop about
it, attaching a receipt. Sam owns Northwind and Avery answers messages for it. Priya is
another buyer; Maria runs Cascade Outdoor Supply, another seller. Morgan is a staff
administrator: she can use the Django admin and download any file from it, but she is not
a party to anyone's conversation, so the buyer and seller pages treat her like a stranger;
the review queue for held messages and the seller restrictions are hers alone.

Someone for whom a thing is not theirs gets exactly the answer they would get for an id
that does not exist, and nothing they send is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.contrib.messages import get_messages
from django.urls import get_resolver, reverse
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.api.models import ApiToken
from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.models import Attachment, Message
from messagecenter.moderation.models import SellerRestriction
from messagecenter.notes.models import ConversationNote
from messagecenter.reply_templates.models import ReplyTemplate
from messagecenter.reply_templates.services import reply_template_create
from messagecenter.threads.models import (
    Conversation,
    ConversationStateChange,
    ReadState,
    Side,
)
from messagecenter.webhooks.models import WebhookDelivery, WebhookEndpoint
from orders.models import Order, Product
from tests import factories
from tests.previews import samples

# Outcomes, one per cell of the matrix below.
OK = "ok"  # 200, the page (or the live check's answer) is shown
LISTED = "listed"  # GET of a list: 200, and the story's row is on it
UNLISTED = "unlisted"  # GET of a list: 200, and the story's row is not on it
SENT = "sent"  # POST: 302, exactly one new message, written by this person
DONE = "done"  # POST: 302, and the decision took effect
NOT_FOUND = "404"  # same status and body as for a missing id; nothing changes
LOGIN = "login"  # 302 to the login page; nothing changes
HOME = "home"  # a page for someone else (a seller's): 302 to the person's start page
REFUSED = "refused"  # POST of ids: 302 back with an error naming the problem; nothing changes

ACTORS = ("jordan", "priya", "sam", "avery", "maria", "anonymous", "morgan")

MISSING_ID = 987_654_321
MISSING_ORDER_NUMBER = "999-0000000-0000000"


@dataclass(frozen=True)
class Story:
    order: Order
    conversation: Conversation
    attachment: Attachment
    product: Product
    file_bytes: bytes
    held: Message  # a seller message waiting for review
    restriction: SellerRestriction  # on Cascade, not on the story's seller
    teammate: User  # Avery, whom a conversation can be assigned to
    api_token: ApiToken  # Sam's
    webhook: WebhookEndpoint  # Northwind's, with one failed delivery
    webhook_delivery: WebhookDelivery


@dataclass(frozen=True)
class Endpoint:
    url_name: str
    method: str = "get"
    # The object the request is about, or None for a page without one.
    target: Callable[[Story], object] | None = None
    # The form data, or a function of the story for data that names its objects.
    form: dict[str, str] | Callable[[Story], dict[str, str]] = field(default_factory=dict)
    # Send the target in this form field instead of in the URL.
    target_field: str = ""

    def request_for(self, story: Story, *, missing: bool = False) -> tuple[str, dict]:
        """The URL and form data; with missing=True, the same request for an id that
        does not exist (or, for a page without an id, for a page that does not exist)."""
        form = self.form(story) if callable(self.form) else self.form
        if self.target is None:
            url = reverse(self.url_name)
            return (f"{url}no-such-page/" if missing else url), form
        value = self.target(story)
        if missing:
            value = MISSING_ORDER_NUMBER if isinstance(value, str) else MISSING_ID
        if self.target_field:
            return reverse(self.url_name), {**form, self.target_field: value}
        return reverse(self.url_name, args=[value]), form


def _order_number(story: Story) -> str:
    return story.order.number


def _conversation_id(story: Story) -> int:
    return story.conversation.pk


REPLY = {"body": "Thanks, that helps."}
BUYER_COMPOSE = {
    "topic": "product_question",
    "subject": "A question",
    "body": "Does it come gift-wrapped?",
}
LIVE_CHECK = {"body": "Which day suits you for delivery?", "message_type": "reply"}
SELLER_COMPOSE = {
    "message_type": "confirm_delivery_details",
    "subject": "Delivery window",
    "body": "Which day suits you for delivery?",
}

ENDPOINTS = {
    "buyer inbox": Endpoint("buyer_inbox"),
    "buyer conversation": Endpoint("buyer_conversation", target=_conversation_id),
    "buyer reply": Endpoint("buyer_conversation", "post", _conversation_id, REPLY),
    "Your Orders": Endpoint("buyer_orders"),
    "contact seller": Endpoint("contact_seller", target=_order_number),
    "contact seller send": Endpoint("contact_seller", "post", _order_number, BUYER_COMPOSE),
    "products": Endpoint("products"),
    "ask about product": Endpoint("ask_product", target=lambda s: s.product.pk),
    "ask about product send": Endpoint(
        "ask_product", "post", lambda s: s.product.pk, BUYER_COMPOSE
    ),
    "Manage Orders": Endpoint("seller_orders"),
    "seller order": Endpoint("seller_order", target=_order_number),
    "Contact Buyer": Endpoint("contact_buyer", target=_order_number),
    "Contact Buyer send": Endpoint("contact_buyer", "post", _order_number, SELLER_COMPOSE),
    "seller inbox": Endpoint("seller_inbox"),
    "seller conversation": Endpoint("seller_conversation", target=_conversation_id),
    "seller reply": Endpoint("seller_conversation", "post", _conversation_id, REPLY),
    "seller conversation pane": Endpoint("seller_conversation_pane", target=_conversation_id),
    "assign conversation": Endpoint(
        "conversation_assign", "post", _conversation_id, lambda s: {"assignee": str(s.teammate.pk)}
    ),
    "no response needed": Endpoint(
        "conversation_no_response_needed",
        "post",
        _conversation_id,
        lambda s: {"message": str(s.attachment.message_id)},
    ),
    "add internal note": Endpoint(
        "conversation_note_add", "post", _conversation_id, {"body": "Check the lid first."}
    ),
    "close conversation": Endpoint("conversation_close", "post", _conversation_id),
    "reopen conversation": Endpoint("conversation_reopen", "post", _conversation_id),
    "mark unread": Endpoint("conversation_mark_unread", "post", _conversation_id),
    "snooze conversation": Endpoint(
        "conversation_snooze", "post", _conversation_id, {"quick": "later"}
    ),
    "wake conversation": Endpoint("conversation_wake", "post", _conversation_id),
    "bulk close": Endpoint(
        "conversation_bulk_actions",
        "post",
        _conversation_id,
        {"action": "close"},
        target_field="conversation",
    ),
    "seller performance": Endpoint("seller_performance"),
    "attachment download": Endpoint("attachment_download", target=lambda s: s.attachment.pk),
    "attachment preview": Endpoint("attachment_preview", target=lambda s: s.attachment.pk),
    "live check (order)": Endpoint(
        "compliance_check", "post", _order_number, LIVE_CHECK, target_field="order"
    ),
    "live check (thread)": Endpoint(
        "compliance_check", "post", _conversation_id, LIVE_CHECK, target_field="conversation"
    ),
    "review queue": Endpoint("review_queue"),
    "review message": Endpoint("review_message", target=lambda s: s.held.pk),
    "review decision": Endpoint(
        "review_message", "post", lambda s: s.held.pk, {"decision": "approve"}
    ),
    "restrictions": Endpoint("restrictions"),
    "settings": Endpoint("notification_settings"),
    # The product of the story's order finds its conversation (tests/search has the rest).
    "search (buyer side)": Endpoint("search", form={"q": "duvet", "side": "buyer"}),
    "search (seller side)": Endpoint("search", form={"q": "duvet", "side": "seller"}),
    "sending addresses": Endpoint("approved_senders"),
    "topic routing": Endpoint("topic_routing"),
    "lift restriction page": Endpoint("restriction_lift", target=lambda s: s.restriction.pk),
    "lift restriction": Endpoint(
        "restriction_lift", "post", lambda s: s.restriction.pk, {"reason": "Appeal accepted."}
    ),
    "API tokens": Endpoint("api_tokens"),
    "create API token": Endpoint("api_tokens", "post", form={"name": "Zendesk"}),
    "revoke API token": Endpoint("api_token_revoke", "post", lambda s: s.api_token.pk),
    "webhooks": Endpoint("webhooks"),
    "register webhook": Endpoint(
        "webhooks",
        "post",
        lambda s: s.webhook.business_id,
        {"url": "https://93.184.215.14/hooks", "events": "buyer_message.received"},
        target_field="business",
    ),
    "webhook deliveries": Endpoint("webhook_endpoint", target=lambda s: s.webhook.pk),
    "remove webhook": Endpoint("webhook_delete", "post", lambda s: s.webhook.pk),
    "resend webhook delivery": Endpoint("webhook_resend", "post", lambda s: s.webhook_delivery.pk),
    # What a live page fetches on an event (inbox/views/live.py).
    "buyer live messages": Endpoint("buyer_live_messages", target=_conversation_id),
    "buyer live status": Endpoint("buyer_live_status", target=_conversation_id),
    "seller live messages": Endpoint("seller_live_messages", target=_conversation_id),
    "seller live status": Endpoint("seller_live_status", target=_conversation_id),
    "live badges": Endpoint("live_badges"),
    # Reply templates: the story's is Northwind's "thanks" (reply_templates/access.py).
    "reply templates": Endpoint("reply_templates"),
    "create reply template": Endpoint(
        "reply_templates",
        "post",
        lambda s: s.order.seller_id,
        {"name": "welcome", "body": "Welcome, {buyer_name}."},
        target_field="business",
    ),
    "reply template": Endpoint("reply_template_edit", target=lambda s: _story_template().pk),
    "change reply template": Endpoint(
        "reply_template_edit",
        "post",
        lambda s: _story_template().pk,
        lambda s: {"business": str(s.order.seller_id), "name": "thanks", "body": "Changed."},
    ),
    "delete reply template": Endpoint(
        "reply_template_delete", "post", lambda s: _story_template().pk
    ),
    "filled templates (order)": Endpoint("reply_templates_for_order", target=_order_number),
    "filled templates (thread)": Endpoint(
        "reply_templates_for_conversation", target=_conversation_id
    ),
}

# A product is public: anyone logged in may ask about it, except its own seller's team.
# Morgan asking a question is Morgan shopping, not Morgan administering. The review pages
# are for staff; to anyone else they look like pages that do not exist.
# fmt: off
MATRIX = {
    #                          jordan     priya      sam        avery      maria      anonymous  morgan  # noqa: E501
    "buyer inbox":            (LISTED,    UNLISTED,  UNLISTED,  UNLISTED,  UNLISTED,  LOGIN,     UNLISTED),  # noqa: E501
    "buyer conversation":     (OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "buyer reply":            (SENT,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "Your Orders":            (LISTED,    UNLISTED,  UNLISTED,  UNLISTED,  UNLISTED,  LOGIN,     UNLISTED),  # noqa: E501
    "contact seller":         (OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "contact seller send":    (SENT,      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "products":               (LISTED,    LISTED,    UNLISTED,  UNLISTED,  LISTED,    LOGIN,     LISTED),  # noqa: E501
    "ask about product":      (OK,        OK,        NOT_FOUND, NOT_FOUND, OK,        LOGIN,     OK),  # noqa: E501
    "ask about product send": (SENT,      SENT,      NOT_FOUND, NOT_FOUND, SENT,      LOGIN,     SENT),  # noqa: E501
    "Manage Orders":          (HOME,      HOME,      LISTED,    LISTED,    UNLISTED,  LOGIN,     HOME),  # noqa: E501
    "seller order":           (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "Contact Buyer":          (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "Contact Buyer send":     (NOT_FOUND, NOT_FOUND, SENT,      SENT,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "seller inbox":           (HOME,      HOME,      LISTED,    LISTED,    UNLISTED,  LOGIN,     HOME),  # noqa: E501
    "seller conversation":    (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "seller reply":           (NOT_FOUND, NOT_FOUND, SENT,      SENT,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "seller conversation pane": (NOT_FOUND, NOT_FOUND, OK,      OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "assign conversation":    (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "no response needed":     (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "add internal note":      (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "close conversation":     (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "reopen conversation":    (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "mark unread":            (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "snooze conversation":    (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "wake conversation":      (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    # Another seller's id among the selected: refused whole, the error says why.
    "bulk close":             (HOME,      HOME,      DONE,      DONE,      REFUSED,   LOGIN,     HOME),  # noqa: E501
    "seller performance":     (NOT_FOUND, NOT_FOUND, OK,        OK,        OK,        LOGIN,     NOT_FOUND),  # noqa: E501
    "attachment download":    (OK,        NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     OK),  # noqa: E501
    "attachment preview":     (OK,        NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     OK),  # noqa: E501
    "live check (order)":     (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "live check (thread)":    (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "review queue":           (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     LISTED),  # noqa: E501
    "review message":         (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     OK),  # noqa: E501
    "review decision":        (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     DONE),  # noqa: E501
    "restrictions":           (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     LISTED),  # noqa: E501
    "settings":               (OK,        OK,        OK,        OK,        OK,        LOGIN,     OK),  # noqa: E501
    # Administrators search everything (their results lead to the admin's pages).
    "search (buyer side)":    (LISTED,    UNLISTED,  UNLISTED,  UNLISTED,  UNLISTED,  LOGIN,     OK),  # noqa: E501
    "search (seller side)":   (UNLISTED,  UNLISTED,  LISTED,    LISTED,    UNLISTED,  LOGIN,     OK),  # noqa: E501
    "sending addresses":      (NOT_FOUND, NOT_FOUND, OK,        OK,        OK,        LOGIN,     NOT_FOUND),  # noqa: E501
    # Changing it (owners only): tests/test_buyer_topics.py.
    "topic routing":          (NOT_FOUND, NOT_FOUND, OK,        OK,        OK,        LOGIN,     NOT_FOUND),  # noqa: E501
    "lift restriction page":  (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     OK),  # noqa: E501
    "lift restriction":       (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     DONE),  # noqa: E501
    # API tokens are personal; webhooks are managed by the seller business's owners.
    "API tokens":             (UNLISTED,  UNLISTED,  LISTED,    UNLISTED,  UNLISTED,  LOGIN,     UNLISTED),  # noqa: E501
    "create API token":       (OK,        OK,        OK,        OK,        OK,        LOGIN,     OK),  # noqa: E501
    "revoke API token":       (NOT_FOUND, NOT_FOUND, DONE,      NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "webhooks":               (UNLISTED,  UNLISTED,  LISTED,    UNLISTED,  UNLISTED,  LOGIN,     UNLISTED),  # noqa: E501
    "register webhook":       (NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "webhook deliveries":     (NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "remove webhook":         (NOT_FOUND, NOT_FOUND, DONE,      NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "resend webhook delivery": (NOT_FOUND, NOT_FOUND, DONE,     NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "buyer live messages":    (OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "buyer live status":      (OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "seller live messages":   (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "seller live status":     (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "live badges":            (OK,        OK,        OK,        OK,        OK,        LOGIN,     OK),  # noqa: E501
    # Any member of the business keeps its templates; people of no seller team go home.
    "reply templates":        (HOME,      HOME,      LISTED,    LISTED,    UNLISTED,  LOGIN,     HOME),  # noqa: E501
    "create reply template":  (HOME,      HOME,      DONE,      DONE,      NOT_FOUND, LOGIN,     HOME),  # noqa: E501
    "reply template":         (NOT_FOUND, NOT_FOUND, OK,        OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "change reply template":  (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "delete reply template":  (NOT_FOUND, NOT_FOUND, DONE,      DONE,      NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "filled templates (order)": (NOT_FOUND, NOT_FOUND, OK,      OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
    "filled templates (thread)": (NOT_FOUND, NOT_FOUND, OK,     OK,        NOT_FOUND, LOGIN,     NOT_FOUND),  # noqa: E501
}
# fmt: on


# Pages anyone may open, logged in or not; everything else in urls.py is in the matrix.
PUBLIC_PAGES = {
    "home",
    # The language switcher: anyone may choose a language (tests/test_user_locale.py).
    "switch_language",
    # The scripts' translations: the same public strings as the static files.
    "javascript_catalog",
    "healthz",
    "login",
    "logout",
    # Password reset: for people who cannot log in; the link's token is the access check.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The confirmation link mailed to a new sending address: its signed, expiring token is
    # the access check (tests/relay/test_sender_confirmation.py).
    "approved_sender_confirm",
}


def _matrix_cases() -> list:
    assert set(MATRIX) == set(ENDPOINTS), "every endpoint has a row, every row an endpoint"
    return [
        pytest.param(page, actor, outcome, id=f"{page}-{actor}")
        for page, row in MATRIX.items()
        for actor, outcome in zip(ACTORS, row, strict=True)
    ]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Seven people per case; the real hasher would make the matrix take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


STORY_TEMPLATE_BODY = "Thank you, {buyer_name}: order {order_number} is on its way."


def _story_template() -> ReplyTemplate:
    return ReplyTemplate.objects.get(name="thanks")


@pytest.fixture
def story(jordan, priya, sam, avery, maria, morgan, northwind, cascade, jordans_order) -> Story:
    opening = factories.seller_message(jordans_order, sam)
    receipt = factories.pdf_upload("receipt.pdf")
    file_bytes = receipt.read()
    receipt.seek(0)
    with_file = factories.buyer_message(
        jordans_order, "The parcel is damaged; receipt attached.", attachments=[receipt]
    )
    assert opening.is_delivered and with_file.is_delivered
    held = Message.objects.create(
        conversation=with_file.conversation,
        sender=sam,
        sender_side=Side.SELLER,
        message_type="confirm_order_details",
        subject=f"Order {jordans_order.number}",
        body_text="Could you check the parcel once more?",
        body_html="<p>Could you check the parcel once more?</p>",
        status=Message.Status.HELD,
    )
    now = timezone.now()
    restriction = SellerRestriction.objects.create(
        business=cascade,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=6),
        reason="Three messages were blocked this week.",
    )
    webhook = WebhookEndpoint.objects.create(
        business=northwind,
        url="http://127.0.0.1:9/hook",  # never reached: loopback is refused by default
        events=["buyer_message.received"],
        secret="whsec_story",
    )
    reply_template_create(
        business=northwind, author=sam, name="thanks", body=STORY_TEMPLATE_BODY, message_types=[]
    )
    return Story(
        order=jordans_order,
        conversation=with_file.conversation,
        # with the preview the worker would have drawn (tests/previews has the drawing)
        attachment=samples.give_preview(with_file.attachments.get()),
        product=factories.product(northwind, "Cast Iron Dutch Oven"),
        file_bytes=file_bytes,
        held=held,
        restriction=restriction,
        teammate=avery,
        api_token=api_token_create(user=sam, name="Helpdesk").token,
        webhook=webhook,
        webhook_delivery=WebhookDelivery.objects.create(
            endpoint=webhook,
            event="buyer_message.received",
            payload={"event": "buyer_message.received"},
            status=WebhookDelivery.Status.FAILED,
            window_started_at=now,
        ),
    )


def _client_for(client, request, actor: str):
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    return client


def _send(client, method: str, url: str, form: dict[str, str]):
    return client.post(url, form) if method == "post" else client.get(url, form)


def _state() -> dict[str, int]:
    """Everything a refused request must leave as it was."""
    return {
        "messages": Message.objects.count(),
        "held messages": Message.objects.filter(status=Message.Status.HELD).count(),
        "attachments": Attachment.objects.count(),
        "conversations": Conversation.objects.count(),
        "read markers": ReadState.objects.count(),
        "restrictions in force": SellerRestriction.objects.filter(lifted_at=None).count(),
        "assigned conversations": Conversation.objects.exclude(assigned_to=None).count(),
        "no response needed": Message.objects.exclude(no_response_needed_at=None).count(),
        "closed conversations": Conversation.objects.exclude(closed_at=None).count(),
        "snoozed conversations": Conversation.objects.exclude(snoozed_until=None).count(),
        "state changes": ConversationStateChange.objects.count(),
        "API tokens in force": ApiToken.objects.filter(revoked_at=None).count(),
        "webhooks": WebhookEndpoint.objects.count(),
        "webhook deliveries pending": WebhookDelivery.objects.filter(status="pending").count(),
        "internal notes": ConversationNote.objects.count(),
        "reply templates": ReplyTemplate.objects.count(),
        "story's reply template as written": ReplyTemplate.objects.filter(
            name="thanks", body=STORY_TEMPLATE_BODY
        ).count(),
    }


# The link that shows the story's row on each list page.
ROW_LINKS: dict[str, Callable[[Story], str]] = {
    "buyer inbox": lambda s: reverse("buyer_conversation", args=[s.conversation.pk]),
    "Your Orders": lambda s: reverse("contact_seller", args=[s.order.number]),
    "products": lambda s: reverse("ask_product", args=[s.product.pk]),
    "Manage Orders": lambda s: reverse("seller_order", args=[s.order.number]),
    "seller inbox": lambda s: reverse("seller_conversation", args=[s.conversation.pk]),
    "search (buyer side)": lambda s: reverse("buyer_conversation", args=[s.conversation.pk]),
    "search (seller side)": lambda s: reverse("seller_conversation", args=[s.conversation.pk]),
    "review queue": lambda s: reverse("review_message", args=[s.held.pk]),
    "restrictions": lambda s: reverse("restriction_lift", args=[s.restriction.pk]),
    "API tokens": lambda s: reverse("api_token_revoke", args=[s.api_token.pk]),
    "webhooks": lambda s: reverse("webhook_endpoint", args=[s.webhook.pk]),
    "reply templates": lambda s: reverse("reply_template_edit", args=[_story_template().pk]),
}


def _state_of(story: Story) -> Conversation:
    return Conversation.objects.get(pk=story.conversation.pk)


# How to tell that a staff decision took effect.
DECISIONS_TAKEN: dict[str, Callable[[Story], bool]] = {
    "review decision": lambda s: Message.objects.get(pk=s.held.pk).is_delivered,
    "lift restriction": lambda s: (
        SellerRestriction.objects.get(pk=s.restriction.pk).lifted_at is not None
    ),
    "assign conversation": lambda s: (
        Conversation.objects.get(pk=s.conversation.pk).assigned_to_id == s.teammate.pk
    ),
    "no response needed": lambda s: (
        Message.objects.get(pk=s.attachment.message_id).no_response_needed_at is not None
    ),
    "add internal note": lambda s: ConversationNote.objects.filter(
        conversation=s.conversation, body="Check the lid first."
    ).exists(),
    "close conversation": lambda s: _state_of(s).closed_at is not None,
    # Reopen and wake: the story's conversation is open and awake, and stays so (their
    # effects: tests/test_conversation_state_views.py); the cell checks who gets through.
    "reopen conversation": lambda s: _state_of(s).closed_at is None,
    "wake conversation": lambda s: _state_of(s).snoozed_until is None,
    "mark unread": lambda s: ReadState.objects.filter(
        conversation=s.conversation, last_read_at__lt=_state_of(s).last_buyer_message_at
    ).exists(),
    "snooze conversation": lambda s: _state_of(s).snoozed_until is not None,
    "bulk close": lambda s: _state_of(s).closed_at is not None,
    "revoke API token": lambda s: ApiToken.objects.get(pk=s.api_token.pk).revoked_at is not None,
    "remove webhook": lambda s: not WebhookEndpoint.objects.filter(pk=s.webhook.pk).exists(),
    "resend webhook delivery": lambda s: (
        WebhookDelivery.objects.get(pk=s.webhook_delivery.pk).status == "pending"
    ),
    "create reply template": lambda s: ReplyTemplate.objects.filter(name="welcome").exists(),
    "change reply template": lambda s: _story_template().body == "Changed.",
    "delete reply template": lambda s: not ReplyTemplate.objects.filter(name="thanks").exists(),
}

_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
# The language switcher's way back: the address the requester asked for, whatever the answer.
_SWITCHER_NEXT = re.compile(r'name="next" value="[^"]*"')


def _comparable_body(response) -> str:
    """The body with the per-response CSRF mask and the echoed address removed; everything
    else must match."""
    body = _CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
    return _SWITCHER_NEXT.sub('name="next" value=""', body)


def _login_redirect(path: str) -> str:
    return f"{reverse('login')}?next={quote(path, safe='/')}"


@pytest.mark.parametrize(("page", "actor", "outcome"), _matrix_cases())
def test_access_matrix(client, request, story, page, actor, outcome):
    endpoint = ENDPOINTS[page]
    client = _client_for(client, request, actor)
    url, form = endpoint.request_for(story)
    before = _state()

    response = _send(client, endpoint.method, url, form)

    if outcome == OK:
        assert response.status_code == 200
        if page == "attachment download":
            assert b"".join(response.streaming_content) == story.file_bytes
            assert response["Content-Disposition"].startswith("attachment;")
        if page == "attachment preview":
            assert response["Content-Type"] == "image/webp"
        if page.startswith("live check"):
            assert "verdict" in response.json()
    elif outcome in (LISTED, UNLISTED):
        assert response.status_code == 200
        body = response.content.decode()
        assert (f'"{ROW_LINKS[page](story)}"' in body) == (outcome == LISTED)
        if outcome == UNLISTED:
            assert story.order.number not in body
    elif outcome == SENT:
        assert endpoint.method == "post"
        assert response.status_code == 302, _comparable_body(response)
        assert Message.objects.count() == before["messages"] + 1
        newest = Message.objects.order_by("-id").first()
        assert newest.sender == request.getfixturevalue(actor)
        assert newest.is_delivered
    elif outcome == DONE:
        assert endpoint.method == "post"
        assert response.status_code == 302, _comparable_body(response)
        assert DECISIONS_TAKEN[page](story)
    elif outcome == NOT_FOUND:
        assert response.status_code == 404
        assert _state() == before
        missing_url, missing_form = endpoint.request_for(story, missing=True)
        missing = _send(client, endpoint.method, missing_url, missing_form)
        assert missing.status_code == 404
        assert _comparable_body(response) == _comparable_body(missing)
        assert _state() == before
    elif outcome == LOGIN:
        assert response.status_code == 302
        # A GET's form is its query string (search), which the login page returns to.
        asked = f"{url}?{urlencode(form)}" if endpoint.method == "get" and form else url
        assert response["Location"] == _login_redirect(asked)
        assert _state() == before
        if endpoint.target is not None:
            # Before logging in, a missing id is not told apart from a real one either.
            missing_url, missing_form = endpoint.request_for(story, missing=True)
            missing = _send(client, endpoint.method, missing_url, missing_form)
            assert missing["Location"] == _login_redirect(missing_url)
    elif outcome == REFUSED:
        assert response.status_code == 302
        assert _state() == before
        assert "nothing was changed" in " ".join(
            str(m) for m in get_messages(response.wsgi_request)
        )
    elif outcome == HOME:
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        assert _state() == before
    else:  # pragma: no cover - a typo in the table
        pytest.fail(f"unknown outcome {outcome!r}")


def test_every_page_in_the_url_map_is_in_the_matrix():
    named = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    in_matrix = {endpoint.url_name for endpoint in ENDPOINTS.values()}
    assert named - PUBLIC_PAGES == in_matrix


# --- Files of messages that were not delivered -----------------------------------------

# Only the side that wrote a held or rejected message sees it, and so only that side may
# download its files; blocked messages are seen by staff alone.
# fmt: off
FILE_READERS = {
    #  status, written by         jordan  sam   avery  priya  morgan
    ("delivered", Side.SELLER): (200,    200,  200,   404,   200),
    ("held", Side.SELLER):      (404,    200,  200,   404,   200),
    ("rejected", Side.SELLER):  (404,    200,  200,   404,   200),
    ("blocked", Side.SELLER):   (404,    404,  404,   404,   200),
    ("held", Side.BUYER):       (200,    404,  404,   404,   200),
}
# fmt: on
FILE_READER_ACTORS = ("jordan", "sam", "avery", "priya", "morgan")


def _message_with_file(order: Order, *, status: str, side: Side) -> Attachment:
    conversation = factories.buyer_message(order).conversation
    message = Message.objects.create(
        conversation=conversation,
        sender=order.buyer if side == Side.BUYER else None,
        sender_side=side,
        message_type="buyer_inquiry" if side == Side.BUYER else "send_invoice",
        subject="Invoice",
        body_text="The invoice is attached.",
        body_html="<p>The invoice is attached.</p>",
        status=status,
    )
    upload = factories.pdf_upload("invoice.pdf")
    return Attachment.objects.create(
        message=message,
        file=upload,
        original_name="invoice.pdf",
        content_type="application/pdf",
        size=upload.size,
    )


@pytest.mark.parametrize(
    ("status", "side", "actor", "expected"),
    [
        pytest.param(status, side, actor, code, id=f"{status}-{side}-{actor}")
        for (status, side), row in FILE_READERS.items()
        for actor, code in zip(FILE_READER_ACTORS, row, strict=True)
    ],
)
def test_files_of_undelivered_messages_reach_only_their_own_side(
    client, request, jordans_order, sam, avery, priya, morgan, status, side, actor, expected
):
    attachment = _message_with_file(jordans_order, status=status, side=side)
    client.force_login(request.getfixturevalue(actor))

    response = client.get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == expected
    if expected == 404:
        missing = client.get(reverse("attachment_download", args=[MISSING_ID]))
        assert _comparable_body(response) == _comparable_body(missing)


def test_the_buyer_may_download_a_held_file_once_it_is_approved(
    client, jordan, morgan, jordans_order
):
    attachment = _message_with_file(jordans_order, status="held", side=Side.SELLER)
    url = reverse("attachment_download", args=[attachment.pk])
    client.force_login(jordan)
    assert client.get(url).status_code == 404

    client.force_login(morgan)
    decided = client.post(
        reverse("review_message", args=[attachment.message_id]), {"decision": "approve"}
    )
    assert decided.status_code == 302

    client.force_login(jordan)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("conversation", ["abc", "-1", "1.5", "99999999999999999999999", "²"])
def test_the_live_check_answers_a_malformed_id_with_a_bad_request(client, sam, conversation):
    """A malformed id says only that it is malformed: nothing about any conversation."""
    client.force_login(sam)

    response = client.post(reverse("compliance_check"), {"conversation": conversation})

    assert response.status_code == 400
    assert f"“{conversation}” is not a valid conversation id" in response.json()["message"]
    missing = client.post(reverse("compliance_check"), {"conversation": str(MISSING_ID)})
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("actor", "own_business"),
    [("sam", "northwind"), ("avery", "northwind"), ("maria", "cascade")],
)
def test_a_seller_cannot_ask_about_its_own_product(client, request, actor, own_business):
    product = factories.product(request.getfixturevalue(own_business), "Trail Lantern")
    client.force_login(request.getfixturevalue(actor))
    url = reverse("ask_product", args=[product.pk])

    response = client.post(url, BUYER_COMPOSE)

    assert response.status_code == 404
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
    missing = client.post(reverse("ask_product", args=[MISSING_ID]), BUYER_COMPOSE)
    assert _comparable_body(response) == _comparable_body(missing)


def test_a_seller_may_ask_another_seller_about_a_product(client, sam, cascade):
    product = factories.product(cascade, "Trail Lantern")
    client.force_login(sam)

    response = client.post(reverse("ask_product", args=[product.pk]), BUYER_COMPOSE)

    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert (conversation.buyer, conversation.seller) == (sam, cascade)


def test_a_product_no_longer_on_sale_cannot_be_asked_about(client, jordan, northwind):
    product = factories.product(northwind, "Discontinued Kettle")
    Product.objects.filter(pk=product.pk).update(is_active=False)
    client.force_login(jordan)

    response = client.post(reverse("ask_product", args=[product.pk]), BUYER_COMPOSE)

    assert response.status_code == 404
    assert not Message.objects.exists()


# --- The Django admin: staff only ------------------------------------------------------

ADMIN_CHANGELISTS = (
    "admin:threads_conversation_changelist",
    "admin:messaging_message_changelist",
    "admin:orders_order_changelist",
    "admin:accounts_user_changelist",
)


@pytest.mark.parametrize("url_name", ADMIN_CHANGELISTS)
@pytest.mark.parametrize("actor", ACTORS)
def test_admin_changelists_are_for_staff_only(client, request, story, url_name, actor):
    client = _client_for(client, request, actor)
    url = reverse(url_name)

    response = client.get(url)

    if actor == "morgan":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={quote(url, safe='/')}"


@pytest.mark.parametrize(
    ("url_name", "obj"),
    [
        ("admin:threads_conversation_change", lambda s: s.conversation),
        ("admin:messaging_message_change", lambda s: s.attachment.message),
        ("admin:orders_order_change", lambda s: s.order),
        ("admin:accounts_user_change", lambda s: s.order.buyer),
    ],
)
def test_staff_open_any_record_in_the_admin(client, morgan, story, url_name, obj):
    client.force_login(morgan)

    response = client.get(reverse(url_name, args=[obj(story).pk]))

    assert response.status_code == 200


def test_the_message_admin_links_to_a_download_staff_can_use(client, morgan, story):
    client.force_login(morgan)
    download = reverse("attachment_download", args=[story.attachment.pk])

    message = story.attachment.message
    page = client.get(reverse("admin:messaging_message_change", args=[message.pk]))

    assert f'href="{download}"' in page.content.decode()
    assert client.get(download).status_code == 200
