"""Topics on conversations and where a business routes them.

A buyer who starts a conversation says what it is about (ConversationTopic). The topic
labels the conversation for both sides, and the business's routing gives a new
conversation about it to the team member the owners chose. A topic without a route, or
routed to someone who has left the team since, stays with the whole team.

Decided: every team member sees the routing (agents should know why a conversation came
to them); only the business's owners change it, as with the approved sending addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.core.errors import UserFacingError
from messagecenter.threads.assignment import conversation_assign_by_routing, team_members
from messagecenter.threads.models import Conversation, ConversationTopic, TopicRoute


def topic_label(topic: str) -> str:
    """The topic as people read it, in the current language; empty for no topic."""
    return str(ConversationTopic(topic).label) if topic in ConversationTopic.values else ""


@dataclass(frozen=True)
class BusinessRouting:
    """One business's routing as its page shows it: who gets each topic (None: the whole
    team), the active team to choose from, and whether the viewer may change it."""

    business: SellerBusiness
    routes: dict[str, int | None]
    team: list[User]
    can_change: bool


def routing_for_member(user: User) -> list[BusinessRouting]:
    """The routing of each business the user works for, by business name."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("business").order_by("business__name")
    )
    chosen: dict[int, dict[str, int]] = {}
    for route in TopicRoute.objects.filter(business__in=[m.business_id for m in memberships]):
        chosen.setdefault(route.business_id, {})[route.topic] = route.assignee_id
    sections = []
    for membership in memberships:
        team = team_members(membership.business_id)
        on_team = {member.pk for member in team}
        routes = chosen.get(membership.business_id, {})
        sections.append(
            BusinessRouting(
                business=membership.business,
                # Someone who left the team gets nothing routed: the page says so too.
                routes={
                    topic: (routes.get(topic) if routes.get(topic) in on_team else None)
                    for topic in ConversationTopic.values
                },
                team=team,
                can_change=membership.role == Membership.Role.OWNER,
            )
        )
    return sections


def topic_routing_save(
    *, business: SellerBusiness, routes: dict[str, User | None], by: User
) -> None:
    """Replace the business's routing: each topic to a member, or (None) the whole team."""
    if not Membership.objects.filter(
        user=by, business=business, role=Membership.Role.OWNER
    ).exists():
        raise UserFacingError(_("Only an owner of the business can change where topics go."))
    on_team = {member.pk for member in team_members(business.pk)}
    if any(member is not None and member.pk not in on_team for member in routes.values()):
        raise UserFacingError(_("Choose an active member of your team for each topic."))
    now = timezone.now()
    with transaction.atomic():
        TopicRoute.objects.filter(business=business).delete()
        TopicRoute.objects.bulk_create(
            TopicRoute(
                business=business, topic=topic, assignee=member, changed_by=by, changed_at=now
            )
            for topic, member in routes.items()
            if member is not None and topic in ConversationTopic.values
        )


def conversation_topic_choose(
    *, conversation: Conversation, topic: str, now: datetime | None = None
) -> None:
    """The buyer says what their new conversation is about: label it, and give it to the
    member the business routes the topic to. A conversation that has a topic keeps it;
    one that someone already assigned stays theirs."""
    if topic not in ConversationTopic.values or conversation.topic:
        return
    conversation.topic = topic
    Conversation.objects.filter(pk=conversation.pk, topic="").update(topic=topic)
    if conversation.assigned_to_id is not None:
        return
    route = (
        TopicRoute.objects.filter(business_id=conversation.seller_id, topic=topic)
        .select_related("assignee")
        .first()
    )
    if route is None:
        return
    if not Membership.objects.filter(
        user=route.assignee, business_id=conversation.seller_id, user__is_active=True
    ).exists():
        return  # they left the team: the whole team has it
    conversation_assign_by_routing(conversation=conversation, assignee=route.assignee, now=now)
