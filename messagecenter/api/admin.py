from django.contrib import admin

from messagecenter.api.models import (
    ApiToken,
    IdempotencyRecord,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "response_status", "created_at"]
    search_fields = ["key", "user__email", "path"]


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
