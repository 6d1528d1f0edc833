"""The one door to a conversation, from the buyer's side or the seller's side.

Missing and forbidden answer the same way (Http404) so nothing leaks.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

from messagecenter.accounts.models import Membership, User
from messagecenter.accounts.selectors import business_ids_for_member, membership_known
from messagecenter.core.single_row import the_row
from messagecenter.threads.models import Conversation, ReadState

_RELATED = ("buyer", "seller", "order", "product")


def _with_read_marker(user: User) -> QuerySet[Conversation]:
    """Conversations with the user's own read marker joined in (``viewer_read_at``): opening
    the page asks whether it is read already (conversation_open), and this answers it in
    the same query as the access check."""
    marker = ReadState.objects.filter(conversation_id=OuterRef("pk"), user=user).values(
        "last_read_at"
    )[:1]
    return Conversation.objects.select_related(*_RELATED).annotate(viewer_read_at=Subquery(marker))


def access_conversation_as_buyer(user: User, conversation_id: int) -> Conversation:
    if not user.is_authenticated:
        raise Http404("No such conversation.")
    conversation = the_row(_with_read_marker(user).filter(pk=conversation_id, buyer=user))
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def access_conversation_as_seller(user: User, conversation_id: int) -> Conversation:
    if not user.is_authenticated:
        raise Http404("No such conversation.")
    # The membership asked in the same query, not read first: one query, and the send that
    # often follows (check_message_send) knows the user works for the seller. Asked as a
    # column rather than joined: a sixth table in the join made PostgreSQL weigh join
    # orders for about 1 ms per page, three times the query's planning without it.
    conversation = the_row(
        _with_read_marker(user)
        .annotate(
            viewer_is_member=Exists(
                Membership.objects.filter(business_id=OuterRef("seller_id"), user=user)
            )
        )
        .filter(pk=conversation_id)
    )
    if conversation is None or not getattr(conversation, "viewer_is_member", False):
        raise Http404("No such conversation.")
    membership_known(user, conversation.seller_id)
    return conversation


def can_read_conversation(user: User, conversation: Conversation) -> bool:
    """Whether the user takes part in the conversation, on either side."""
    if not user.is_authenticated:
        return False
    return conversation.buyer_id == user.pk or conversation.seller_id in business_ids_for_member(
        user
    )
