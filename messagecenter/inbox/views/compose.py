"""Writing first: Contact Buyer and the seller's view of an order, Contact seller, and a
buyer's question about a product."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compliance.availability import TypeOption
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.inbox.compose_fragments import (
    kept_compose_fields,
    kept_order_summary,
    kept_type_options,
)
from messagecenter.inbox.form_sending import FormSend, keep_files_of_invalid_form, send_with_form
from messagecenter.inbox.forms import BuyerComposeForm, SellerComposeForm
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.selectors import message_window
from messagecenter.messaging.sending import (
    message_send_for_order,
    message_send_product_question,
)
from messagecenter.messaging.type_options import seller_type_options_for_order
from messagecenter.relay.addresses import reply_by_email_address
from messagecenter.threads.models import Conversation, ConversationTopic, Side
from messagecenter.threads.selectors import conversation_for_order
from orders.access import (
    access_order_as_buyer,
    access_order_as_seller,
    access_product_for_question,
    joined_conversation,
)
from orders.models import Order


@login_required
@require_GET
def seller_order_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = access_order_as_seller(request.user, number)
    conversation = conversation_for_order(order.pk)
    return render(
        request,
        "inbox/seller_order_detail.html",
        {
            "order": order,
            "conversation": conversation,
            "side": "seller",
            # The masked address exists from the first contact on.
            "reply_address": (
                reply_by_email_address(order.buyer, order.seller, Side.SELLER)
                if conversation
                else ""
            ),
        },
    )


def _conversation_of(order: Order) -> Conversation | None:
    """The order's conversation, read with it (the access query's join), its buyer and
    seller taken from the order (they are the same people), rather than read again for the
    page and the type options."""
    conversation = joined_conversation(order)
    assert conversation is None or isinstance(conversation, Conversation)
    if conversation is not None:
        conversation.buyer = order.buyer
        conversation.seller = order.seller
        conversation.order = order
    return conversation


def _compose_page(
    request: AuthenticatedHttpRequest, *, order_number: str, side: Side
) -> HttpResponse:
    # Translators: the subject a new message about an order starts with.
    initial = {"subject": _("Order %(number)s") % {"number": order_number}}
    form: SellerComposeForm | BuyerComposeForm
    type_options: list[TypeOption] = []
    if side == Side.SELLER:
        order = access_order_as_seller(request.user, order_number, with_conversation=True)
        conversation = _conversation_of(order)
        type_options = seller_type_options_for_order(order, conversation)
        form = SellerComposeForm(
            request.POST or None,
            request.FILES or None,
            initial=initial,
            type_options=type_options,
        )
    else:
        order = access_order_as_buyer(request.user, order_number, with_conversation=True)
        conversation = _conversation_of(order)
        form = BuyerComposeForm(
            request.POST or None,
            request.FILES or None,
            initial=initial,
            # A conversation the buyer already gave a topic keeps it.
            ask_topic=conversation is None or not conversation.topic,
        )
    outcome = FormSend()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = send_with_form(
            request,
            form,
            lambda uploads: message_send_for_order(
                order=order,
                draft=Draft(
                    sender=request.user,
                    side=side,
                    message_type=data.get("message_type", "buyer_inquiry"),
                    subject=data["subject"],
                    body=data["body"],
                    uploads=uploads,
                ),
                topic=data.get("topic", ""),
            ),
        )
        if outcome.result is not None and not outcome.result.blocked:
            target = "seller_conversation" if side == Side.SELLER else "buyer_conversation"
            return redirect(target, outcome.result.message.conversation_id)
    elif request.method == "POST":
        outcome = keep_files_of_invalid_form(request)
    return render(
        request,
        "inbox/compose.html",
        {
            "order": order,
            "form": form,
            # Kept rendered (inbox/compose_fragments.py): includes/type_options.html,
            # includes/order_summary.html and, for the empty form of a page load,
            # includes/compose_fields.html.
            "type_options_block": (
                kept_type_options(order, type_options, form) if type_options else ""
            ),
            "order_summary": kept_order_summary(order, side.value),
            "compose_fields": kept_compose_fields(
                form,
                side=side.value,
                order=order,
                conversation=conversation,
                kept_uploads=outcome.kept_uploads,
            ),
            "side": side.value,
            "conversation": conversation,
            **_latest_messages(conversation, side),
        },
        status=400 if request.method == "POST" else 200,
    )


def _latest_messages(conversation: Conversation | None, side: Side) -> dict[str, object]:
    """The conversation's latest messages beside the form; the rest are a link away."""
    if conversation is None:
        return {"messages_in_thread": []}
    # No reply clock card beside the form: the messages' own columns only.
    window = message_window(conversation, side, clock=False)
    name = "seller_conversation" if side == Side.SELLER else "buyer_conversation"
    return {
        "messages_in_thread": window.messages,
        "window": window,
        "conversation_url": reverse(name, args=[conversation.pk]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def contact_buyer(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _compose_page(request, order_number=number, side=Side.SELLER)


@login_required
@require_http_methods(["GET", "POST"])
def contact_seller(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    return _compose_page(request, order_number=number, side=Side.BUYER)


@login_required
@require_http_methods(["GET", "POST"])
def ask_about_product(request: AuthenticatedHttpRequest, product_id: int) -> HttpResponse:
    product = access_product_for_question(request.user, product_id)
    form = BuyerComposeForm(
        request.POST or None,
        request.FILES or None,
        # Translators: the subject a buyer's question about a product starts with.
        initial={
            "subject": (_("Question about %(product)s") % {"product": product.title})[:200],
            "topic": ConversationTopic.PRODUCT_QUESTION,
        },
    )
    outcome = FormSend()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = send_with_form(
            request,
            form,
            lambda uploads: message_send_product_question(
                product=product,
                draft=Draft(
                    sender=request.user,
                    side=Side.BUYER,
                    message_type="product_question",
                    subject=data["subject"],
                    body=data["body"],
                    uploads=uploads,
                ),
                topic=data["topic"],
            ),
        )
        if outcome.result is not None and not outcome.result.blocked:
            return redirect("buyer_conversation", outcome.result.message.conversation_id)
    elif request.method == "POST":
        outcome = keep_files_of_invalid_form(request)
    return render(
        request,
        "inbox/ask_about_product.html",
        {"product": product, "form": form, "kept_uploads": outcome.kept_uploads},
        status=400 if request.method == "POST" else 200,
    )
