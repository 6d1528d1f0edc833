"""The buyer's inbox and the seller team's inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from messagecenter.accounts.decorators import seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.keyset import CURSOR, keyset_page
from messagecenter.inbox.inbox_rows import inbox_rows
from messagecenter.inbox.seller_list import seller_list_context
from messagecenter.search.selectors import BUYER_FILTERS as BUYER_SEARCH_FILTERS
from messagecenter.search.selectors import FILTER_LABELS as SEARCH_FILTER_LABELS
from messagecenter.search.selectors import SearchFilter
from messagecenter.threads.selectors import (
    BUYER_FILTERS,
    FILTER_LABELS,
    InboxFilter,
    buyer_inbox_page,
    inbox_sort_keys,
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


def _filter_tabs(allowed: tuple[InboxFilter, ...], current: InboxFilter) -> list[dict[str, object]]:
    return [
        {"value": f.value, "label": FILTER_LABELS[f], "current": f == current, "count": None}
        for f in allowed
    ]


def _search_filters(allowed: tuple[SearchFilter, ...], current: str) -> list[dict[str, object]]:
    """The inbox's search box offers the filters a search keeps, the inbox's own chosen."""
    return [
        {"value": f.value, "label": SEARCH_FILTER_LABELS[f], "current": f.value == current}
        for f in allowed
    ]


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
    """The team inbox: the list, and an empty pane where a conversation opens. ``open``
    marks a row as the one open beside the list (the workspace's live refresh asks so)."""
    opened = request.GET.get("open", "")
    open_id = int(opened) if opened.isdigit() else None
    return render(
        request, "inbox/inbox.html", seller_list_context(request, open_conversation_id=open_id)
    )
