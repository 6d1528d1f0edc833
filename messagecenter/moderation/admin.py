"""The enforcement records in the admin: restrictions (which can be lifted), decisions and
violations (read only: the audit trail is never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.moderation.enforcement import business_standing_refresh, restriction_lift
from messagecenter.moderation.models import MessageViolation, ReviewDecision, SellerRestriction


@admin.register(SellerRestriction)
class SellerRestrictionAdmin(admin.ModelAdmin):
    list_display = ["business", "starts_at", "ends_at", "lifted_at", "lifted_by"]
    list_filter = ["business"]
    readonly_fields = ["lifted_at", "lifted_by"]
    actions = ["lift"]

    def save_model(
        self, request: HttpRequest, obj: SellerRestriction, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        business_standing_refresh(obj.business_id, timezone.now())

    @admin.action(description="Lift the selected restrictions")
    def lift(self, request: HttpRequest, queryset: QuerySet[SellerRestriction]) -> None:
        staff = request.user
        assert isinstance(staff, User)  # the admin site lets only staff in
        now = timezone.now()
        for restriction in queryset.filter(lifted_at__isnull=True):
            restriction_lift(
                restriction=restriction, by=staff, reason="Lifted in the admin.", now=now
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
