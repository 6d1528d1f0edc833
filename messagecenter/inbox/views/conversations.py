"""A conversation from the buyer's side or the seller's side: read, reply, and the seller's
tools (the reply clock, assignment, "no response needed")."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.models import User
from messagecenter.clock.forms import NoResponseNeededForm
from messagecenter.clock.reply_clock import mark_no_response_needed
from messagecenter.core.errors import UserFacingError
from messagecenter.inbox.conversation_reads import conversation_page_reads
from messagecenter.inbox.form_sending import FormSend, keep_files_of_invalid_form, send_with_form
from messagecenter.inbox.forms import ReplyForm
from messagecenter.inbox.live_status import live_status
from messagecenter.inbox.order_panel import order_panel
from messagecenter.inbox.seller_list import list_position, seller_list_context
from messagecenter.inbox.state_card import conversation_state_card
from messagecenter.messaging.models import Message
from messagecenter.messaging.replies import can_reply, reply_draft
from messagecenter.messaging.selectors import MessageWindow, clock_messages_before
from messagecenter.messaging.sending import check_and_send
from messagecenter.notes.selectors import NOTES_CURSOR
from messagecenter.relay.addresses import reply_by_email_address
from messagecenter.relay.bounces import bounce_notes_for
from messagecenter.threads.access import (
    access_conversation_as_buyer,
    access_conversation_as_seller,
)
from messagecenter.threads.assignment import conversation_assign, team_members
from messagecenter.threads.forms import AssignForm
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.reply_due import clock_panel
from messagecenter.threads.services import conversation_open

# The frame a conversation is shown in (templates/inbox/conversation.html fills its pane).
ALONE = "inbox/conversation_alone.html"  # the buyer's page
WORKSPACE = "inbox/inbox.html"  # the seller's: the list beside it
PANE_ONLY = "inbox/conversation_pane.html"  # the pane alone, swapped in by workspace.js


def _conversation_page(
    request: AuthenticatedHttpRequest,
    conversation: Conversation,
    side: Side,
    *,
    frame: str = ALONE,
    around: Callable[[], dict[str, object]] | None = None,
    conversation_url: str | None = None,
) -> HttpResponse:
    """``around``: what the frame shows besides the conversation (the seller's list), read
    only when the page is shown (a reply sent is answered with a redirect);
    ``conversation_url``: where the conversation's forms and links lead (the page's own
    address, with the list's filter and order on the seller's side)."""
    conversation_url = conversation_url or request.path
    form = ReplyForm(request.POST or None, request.FILES or None)
    replying = can_reply(conversation, side, timezone.now())
    outcome = FormSend()
    if request.method == "POST" and replying and form.is_valid():
        outcome = send_with_form(
            request,
            form,
            lambda uploads: check_and_send(
                conversation,
                reply_draft(
                    conversation,
                    sender=request.user,
                    side=side,
                    body=form.cleaned_data["body"],
                    uploads=uploads,
                ),
            ),
        )
        if outcome.result is not None and not outcome.result.blocked:
            return redirect(f"{conversation_url}#message-{outcome.result.message.pk}")
    elif request.method == "POST":
        outcome = keep_files_of_invalid_form(request)
    conversation_open(conversation=conversation, user=request.user)
    reads = conversation_page_reads(
        conversation,
        side,
        cursor=request.GET.get("before") or None,
        notes_cursor=request.GET.get(NOTES_CURSOR) or None,
    )
    window = reads.window
    in_thread = window.messages
    seller_side = side == Side.SELLER
    return render(
        request,
        "inbox/conversation.html",
        {
            **(around() if around else {}),
            "conversation_frame": frame,
            "conversation_url": conversation_url,
            "conversation": conversation,
            "messages_in_thread": in_thread,
            "window": window,
            "email_bounces": bounce_notes_for(window.flagged("bounced"), side),
            "notes_page": reads.notes,
            **(
                {
                    **_seller_tools(conversation, window, reads.team),
                    **conversation_state_card(conversation, reads.state_history),
                    "order_panel": order_panel(conversation),
                }
                if seller_side
                else {}
            ),
            "form": form,
            "kept_uploads": outcome.kept_uploads,
            "side": side.value,
            "live": live_status(
                conversation_id=conversation.pk,
                side=side,
                viewer=request.user,
                newest=in_thread[-1] if in_thread and window.is_latest else None,
                other_side_read_at=reads.other_side_read_at,
                team=lambda: reads.team,
            ),
            "can_reply": replying,
            "reply_address": reply_by_email_address(conversation.buyer, conversation.seller, side),
        },
        status=400 if request.method == "POST" else 200,
    )


def _seller_tools(
    conversation: Conversation, window: MessageWindow, members: list[User]
) -> dict[str, object]:
    """The reply clock and the assignment form on the seller's side of a conversation."""
    clock_messages = window.messages
    if window.earlier_cursor and window.messages:
        # The card speaks of the whole conversation, not only of the messages shown.
        clock_messages = clock_messages_before(conversation, window.messages[0]) + clock_messages
    return {
        "clock": clock_panel(conversation.reply_due_at, clock_messages, timezone.now()),
        "assign_form": AssignForm(
            members=members, initial={"assignee": conversation.assigned_to_id}
        ),
        "assignee": next((m for m in members if m.pk == conversation.assigned_to_id), None),
    }


