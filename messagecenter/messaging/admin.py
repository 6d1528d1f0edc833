from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from messagecenter.messaging.models import Attachment, Message
from messagecenter.threads.models import Conversation


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("download", "content_type", "size", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        # Files only arrive through the send service; an empty add row would also have
        # no download link to show.
        return False

    @admin.display(description=gettext_lazy("File"))
    def download(self, obj: Attachment) -> str:
        url = reverse("attachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "conversation", "sender", "sender_side", "message_type", "created_at"]
    list_filter = ["sender_side", "message_type", "via", "status"]
    search_fields = ["subject", "body_text", "conversation__order__number"]
    list_select_related = ["conversation", "sender"]
    date_hierarchy = "created_at"
    # The seller is the conversation's, copied for the performance page's indexes: never
    # edited on its own.
    readonly_fields = ["created_at", "notification_sent_at", "rendered_body", "seller"]
    raw_id_fields = ["conversation", "sender"]
    inlines = [AttachmentInline]

    @admin.display(description=gettext_lazy("As shown to people"))
    def rendered_body(self, obj: Message) -> str:
        # body_html is the sanitizer's output, the only HTML ever marked safe.
        return mark_safe(obj.body_html)  # noqa: S308


# Conversations are registered here, not in threads, because their page lists the messages.
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
