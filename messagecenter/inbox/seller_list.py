"""The seller team's conversation list as both panes of the workspace show it: the inbox
page alone, and beside an open conversation (the same filter, order and page, kept in
every link so opening a conversation never loses the list)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import pgettext

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.keyset import CURSOR, keyset_page
from messagecenter.inbox.bulk_actions import bulk_assignees
from messagecenter.inbox.context_processors import seller_badges
from messagecenter.inbox.inbox_rows import inbox_rows
from messagecenter.search.selectors import FILTER_LABELS as SEARCH_FILTER_LABELS
from messagecenter.search.selectors import SearchFilter
from messagecenter.threads.models import ConversationTopic
from messagecenter.threads.selectors import (
    FILTER_LABELS,
    SELLER_FILTERS,
    SORT_LABELS,
    InboxFilter,
    InboxSort,
    assigned_to_me_count,
    inbox_sort_keys,
    seller_inbox_page,
)


@dataclass(frozen=True)
class ListPosition:
    """Which list the seller looks at: its filter, its order and the page's cursor, as
    understood (an unknown filter or order is the default), not as typed."""

    filter: InboxFilter
    sort: InboxSort
    cursor: str | None
    topic: str  # a ConversationTopic value; empty: every topic

    def query(self, *, with_cursor: bool = True) -> QueryDict:
        """The position as query parameters, the defaults left out (the plain address)."""
        params = QueryDict(mutable=True)
        if self.filter != InboxFilter.ALL:
            params["filter"] = self.filter.value
        if self.sort != InboxSort.NEWEST:
            params["sort"] = self.sort.value
        if self.topic:
            params["topic"] = self.topic
        if with_cursor and self.cursor:
            params[CURSOR] = self.cursor
        return params


def list_position(request: AuthenticatedHttpRequest) -> ListPosition:
    filter_value = request.GET.get("filter", InboxFilter.ALL)
    sort_value = request.GET.get("sort", InboxSort.NEWEST)
    return ListPosition(
        filter=InboxFilter(filter_value) if filter_value in SELLER_FILTERS else InboxFilter.ALL,
        sort=InboxSort(sort_value) if sort_value in set(InboxSort) else InboxSort.NEWEST,
        cursor=request.GET.get(CURSOR) or None,
        topic=topic if (topic := request.GET.get("topic", "")) in ConversationTopic.values else "",
    )


def _topic_links(current: str) -> list[dict[str, object]]:
    return [
        {"value": "", "label": pgettext("every topic", "All"), "current": not current},
        *(
            {"value": value, "label": label, "current": value == current}
            for value, label in ConversationTopic.choices
        ),
    ]


def seller_tab_counts(request: AuthenticatedHttpRequest) -> dict[InboxFilter, int]:
    """The numbers on the filter tabs. Only "Assigned to me" is counted on the page (a range
    of one index per business); the others are the navigation's kept counts: the user's
    unread rows (threads/unread.py) and the business counts (messaging/business_counts.py)."""
    badges = seller_badges(request)
    business = badges.business
    return {
        InboxFilter.ALL: business.conversations,
        InboxFilter.UNREAD: badges.unread,
        InboxFilter.AWAITING_REPLY: business.awaiting,
        InboxFilter.OVERDUE: business.overdue,
        InboxFilter.DUE_SOON: business.due_soon,
        InboxFilter.ASSIGNED_TO_ME: assigned_to_me_count(request.user),
        InboxFilter.UNASSIGNED: business.unassigned,
        InboxFilter.CLOSED: business.closed,
        InboxFilter.SNOOZED: business.snoozed,
    }


def seller_list_context(
    request: AuthenticatedHttpRequest, *, open_conversation_id: int | None = None
) -> dict[str, object]:
    """What the list pane shows: the page of rows (the open one marked), the filter tabs
    with their counts, the orders, the search box's filters and the held note."""
    position = list_position(request)
    counts = seller_tab_counts(request)
    page = keyset_page(
        seller_inbox_page(request.user, position.filter, sort=position.sort, topic=position.topic),
        inbox_sort_keys(position.sort),
        position.cursor,
        query=position.query(with_cursor=False),
    )
    return {
        "page": page,
        "rows": inbox_rows(
            page.object_list,
            side="seller",
            now=timezone.now(),
            link_query=position.query().urlencode(),
            open_id=open_conversation_id,
        ),
        "side": "seller",
        "tabs": [
            {
                "value": f.value,
                "label": FILTER_LABELS[f],
                "current": f == position.filter,
                "count": counts.get(f),
            }
            for f in SELLER_FILTERS
        ],
        "search_filters": [
            {"value": f.value, "label": SEARCH_FILTER_LABELS[f], "current": f == position.filter}
            for f in SearchFilter
        ],
        "held": seller_badges(request).business.held,
        # Called by the bulk bar only when the page has rows to act on.
        "bulk_team": lambda: bulk_assignees(request.user),
        "filter": position.filter.value,
        "sort": position.sort.value,
        "sorts": [
            {"value": s.value, "label": SORT_LABELS[s], "current": s == position.sort}
            for s in InboxSort
        ],
        "topic": position.topic,
        "topics": _topic_links(position.topic),
        "list_query": position.query().urlencode(),
        "workspace": True,
    }
