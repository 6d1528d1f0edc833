"""Manage Orders and Contact Buyer for sellers; Your Orders and Contact seller for buyers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from compliance.availability import TypeOption
from compliance.selectors import seller_type_options_for_order
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.messaging.form_sending import (
    FormSend,
    keep_files_of_invalid_form,
    send_with_form,
)
from messagecenter.messaging.forms import BuyerComposeForm, SellerComposeForm
from messagecenter.messaging.selectors import messages_in_conversation
from messagecenter.messaging.services import (
    message_send_for_order,
    message_send_product_question,
)
from messagecenter.pagination import paginate
from messagecenter.relay.addresses import reply_by_email_address
from messagecenter.threads.models import Side
from messagecenter.threads.selectors import conversation_for_order
from orders.access import access_order_as_buyer, access_order_as_seller, access_product_for_question
from orders.forms import OrderSearchForm
from orders.models import Product
from orders.selectors import OrderSearch, orders_for_buyer, orders_for_seller


@login_required
@require_GET
def seller_order_list(request: HttpRequest) -> HttpResponse:
    form = OrderSearchForm(request.GET or None)
    search = OrderSearch()
    if form.is_valid():
        search = OrderSearch(
            text=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
            ordered_from=form.cleaned_data["ordered_from"],
            ordered_to=form.cleaned_data["ordered_to"],
        )
    page = paginate(request, orders_for_seller(request.user, search))  # type: ignore[arg-type]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/seller_order_list.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


@login_required
@require_GET
def seller_order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = access_order_as_seller(request.user, number)  # type: ignore[arg-type]
    conversation = conversation_for_order(order.pk)
    return render(
        request,
        "orders/seller_order_detail.html",
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


def _compose_page(request: HttpRequest, *, order_number: str, side: Side) -> HttpResponse:
    initial = {"subject": f"Order {order_number}"}
    form: SellerComposeForm | BuyerComposeForm
    type_options: list[TypeOption] = []
    if side == Side.SELLER:
        order = access_order_as_seller(request.user, order_number)  # type: ignore[arg-type]
        conversation = conversation_for_order(order.pk)
        type_options = seller_type_options_for_order(order, conversation)
        form = SellerComposeForm(
            request.POST or None,
            request.FILES or None,
            initial=initial,
            type_options=type_options,
        )
    else:
        order = access_order_as_buyer(request.user, order_number)  # type: ignore[arg-type]
        conversation = conversation_for_order(order.pk)
        form = BuyerComposeForm(request.POST or None, request.FILES or None, initial=initial)
    outcome = FormSend()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = send_with_form(
            request,
            form,
            lambda uploads: message_send_for_order(
                order=order,
                sender=request.user,  # type: ignore[arg-type]
                side=side,
                message_type=data.get("message_type", "buyer_inquiry"),
                subject=data["subject"],
                body=data["body"],
                uploads=uploads,
            ),
        )
        if outcome.result is not None and not outcome.result.blocked:
            target = "seller_conversation" if side == Side.SELLER else "buyer_conversation"
            return redirect(target, outcome.result.message.conversation_id)
    elif request.method == "POST":
        outcome = keep_files_of_invalid_form(request)
    return render(
        request,
        "orders/compose.html",
        {
            "order": order,
            "form": form,
            "kept_uploads": outcome.kept_uploads,
            "type_options": type_options,
            "side": side.value,
            "conversation": conversation,
            "messages_in_thread": (
                messages_in_conversation(conversation, side) if conversation else []
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_buyer(request: HttpRequest, number: str) -> HttpResponse:
    return _compose_page(request, order_number=number, side=Side.SELLER)


@login_required
@require_GET
def buyer_order_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, orders_for_buyer(request.user))  # type: ignore[arg-type]
    return render(request, "orders/buyer_order_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def contact_seller(request: HttpRequest, number: str) -> HttpResponse:
    return _compose_page(request, order_number=number, side=Side.BUYER)


@login_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    # A seller's own products are left out: nobody asks themselves a question.
    products = (
        Product.objects.filter(is_active=True)
        .exclude(seller_id__in=business_ids_for_member(request.user))  # type: ignore[arg-type]
        .select_related("seller")
    )
    return render(request, "orders/product_list.html", {"page": paginate(request, products)})


@login_required
@require_http_methods(["GET", "POST"])
def ask_about_product(request: HttpRequest, product_id: int) -> HttpResponse:
    product = access_product_for_question(request.user, product_id)  # type: ignore[arg-type]
    form = BuyerComposeForm(
        request.POST or None,
        request.FILES or None,
        initial={"subject": f"Question about {product.title}"[:200]},
    )
    outcome = FormSend()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = send_with_form(
            request,
            form,
            lambda uploads: message_send_product_question(
                product=product,
                buyer=request.user,  # type: ignore[arg-type]
                subject=data["subject"],
                body=data["body"],
                uploads=uploads,
            ),
        )
        if outcome.result is not None and not outcome.result.blocked:
            return redirect("buyer_conversation", outcome.result.message.conversation_id)
    elif request.method == "POST":
        outcome = keep_files_of_invalid_form(request)
    return render(
        request,
        "orders/ask_about_product.html",
        {"product": product, "form": form, "kept_uploads": outcome.kept_uploads},
        status=400 if request.method == "POST" else 200,
    )
