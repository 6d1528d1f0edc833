"""The search results page: the header's and the inboxes' search box lead here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.keyset import CURSOR, SortKey, keyset_page
from messagecenter.search.forms import SearchForm
from messagecenter.search.results import conversation_result, message_result
from messagecenter.search.selectors import (
    BUYER_FILTERS,
    COUNT_CAP,
    FILTER_LABELS,
    SearchFilter,
    conversation_matches,
    message_match_count,
    message_matches,
)
from messagecenter.threads.models import Side

RESULTS_PER_PAGE = 20
CONVERSATIONS_SHOWN = 10
RESULT_KEYS = (SortKey("created_at", descending=True), SortKey("message_id", descending=True))


@login_required
def search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    side, search_filter = form.side_value(), form.filter_value()
    text = form.text()
    user = request.user
    cursor = request.GET.get(CURSOR) or None
    page = keyset_page(
        message_matches(user, text, side=side, search_filter=search_filter),
        RESULT_KEYS,
        cursor,
        RESULTS_PER_PAGE,
        query=request.GET,
    )
    messages = [message_result(user, row, side) for row in page.object_list]
    conversations = []
    count = None
    if text and cursor is None:
        found = conversation_matches(user, text, side=side, search_filter=search_filter)
        conversations = [
            conversation_result(user, row, side) for row in found[:CONVERSATIONS_SHOWN]
        ]
        if page.older_cursor:
            count = message_match_count(user, text, side=side, search_filter=search_filter)
    filters = BUYER_FILTERS if side == Side.BUYER else tuple(SearchFilter)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "side": side.value if side else "",
            "page": page,
            "messages_found": messages,
            "conversations_found": conversations,
            "count": count,
            "count_cap": COUNT_CAP,
            "filters": [
                {"value": f.value, "label": FILTER_LABELS[f], "current": f == search_filter}
                for f in filters
            ],
        },
    )
