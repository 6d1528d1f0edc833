"""Products and orders: what buyers and sellers talk about."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import pgettext_lazy

from messagecenter.accounts.models import SellerBusiness


class Product(models.Model):
    seller = models.ForeignKey(SellerBusiness, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=250)
    sku = models.CharField(max_length=64)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="unique_sku_per_seller")
        ]
        # The product list: a page of active products by title is read from the index
        # instead of sorting every active product.
        indexes = [
            models.Index(
                fields=["title"], condition=models.Q(is_active=True), name="product_active_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Order(models.Model):
    class Status(models.TextChoices):
        # Translators: an order's status.
        PENDING = "pending", pgettext_lazy("order status", "Pending")
        UNSHIPPED = "unshipped", pgettext_lazy("order status", "Unshipped")
        SHIPPED = "shipped", pgettext_lazy("order status", "Shipped")
        DELIVERED = "delivered", pgettext_lazy("order status", "Delivered")
        CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")

    number = models.CharField(max_length=19, unique=True)  # e.g. 114-3941689-8772232
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    seller = models.ForeignKey(SellerBusiness, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    ordered_at = models.DateTimeField()
    shipped_at = models.DateTimeField(null=True, blank=True)
    earliest_delivery_date = models.DateField(null=True, blank=True)
    latest_delivery_date = models.DateField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ordered_at", "-id"]
        indexes = [
            # Manage Orders, newest first, with what its rows and its search check of an
            # order (buyer, number, status): on PostgreSQL a search walks the seller's
            # orders in this index alone until it has a page, reading only those it shows.
            models.Index(
                fields=["seller", "-ordered_at", "-id"],
                include=["buyer", "number", "status"],
                name="order_seller_recent",
            ),
            models.Index(fields=["buyer", "-ordered_at"], name="order_buyer_recent"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and move the order between its seller's per-day counts in the same
        transaction when it is new or its seller or time changed (orders/order_counts.py).
        A delete is counted by the post_delete receiver there."""
        # Imported here: order_counts reads these models.
        from orders.order_counts import counted_day_of, counted_day_stored, order_counted_move

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not {"seller", "seller_id", "ordered_at"} & set(
            update_fields
        ):
            super().save(*args, **kwargs)  # neither the seller nor the day can change
            return
        with transaction.atomic(using=kwargs.get("using")):
            was = None if self._state.adding else counted_day_stored(self.pk)
            super().save(*args, **kwargs)
            order_counted_move(was=was, now=counted_day_of(self))

    @property
    def total(self) -> Decimal:
        """Sum of the lines; call on orders fetched with their lines prefetched."""
        return sum((line.subtotal for line in self.lines.all()), Decimal("0.00"))


class OrderLine(models.Model):
    """A line copies the product's title, SKU and price at purchase time."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines"
    )
    title = models.CharField(max_length=250)
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


class SellerOrderDay(models.Model):
    """How many orders a seller business received on one UTC day.

    The daily cap grows with the seller's orders of the last 30 days; counting them read
    a month of a big seller's orders (6,800 index entries for the bench's heavy seller) on
    every Contact Buyer page and proactive send. These rows are kept instead, changed in
    the transaction that saves or deletes an order (orders/order_counts.py).
    """

    # The unique (business, day) index serves the business's lookups and a range of its
    # days; an index of the business alone would be picked for the range and filter it.
    business = models.ForeignKey(
        SellerBusiness, on_delete=models.CASCADE, related_name="order_days", db_index=False
    )
    day = models.DateField()
    orders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "day"], name="seller_orders_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.orders} orders for business {self.business_id} on {self.day}"
