"""The team's state of a conversation from its page (close, reopen, mark unread, snooze,
wake) and the inbox's bulk actions: plain form posts that say what happened in a notice."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from messagecenter.accounts.decorators import seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.models import User
from messagecenter.core.errors import UserFacingError
from messagecenter.inbox.bulk_actions import (
    BulkOutcome,
    accessible_conversations,
    bulk_assign,
    bulk_close,
    bulk_mark_read,
    bulk_no_response_needed,
)
from messagecenter.threads.access import access_conversation_as_seller
from messagecenter.threads.assignment import team_members
from messagecenter.threads.models import Conversation
from messagecenter.threads.selectors import SELLER_FILTERS, InboxSort
from messagecenter.threads.services import conversation_mark_unread
from messagecenter.threads.state import (
    SnoozePastDeadline,
    conversation_close,
    conversation_reopen,
    conversation_snooze,
    conversation_wake,
)
from messagecenter.threads.state_forms import BulkAction, SnoozeForm


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _back_to(conversation: Conversation) -> HttpResponse:
    return redirect(reverse("seller_conversation", args=[conversation.pk]))


def local_time(moment: object) -> str:
    """A moment as the seller reads it: in their time zone (the active one), with the
    zone's name, so a deadline is never ambiguous."""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def _change(
    request: AuthenticatedHttpRequest,
    conversation_id: int,
    change: Callable[[Conversation], str],
) -> HttpResponse:
    conversation = access_conversation_as_seller(request.user, conversation_id)
    try:
        messages.success(request, change(conversation))
    except UserFacingError as error:
        messages.error(request, error.message)
    return _back_to(conversation)


@login_required
@require_POST
def conversation_close_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    def close(conversation: Conversation) -> str:
        conversation_close(conversation=conversation, by=request.user)
        if conversation.reply_due_at is not None:
            return _(
                "Closed. The buyer is still waiting for an answer: the reply clock keeps "
                "running until you reply or mark the message as needing no response."
            )
        return _("Closed: the conversation left Awaiting reply. A new buyer message reopens it.")

    return _change(request, conversation_id, close)


@login_required
@require_POST
def conversation_reopen_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    def reopen(conversation: Conversation) -> str:
        conversation_reopen(conversation=conversation, by=request.user)
        return _("Reopened: the conversation is back in your lists.")

    return _change(request, conversation_id, reopen)


