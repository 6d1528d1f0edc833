"""Masked addresses and the inbound email log are records: staff read them, nobody edits
them here. Approved sending addresses can be managed by staff too (sellers' owners manage
them on their settings page); one added here is pending until its mailed link is opened."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from messagecenter.accounts.models import User
from messagecenter.relay.approved_senders import approved_sender_resend_confirmation
from messagecenter.relay.models import ApprovedSender, EmailBounce, InboundEmail, ProxyAddressPair


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ProxyAddressPair)
class ProxyAddressPairAdmin(ReadOnlyAdmin):
    list_display = ["buyer", "seller", "buyer_token", "seller_token", "created_at"]
    list_select_related = ["buyer", "seller"]
    search_fields = ["buyer__email", "seller__name", "buyer_token", "seller_token"]


@admin.register(ApprovedSender)
class ApprovedSenderAdmin(admin.ModelAdmin):
    list_display = ["email", "business", "added_by", "created_at", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["business", "added_by"]
    search_fields = ["email", "business__name"]
    autocomplete_fields = ["business"]
    readonly_fields = ["added_by", "created_at", "confirmation_sent_at", "confirmed_at"]

    def save_model(
        self, request: HttpRequest, obj: ApprovedSender, form: ModelForm[Any], change: bool
    ) -> None:
        obj.email = obj.email.strip().lower()
        if not change and isinstance(request.user, User):
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        if not change:  # pending like any other: the address confirms it by the link
            approved_sender_resend_confirmation(approved_sender=obj)


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "outcome", "recipient", "envelope_from", "short_reason"]
    list_filter = ["outcome", "received_at"]
    search_fields = ["header_message_id", "recipient", "envelope_from", "reason"]
    date_hierarchy = "received_at"
    raw_id_fields = ["message"]

    @admin.display(description="Reason")
    def short_reason(self, obj: InboundEmail) -> str:
        return obj.reason if len(obj.reason) <= 80 else obj.reason[:79] + "…"


@admin.register(EmailBounce)
class EmailBounceAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "message", "recipient_address", "status"]
    list_filter = ["received_at"]
    search_fields = ["recipient_address", "diagnostic", "report_message_id"]
    raw_id_fields = ["message"]
