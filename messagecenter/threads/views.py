"""Inboxes and conversation pages, from the buyer's side and from the seller's side."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from messagecenter.messaging.form_sending import (
    FormSend,
    keep_files_of_invalid_form,
    send_with_form,
)
from messagecenter.messaging.forms import ReplyForm
from messagecenter.messaging.selectors import messages_in_conversation
from messagecenter.messaging.services import answers_buyer, message_send
from messagecenter.pagination import paginate
from messagecenter.relay.addresses import reply_by_email_address
from messagecenter.threads.access import (
    access_conversation_as_buyer,
    access_conversation_as_seller,
)
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.selectors import (
    BUYER_FILTERS,
    FILTER_LABELS,
    SELLER_FILTERS,
    InboxFilter,
    buyer_inbox,
    seller_inbox,
)
from messagecenter.threads.services import conversation_mark_read


def _inbox_filter(request: HttpRequest, allowed: tuple[InboxFilter, ...]) -> InboxFilter:
    value = request.GET.get("filter", InboxFilter.ALL)
    return InboxFilter(value) if value in allowed else InboxFilter.ALL


def _filter_tabs(
    allowed: tuple[InboxFilter, ...], current: InboxFilter
) -> list[dict[str, object]]:
    return [
        {"value": f.value, "label": FILTER_LABELS[f], "current": f == current} for f in allowed
    ]


@login_required
def buyer_inbox_view(request: HttpRequest) -> HttpResponse:
    current = _inbox_filter(request, BUYER_FILTERS)
    page = paginate(request, buyer_inbox(request.user, current))  # type: ignore[arg-type]
    return render(
        request,
        "threads/inbox.html",
        {
            "page": page,
            "side": "buyer",
            "tabs": _filter_tabs(BUYER_FILTERS, current),
            "query_string": f"filter={current.value}",
        },
    )


@login_required
def seller_inbox_view(request: HttpRequest) -> HttpResponse:
    current = _inbox_filter(request, SELLER_FILTERS)
    page = paginate(request, seller_inbox(request.user, current))  # type: ignore[arg-type]
    return render(
        request,
        "threads/inbox.html",
        {
            "page": page,
            "side": "seller",
            "tabs": _filter_tabs(SELLER_FILTERS, current),
            "query_string": f"filter={current.value}",
        },
    )


def _reply_type(conversation: Conversation, side: Side) -> str:
    if side == Side.SELLER:
        return "reply"
    return "buyer_inquiry" if conversation.order_id else "product_question"


def _conversation_page(
    request: HttpRequest, conversation: Conversation, side: Side
) -> HttpResponse:
    form = ReplyForm(request.POST or None, request.FILES or None)
    can_reply = side == Side.BUYER or answers_buyer(conversation, timezone.now())
    outcome = FormSend()
    if request.method == "POST" and can_reply and form.is_valid():
        outcome = send_with_form(
            request,
            form,
            lambda uploads: message_send(
                conversation=conversation,
                sender=request.user,  # type: ignore[arg-type]
                side=side,
                message_type=_reply_type(conversation, side),
                subject=f"Re: {conversation.subject}",
                body=form.cleaned_data["body"],
                uploads=uploads,
            ),
        )
        if outcome.result is not None and not outcome.result.blocked:
            return redirect(f"{request.path}#message-{outcome.result.message.pk}")
    elif request.method == "POST":
        outcome = keep_files_of_invalid_form(request)
    conversation_mark_read(conversation=conversation, user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "threads/conversation.html",
        {
            "conversation": conversation,
            "messages_in_thread": messages_in_conversation(conversation, side),
            "form": form,
            "kept_uploads": outcome.kept_uploads,
            "side": side.value,
            "can_reply": can_reply,
            "reply_address": reply_by_email_address(
                conversation.buyer, conversation.seller, side
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def buyer_conversation_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = access_conversation_as_buyer(request.user, conversation_id)  # type: ignore[arg-type]
    return _conversation_page(request, conversation, Side.BUYER)


@login_required
@require_http_methods(["GET", "POST"])
def seller_conversation_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = access_conversation_as_seller(request.user, conversation_id)  # type: ignore[arg-type]
    return _conversation_page(request, conversation, Side.SELLER)