@login_required
@require_POST
def conversation_wake_view(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    def wake(conversation: Conversation) -> str:
        conversation_wake(conversation=conversation, by=request.user)
        return _("Snooze ended: the conversation is back in your lists.")

    return _change(request, conversation_id, wake)


@login_required
@require_POST
def conversation_mark_unread_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    """Unread for the user alone; back to the inbox, since opening the page reads it."""
    conversation = access_conversation_as_seller(request.user, conversation_id)
    try:
        conversation_mark_unread(conversation=conversation, user=request.user)
    except UserFacingError as error:
        messages.error(request, error.message)
        return _back_to(conversation)
    messages.success(
        request,
        _("Marked “%(subject)s” as unread for you.") % {"subject": conversation.subject},
    )
    return redirect(reverse("seller_inbox"))


@login_required
@require_POST
def conversation_snooze_view(
    request: AuthenticatedHttpRequest, conversation_id: int
) -> HttpResponse:
    conversation = access_conversation_as_seller(request.user, conversation_id)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back_to(conversation)
    until = form.cleaned_data["until"]
    try:
        conversation_snooze(
            conversation=conversation,
            by=request.user,
            until=until,
            past_deadline_confirmed=form.cleaned_data["past_deadline"],
        )
    except SnoozePastDeadline as refused:
        messages.error(
            request,
            _(
                "Not snoozed: the answer to the buyer is due %(deadline)s, before %(until)s. "
                "Reply first, or tick “Snooze past the reply deadline anyway” and snooze "
                "again: the reply clock keeps running while it sleeps."
            )
            % {"deadline": local_time(refused.due_at), "until": local_time(until)},
        )
        return _back_to(conversation)
    except UserFacingError as error:
        messages.error(request, error.message)
        return _back_to(conversation)
    messages.success(
        request,
        _("Snoozed until %(until)s: it comes back then, or when the buyer writes.")
        % {"until": local_time(until)},
    )
    return redirect(reverse("seller_inbox"))


def _inbox_url(request: AuthenticatedHttpRequest) -> str:
    """The inbox the bulk form came from, with its filter and sort as understood."""
    params = {}
    if request.POST.get("filter") in {f.value for f in SELLER_FILTERS}:
        params["filter"] = request.POST["filter"]
    if request.POST.get("sort") in {s.value for s in InboxSort}:
        params["sort"] = request.POST["sort"]
    url = reverse("seller_inbox")
    return f"{url}?{urlencode(params)}" if params else url


def _done_text(action: str, outcome: BulkOutcome) -> str:
    count = outcome.done
    if action == BulkAction.ASSIGN:
        return ngettext(
            "Assigned %(count)d conversation.", "Assigned %(count)d conversations.", count
        ) % {"count": count}
    if action == BulkAction.MARK_READ:
        return ngettext(
            "Marked %(count)d conversation as read.",
            "Marked %(count)d conversations as read.",
            count,
        ) % {"count": count}
    if action == BulkAction.CLOSE:
        return ngettext(
            "Closed %(count)d conversation.", "Closed %(count)d conversations.", count
        ) % {"count": count}
    return ngettext(
        "Marked %(count)d conversation as needing no response.",
        "Marked %(count)d conversations as needing no response.",
        count,
    ) % {"count": count}


def _outcome_text(action: str, outcome: BulkOutcome) -> str:
    parts = [_done_text(action, outcome)]
    if outcome.unchanged:
        parts.append(
            ngettext("%(count)d was already so.", "%(count)d were already so.", outcome.unchanged)
            % {"count": outcome.unchanged}
        )
    if outcome.skipped:
        skipped = "; ".join(f"“{subject}”: {reason}" for subject, reason in outcome.skipped)
        parts.append(
            ngettext(
                "Skipped %(count)d: %(list)s.", "Skipped %(count)d: %(list)s.", len(outcome.skipped)
            )
            % {"count": len(outcome.skipped), "list": skipped}
        )
    return " ".join(parts)


def _assignee(chosen: int | None, conversations: list[Conversation]) -> User | None:
    """The member chosen, if they are on the team of every selected conversation's seller
    (None: Nobody); UserFacingError otherwise, before anything changes."""
    if chosen is None:
        return None
    member = None
    for seller_id in {c.seller_id for c in conversations}:
        member = next((m for m in team_members(seller_id) if m.pk == chosen), None)
        if member is None:
            break
    if member is None:
        raise UserFacingError(
            _("Choose an active member of the team of every selected conversation, or Nobody.")
        )
    return member


@login_required
@require_POST
@seller_pages_only
def bulk_actions_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One action on the conversations selected on the inbox page."""
    back = _inbox_url(request)
    form = BulkAction(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    action = form.cleaned_data["action"]
    try:
        conversations = accessible_conversations(request.user, form.cleaned_data["conversation"])
        if action == BulkAction.ASSIGN:
            assignee = _assignee(form.cleaned_data["assignee"], conversations)
            outcome = bulk_assign(conversations, assignee=assignee, by=request.user)
        elif action == BulkAction.MARK_READ:
            outcome = bulk_mark_read(conversations, by=request.user)
        elif action == BulkAction.CLOSE:
            outcome = bulk_close(conversations, by=request.user)
        else:
            outcome = bulk_no_response_needed(conversations, by=request.user)
    except UserFacingError as error:
        messages.error(request, error.message)
        return redirect(back)
    notice = _outcome_text(action, outcome)
    if outcome.done or not outcome.skipped:
        messages.success(request, notice)
    else:
        messages.warning(request, notice)
    return redirect(back)
