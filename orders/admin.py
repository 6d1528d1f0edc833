from django.contrib import admin

from orders.models import Order, OrderLine, Product


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    autocomplete_fields = ["product"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "buyer", "seller", "status", "ordered_at"]
    list_filter = ["status", "seller"]
    search_fields = ["number", "buyer__email", "buyer__display_name", "lines__title"]
    date_hierarchy = "ordered_at"
    autocomplete_fields = ["buyer", "seller"]
    list_select_related = ["buyer", "seller"]
    inlines = [OrderLineInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "sku", "seller", "price", "is_active"]
    list_filter = ["seller", "is_active"]
    search_fields = ["title", "sku"]
