"""What an open page fetches when a live event arrives (messagecenter/live): the events
carry ids only, and these answer with what the viewer may see, through the same access
functions and templates as the pages. Each costs the same however much is new.

- the messages after the last one the page shows (a new message, or catching up after
  the socket was down), rendered by the conversation page's own template;
- the "Seen" / "Avery is replying" line under the messages;
- the navigation's badges.
The inbox pages need no fragment of their own: the page fetches itself again and takes
its rows, as a reload would show them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.ids import id_from_request
from messagecenter.core.one_round_trip import rows_of_each
from messagecenter.inbox.live_status import live_status
from messagecenter.inbox.message_fragments import rendered_messages
from messagecenter.messaging.selectors import messages_in_conversation
from messagecenter.relay.bounces import bounce_notes_for
from messagecenter.threads.access import (
    access_conversation_as_buyer,
    access_conversation_as_seller,
)
from messagecenter.threads.assignment import team_members
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.read_receipts import other_side_read_from, other_side_read_statement
from messagecenter.threads.services import conversation_open

# New messages sent at most this many at a time; the page asks again while there are more.
BATCH = 50
MORE_HEADER = "X-Live-More"


def _access(request: AuthenticatedHttpRequest, conversation_id: int, side: Side) -> Conversation:
    if side == Side.SELLER:
        return access_conversation_as_seller(request.user, conversation_id)
    return access_conversation_as_buyer(request.user, conversation_id)


def _after(request: AuthenticatedHttpRequest) -> int:
    value = request.GET.get("after", "0")
    # 0: the page showed no message yet.
    return 0 if value == "0" else id_from_request(value, what=_("message"))


def _new_messages(
    request: AuthenticatedHttpRequest, conversation_id: int, side: Side
) -> HttpResponse:
    conversation = _access(request, conversation_id, side)
    after = _after(request)
    fetched = list(messages_in_conversation(conversation, side).filter(pk__gt=after)[: BATCH + 1])
    shown = fetched[:BATCH]
    # The page shows them now: the viewer has read the conversation, as on a reload; but
    # not from a tab in the background (read=0), or the sender would see "Seen" for words
    # nobody looked at. That page asks again, without read=0, once it is looked at.
    if request.GET.get("read") != "0":
        conversation_open(conversation=conversation, user=request.user)
    html = rendered_messages(
        shown, conversation=conversation, side=side, bounces=bounce_notes_for(shown, side)
    )
    response = HttpResponse(html)
    response[MORE_HEADER] = "1" if len(fetched) > BATCH else "0"
    return response


def _status(request: AuthenticatedHttpRequest, conversation_id: int, side: Side) -> HttpResponse:
    conversation = _access(request, conversation_id, side)
    newest_query = messages_in_conversation(conversation, side).order_by("-created_at", "-id")
    newest = newest_query.prefetch_related(None).select_related(None).first()
    [read_rows] = rows_of_each([other_side_read_statement(conversation, side)])
    status = live_status(
        conversation_id=conversation.pk,
        side=side,
        viewer=request.user,
        newest=newest,
        other_side_read_at=other_side_read_from(read_rows),
        team=lambda: team_members(conversation.seller_id),
    )
    return render(request, "includes/live_status.html", {"live": status})


@login_required
@require_GET
def buyer_new_messages(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    return _new_messages(request, conversation_id, Side.BUYER)


@login_required
@require_GET
def seller_new_messages(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    return _new_messages(request, conversation_id, Side.SELLER)


@login_required
@require_GET
def buyer_live_status(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    return _status(request, conversation_id, Side.BUYER)


@login_required
@require_GET
def seller_live_status(request: AuthenticatedHttpRequest, conversation_id: int) -> HttpResponse:
    return _status(request, conversation_id, Side.SELLER)


@login_required
@require_GET
def navigation_badges(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The Messages link's badges (unread, overdue), from the navigation's own reads."""
    return render(request, "includes/nav_badges.html")
