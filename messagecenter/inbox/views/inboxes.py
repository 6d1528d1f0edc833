"""The buyer's inbox and the seller team's inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext

from messagecenter.accounts.decorators import seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.keyset import CURSOR, keyset_page
from messagecenter.inbox.bulk_actions import bulk_assignees
from messagecenter.inbox.context_processors import seller_badges
from messagecenter.inbox.inbox_rows import inbox_rows
from messagecenter.search.selectors import BUYER_FILTERS as BUYER_SEARCH_FILTERS
from messagecenter.search.selectors import FILTER_LABELS as SEARCH_FILTER_LABELS
from messagecenter.search.selectors import SearchFilter
from messagecenter.threads.models import ConversationTopic
from messagecenter.threads.selectors import (
    BUYER_FILTERS,
    FILTER_LABELS,
    SELLER_FILTERS,
    SORT_LABELS,
    InboxFilter,
    InboxSort,
    buyer_inbox_page,
    inbox_sort_keys,
    seller_inbox_page,
)


def _inbox_filter(
    request: AuthenticatedHttpRequest, allowed: tuple[InboxFilter, ...]
) -> InboxFilter:
    value = request.GET.get("filter", InboxFilter.ALL)
    return InboxFilter(value) if value in allowed else InboxFilter.ALL


def _cursor(request: AuthenticatedHttpRequest) -> str | None:
    """Where the page starts: the signed position an Older or Newer link carries."""
    return request.GET.get(CURSOR) or None


def _link_params(**values: str) -> QueryDict:
    """What the Newer and Older links keep: the filter and sort as understood, not as
    typed."""
    params = QueryDict(mutable=True)
    params.update(values)
    return params


def _filter_tabs(
    allowed: tuple[InboxFilter, ...],
    current: InboxFilter,
    counts: dict[InboxFilter, int] | None = None,
) -> list[dict[str, object]]:
    return [
        {
            "value": f.value,
            "label": FILTER_LABELS[f],
            "current": f == current,
            "count": (counts or {}).get(f),
        }
        for f in allowed
    ]


def _topic(request: AuthenticatedHttpRequest) -> str:
    """The topic the seller inbox is narrowed to; empty (every topic) for anything else."""
    value = request.GET.get("topic", "")
    return value if value in ConversationTopic.values else ""


def _topic_links(current: str) -> list[dict[str, object]]:
    return [
        {"value": "", "label": pgettext("every topic", "All"), "current": not current},
        *(
            {"value": value, "label": label, "current": value == current}
            for value, label in ConversationTopic.choices
        ),
    ]


def _search_filters(allowed: tuple[SearchFilter, ...], current: str) -> list[dict[str, object]]:
    """The inbox's search box offers the filters a search keeps, the inbox's own chosen."""
    return [
        {"value": f.value, "label": SEARCH_FILTER_LABELS[f], "current": f.value == current}
        for f in allowed
    ]


def _seller_tab_counts(request: AuthenticatedHttpRequest) -> dict[InboxFilter, int]:
    """The numbers on the filter tabs: the same counts as the navigation's badges."""
    badges = seller_badges(request)
    return {
        InboxFilter.UNREAD: badges.unread,
        InboxFilter.AWAITING_REPLY: badges.business.awaiting,
        InboxFilter.OVERDUE: badges.business.overdue,
    }


@login_required
def buyer_inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = _inbox_filter(request, BUYER_FILTERS)
    page = keyset_page(
        buyer_inbox_page(request.user, current),
        inbox_sort_keys(),
        _cursor(request),
        query=_link_params(filter=current.value),
    )
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "rows": inbox_rows(page.object_list, side="buyer", now=timezone.now()),
            "side": "buyer",
            "tabs": _filter_tabs(BUYER_FILTERS, current),
            "search_filters": _search_filters(BUYER_SEARCH_FILTERS, current.value),
        },
    )


@login_required
@seller_pages_only
def seller_inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = _inbox_filter(request, SELLER_FILTERS)
    sort_value = request.GET.get("sort", InboxSort.NEWEST)
    sort = InboxSort(sort_value) if sort_value in set(InboxSort) else InboxSort.NEWEST
    topic = _topic(request)
    page = keyset_page(
        seller_inbox_page(request.user, current, sort=sort, topic=topic),
        inbox_sort_keys(sort),
        _cursor(request),
        query=_link_params(
            filter=current.value, sort=sort.value, **({"topic": topic} if topic else {})
        ),
    )
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "rows": inbox_rows(page.object_list, side="seller", now=timezone.now()),
            "side": "seller",
            "tabs": _filter_tabs(SELLER_FILTERS, current, _seller_tab_counts(request)),
            "search_filters": _search_filters(tuple(SearchFilter), current.value),
            "held": seller_badges(request).business.held,
            "filter": current.value,
            "sort": sort.value,
            # Called by the bulk bar only when the page has rows to act on.
            "bulk_team": lambda: bulk_assignees(request.user),
            "sorts": [
                {"value": s.value, "label": SORT_LABELS[s], "current": s == sort} for s in InboxSort
            ],
            "topic": topic,
            "topics": _topic_links(topic),
        },
    )
