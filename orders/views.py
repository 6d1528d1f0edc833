"""Manage Orders for sellers; Your Orders and the product list for buyers."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from messagecenter.accounts.decorators import reads_memberships, seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.fragments import rendered_rows
from messagecenter.core.keyset import CURSOR, keyset_page
from messagecenter.core.pagination import paginate
from messagecenter.core.related_rows import attach_related
from orders.forms import OrderSearchForm
from orders.models import Order, Product
from orders.selectors import ORDER_KEYS, OrderSearch, orders_for_buyer, orders_for_seller


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
    orders = orders_for_seller(request.user, search).prefetch_related(None)
    page = keyset_page(orders, ORDER_KEYS, request.GET.get(CURSOR) or None, query=request.GET)
    attach_related(page.object_list, "lines")
    return render(
        request,
        "orders/seller_order_list.html",
        {"form": form, "page": page, "rows": _order_rows(page.object_list)},
    )


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
                    [(line.quantity, line.title, line.unit_price) for line in order.lines.all()],
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
    return render(request, "orders/buyer_order_list.html", {"page": page})


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
    return render(request, "orders/product_list.html", {"page": paginate(request, products)})
