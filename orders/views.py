"""Manage Orders for sellers; Your Orders and the product list for buyers."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from messagecenter.accounts.decorators import reads_memberships, seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.fragments import rendered_rows
from messagecenter.core.keyset import CURSOR, KeysetPage, keyset_page
from messagecenter.core.pagination import paginate
from messagecenter.core.related_rows import attach_related
from orders.forms import OrderSearchForm
from orders.models import Order, Product
from orders.selectors import ORDER_KEYS, OrderSearch, orders_for_buyer
from orders.seller_order_page import seller_order_page


@login_required
@seller_pages_only
@require_GET
def seller_order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrderSearchForm(request.GET or None)
    search = OrderSearch()
    if form.is_valid():
        search = OrderSearch(
            text=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
            ordered_from=form.cleaned_data["ordered_from"],
            ordered_to=form.cleaned_data["ordered_to"],
        )
    page = seller_order_page(
        request.user, search, request.GET.get(CURSOR) or None, query=request.GET
    )
    attach_related(page.object_list, "lines")
    return render(
        request,
        "orders/seller_order_list.html",
        {
            "search_form": _search_form(form),
            "page": page,
            "rows": _order_rows(page.object_list),
        },
    )


def _search_form(form: OrderSearchForm) -> SafeString:
    """The search form's HTML, kept by what was typed in it: its fields, their values and
    errors follow from that alone, and rendering four widgets through their templates
    cost more than the page's rows."""
    typed = tuple(form.data.get(name) for name in form.fields) if form.is_bound else None
    return rendered_rows("includes/order_search_form.html", [((typed,), {"form": form})])[0]


def _lines(order: Order) -> list[tuple[object, ...]]:
    """What an order's row or card shows of its lines (and their total)."""
    return [(line.quantity, line.title, line.unit_price) for line in order.lines.all()]


def _order_rows(orders: Sequence[Order]) -> list[SafeString]:
    """Each order's row, kept by everything it shows (core/fragments.py): its dates,
    buyer's name, lines and status."""
    return rendered_rows(
        "includes/seller_order_row.html",
        [
            (
                (
                    order.pk,
                    order.number,
                    order.ordered_at.isoformat(),
                    order.buyer.public_name,
                    _lines(order),
                    order.status,
                ),
                {"order": order},
            )
            for order in orders
        ],
    )


@login_required
@require_GET
def buyer_order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # By position, as Manage Orders: a buyer with years of orders is neither counted nor
    # walked past on every visit.
    page = keyset_page(
        orders_for_buyer(request.user),
        ORDER_KEYS,
        request.GET.get(CURSOR) or None,
        query=request.GET,
    )
    return render(
        request, "orders/buyer_order_list.html", {"page": page, "cards": _order_cards(page)}
    )


def _order_cards(page: KeysetPage) -> list[SafeString]:
    """Each order's card on Your Orders, kept by everything it shows (core/fragments.py)."""
    return rendered_rows(
        "includes/buyer_order_card.html",
        [
            (
                (
                    order.pk,
                    order.number,
                    order.status,
                    order.seller.name,
                    order.ordered_at.isoformat(),
                    _lines(order),
                ),
                {"order": order},
            )
            for order in page.object_list
        ],
    )


@login_required
@reads_memberships
@require_GET
def product_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A seller's own products are left out: nobody asks themselves a question.
    products = (
        Product.objects.filter(is_active=True)
        .exclude(seller_id__in=business_ids_for_member(request.user))
        .select_related("seller")
    )
    page = paginate(request, products)
    return render(
        request, "orders/product_list.html", {"page": page, "cards": _product_cards(page)}
    )


def _product_cards(page: Page) -> list[SafeString]:
    """Each product's card, kept by everything it shows (core/fragments.py)."""
    return rendered_rows(
        "includes/product_card.html",
        [
            (
                (product.pk, product.title, product.seller.name, product.sku, product.price),
                {"product": product},
            )
            for product in page.object_list
        ],
    )
