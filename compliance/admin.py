"""The operator's screen for the messaging policy, and the enforcement records."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from compliance.enforcement import restriction_lift
from compliance.models import (
    MessageViolation,
    PolicySettings,
    ReviewDecision,
    RuleSetting,
    SellerRestriction,
)
from compliance.policy import RULES


class RuleSettingInline(admin.TabularInline):
    model = RuleSetting
    extra = 1
    verbose_name = "rule action (overrides the POLICY.md default)"
    verbose_name_plural = "rule actions: " + "; ".join(
        f"{r.id} defaults to {r.default.value}" for r in RULES.values()
    )


@admin.register(PolicySettings)
class PolicySettingsAdmin(admin.ModelAdmin):
    inlines = [RuleSettingInline]
    list_display = ["__str__", "promotions_allowed", "restriction_threshold", "updated_at"]
    fieldsets = (
        ("Links and contact details", {"fields": ("allowed_link_domains", "phone_regions")}),
        ("Message types", {"fields": ("promotions_allowed",)}),
        (
            "Restrictions",
            {"fields": ("restriction_threshold", "restriction_lookback_days", "restriction_days")},
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One policy for the marketplace.
        return not PolicySettings.objects.exists()


@admin.register(SellerRestriction)
class SellerRestrictionAdmin(admin.ModelAdmin):
    list_display = ["business", "starts_at", "ends_at", "lifted_at", "lifted_by"]
    list_filter = ["business"]
    readonly_fields = ["lifted_at", "lifted_by"]
    actions = ["lift"]

    @admin.action(description="Lift the selected restrictions")
    def lift(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        now = timezone.now()
        for restriction in queryset.filter(lifted_at__isnull=True):
            restriction_lift(
                restriction=restriction, by=request.user, reason="Lifted in the admin.", now=now
            )


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["message", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    readonly_fields = [f.name for f in ReviewDecision._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the audit trail is never edited


@admin.register(MessageViolation)
class MessageViolationAdmin(admin.ModelAdmin):
    list_display = ["message", "rule", "action", "location", "excerpt"]
    list_filter = ["rule", "action"]
    search_fields = ["excerpt", "explanation"]
    raw_id_fields = ["message"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
