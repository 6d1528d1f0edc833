from django.contrib import admin

from messagecenter.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "business", "is_active", "created_at"]
    list_filter = ["is_active"]
    exclude = ["secret"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    readonly_fields = [
        "number",
        "attempted_at",
        "response_status",
        "response_excerpt",
        "error",
        "duration_ms",
    ]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempt_count", "created_at"]
    list_filter = ["status", "event"]
    inlines = [WebhookAttemptInline]
