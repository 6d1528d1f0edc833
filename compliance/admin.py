"""The operator's screen for the messaging policy."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from compliance.models import PolicySettings, RuleSetting
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
