"""Search the conversations and messages the caller may read (search/selectors.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from messagecenter.api.pagination import ConversationMatchCursor, MessageMatchCursor
from messagecenter.api.search_serializers import SearchQuerySerializer, SearchResultPageSerializer
from messagecenter.api.views.base import ApiView, errors
from messagecenter.api.views.conversations import CURSOR
from messagecenter.search.results import SearchResult, conversation_result, message_result
from messagecenter.search.selectors import SearchFilter, conversation_matches, message_matches


def _written(result: SearchResult) -> dict[str, Any]:
    order = result.conversation.order
    return {
        "conversation_id": result.conversation.pk,
        "message_id": result.message_id,
        "created_at": result.at,
        "status": result.status,
        "subject": result.conversation.subject,
        "order_number": order.number if order is not None else None,
        "passage_html": str(result.passage),
        "url": result.url,
    }


class SearchView(ApiView):
    @extend_schema(
        operation_id="search",
        tags=["Search"],
        summary="Messages and conversations you may read that match, newest first",
        description="The same rules as the pages: your conversations as a buyer and your "
        "businesses' conversations, with the messages your side sees (never the other "
        "side's held or blocked ones); administrators search everything.",
        parameters=[SearchQuerySerializer, *CURSOR],
        responses={200: SearchResultPageSerializer, **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        user, search_filter = self.caller(), SearchFilter(wanted["filter"])
        if wanted["kind"] == "conversations":
            paginator: CursorPagination = ConversationMatchCursor()
            found = conversation_matches(user, wanted["q"], search_filter=search_filter)
            page = paginator.paginate_queryset(found, request, view=self) or []
            results = [conversation_result(user, row, None) for row in page]
        else:
            paginator = MessageMatchCursor()
            matches = message_matches(user, wanted["q"], search_filter=search_filter)
            hits = paginator.paginate_queryset(matches, request, view=self) or []
            results = [message_result(user, row, None) for row in hits]
        return paginator.get_paginated_response([_written(r) for r in results])