@login_required
@require_http_methods(["GET", "POST"])
def buyer_conversation_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    conversation = access_conversation_as_buyer(request.user, conversation_id)
    return _conversation_page(request, conversation, Side.BUYER)


def _seller_conversation_url(request: AuthenticatedHttpRequest, conversation: Conversation) -> str:
    """The conversation in the workspace, beside the list the seller came from."""
    query = list_position(request).query().urlencode()
    return reverse("seller_conversation", args=[conversation.pk]) + (f"?{query}" if query else "")


@login_required
@require_http_methods(["GET", "POST"])
def seller_conversation_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    """The conversation in the team's workspace: the list of the current filter beside it."""
    conversation = access_conversation_as_seller(request.user, conversation_id)
    return _conversation_page(
        request,
        conversation,
        Side.SELLER,
        frame=WORKSPACE,
        around=lambda: seller_list_context(request, open_conversation_id=conversation.pk),
        conversation_url=_seller_conversation_url(request, conversation),
    )


@login_required
@require_GET
def seller_conversation_pane_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    """The workspace's right pane alone (workspace.js opens a conversation without a
    reload): the same page as seller_conversation_view without the list."""
    conversation = access_conversation_as_seller(request.user, conversation_id)
    return _conversation_page(
        request,
        conversation,
        Side.SELLER,
        frame=PANE_ONLY,
        around=lambda: {
            "workspace": True,
            "list_query": list_position(request).query().urlencode(),
        },
        conversation_url=_seller_conversation_url(request, conversation),
    )


def _back_to(conversation: Conversation, request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect(_seller_conversation_url(request, conversation))


@login_required
@require_POST
def conversation_assign_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    """Give the conversation to a team member, or back to the whole team."""
    conversation = access_conversation_as_seller(request.user, conversation_id)
    form = AssignForm(request.POST, members=team_members(conversation.seller_id))
    if not form.is_valid():
        messages.error(request, _("Choose an active member of your team, or Nobody."))
        return _back_to(conversation, request)
    assignee = form.chosen_member()
    try:
        conversation_assign(conversation=conversation, assignee=assignee, by=request.user)
    except UserFacingError as error:
        messages.error(request, error.message)
        return _back_to(conversation, request)
    if assignee is None:
        messages.success(request, _("Unassigned: the whole team looks after this conversation."))
    elif assignee.pk == request.user.pk:
        messages.success(request, _("Assigned to you."))
    else:
        messages.success(
            request,
            _("Assigned to %(name)s; they have been told.") % {"name": assignee.public_name},
        )
    return _back_to(conversation, request)


@login_required
@require_POST
def conversation_no_response_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    """Stop a buyer message's clock without an answer."""
    conversation = access_conversation_as_seller(request.user, conversation_id)
    form = NoResponseNeededForm(request.POST)
    message = (
        Message.objects.filter(
            pk=form.cleaned_data["message"],
            conversation=conversation,
            sender_side=Side.BUYER,
            status=Message.Status.DELIVERED,
        ).first()
        if form.is_valid()
        else None
    )
    if message is None:
        messages.error(request, _("That buyer message is not in this conversation."))
        return _back_to(conversation, request)
    try:
        mark_no_response_needed(message=message, by=request.user)
    except UserFacingError as error:
        messages.error(request, error.message)
        return _back_to(conversation, request)
    messages.success(
        request,
        _("Marked as needing no response: the message no longer counts toward your response time."),
    )
    return _back_to(conversation, request)
