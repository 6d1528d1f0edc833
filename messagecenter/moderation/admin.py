"""The enforcement records in the admin: restrictions (lifted from the review pages), decisions
and violations (read only: the audit trail is never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from messagecenter.moderation.enforcement import business_standing_refresh
from messagecenter.moderation.models import MessageViolation, ReviewDecision, SellerRestriction


@admin.register(SellerRestriction)
class SellerRestrictionAdmin(admin.ModelAdmin):
    """Restrictions are lifted on the review pages, which ask for confirmation and a
    reason; here who lifted one and why can be read, not written."""

    list_display = ["business", "starts_at", "ends_at", "lifted_at", "lifted_by", "lift_link"]
    list_filter = ["business"]
    readonly_fields = ["lifted_at", "lifted_by", "lift_reason"]

    def save_model(
        self, request: HttpRequest, obj: SellerRestriction, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        business_standing_refresh(obj.business_id, timezone.now())

    @admin.display(description=gettext_lazy("Lift"))
    def lift_link(self, obj: SellerRestriction) -> str:
        if obj.lifted_at is not None or obj.ends_at <= timezone.now():
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("restriction_lift", args=[obj.pk]), _("Lift…")
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
