"""The live check: what the policy would say about a seller's draft, while they write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance.engine import verdict_as_dict
from compliance.policy import RULES
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import id_from_request
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.replies import answers_buyer
from messagecenter.messaging.sending import check_message_send
from messagecenter.threads.access import access_conversation_as_seller
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.selectors import conversation_for_order
from orders.access import access_order_as_seller

MAX_LIVE_BODY = 20_000


def _conversation_for_check(request: AuthenticatedHttpRequest) -> Conversation:
    """The conversation the draft is for; an unsaved one for an order's first message."""
    if request.POST.get("conversation"):
        conversation_id = id_from_request(request.POST["conversation"], what=_("conversation"))
        return access_conversation_as_seller(request.user, conversation_id)
    order = access_order_as_seller(request.user, request.POST.get("order", ""))
    return conversation_for_order(order.pk) or Conversation(
        buyer=order.buyer, seller=order.seller, order=order, started_by=Side.SELLER
    )


@login_required
@require_POST
def check_draft(request: AuthenticatedHttpRequest) -> JsonResponse:
    """What the policy would say about the draft so far (files are checked on Send)."""
    conversation = _conversation_for_check(request)
    body = request.POST.get("body", "")[:MAX_LIVE_BODY]
    message_type = request.POST.get("message_type") or (
        "reply" if conversation.pk and answers_buyer(conversation, timezone.now()) else ""
    )
    draft = Draft(
        sender=request.user,
        side=Side.SELLER,
        message_type=message_type,
        subject=request.POST.get("subject", ""),
        body=body,
    )
    try:
        verdict = check_message_send(conversation, draft).verdict
    except UserFacingError:
        return JsonResponse({"verdict": "allow", "violations": []})
    data = verdict_as_dict(verdict)
    # Needing a file is said on Send, when the files are there; not while typing.
    data["violations"] = [
        dict(v, title=RULES[v["rule"]].title)
        for v in data["violations"]
        if v["location"] != "attachments"
    ]
    data.pop("body", None)
    return JsonResponse(data)
