from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders and products")

    def ready(self) -> None:
        from orders.models import Order
        from orders.order_counts import order_deleted

        # Deletes of one order or a queryset alike: the sellers' per-day counts.
        post_delete.connect(order_deleted, sender=Order, dispatch_uid="order_counts")
