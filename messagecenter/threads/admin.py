from django.contrib import admin

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    fields = ("sender", "sender_side", "message_type", "subject", "body_text", "via", "status")
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["subject", "buyer", "seller", "order", "last_message_side", "last_message_at"]
    list_filter = ["seller", "started_by", "last_message_side"]
    search_fields = ["subject", "order__number", "buyer__email", "buyer__display_name"]
    list_select_related = ["buyer", "seller", "order"]
    autocomplete_fields = ["buyer", "seller", "order", "product"]
    readonly_fields = [
        "created_at",
        "last_message_at",
        "last_message_side",
        "last_message_preview",
        "last_buyer_message_at",
        "last_seller_message_at",
    ]
    inlines = [MessageInline]
