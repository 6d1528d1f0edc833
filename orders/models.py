"""Products and orders: what buyers and sellers talk about."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

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
        PENDING = "pending", "Pending"
        UNSHIPPED = "unshipped", "Unshipped"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

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
