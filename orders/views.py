"""Manage Orders for sellers; Your Orders and the product list for buyers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from messagecenter.accounts.decorators import seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.keyset import keyset_page
from messagecenter.core.pagination import paginate
from orders.forms import OrderSearchForm
from orders.models import Product
from orders.selectors import OrderSearch, orders_for_buyer, orders_for_seller


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
    page = keyset_page(request, orders_for_seller(request.user, search), time_field="ordered_at")
    return render(request, "orders/seller_order_list.html", {"form": form, "page": page})


@login_required
@require_GET
def buyer_order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # By position, as Manage Orders: a buyer with years of orders is neither counted nor
    # walked past on every visit.
    page = keyset_page(request, orders_for_buyer(request.user), time_field="ordered_at")
    return render(request, "orders/buyer_order_list.html", {"page": page})


@login_required
@require_GET
def product_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A seller's own products are left out: nobody asks themselves a question.
    products = (
        Product.objects.filter(is_active=True)
        .exclude(seller_id__in=business_ids_for_member(request.user))
        .select_related("seller")
    )
    return render(request, "orders/product_list.html", {"page": paginate(request, products)})
