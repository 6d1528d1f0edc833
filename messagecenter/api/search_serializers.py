"""The search operation's query and answer (GET /api/v1/search)."""

from __future__ import annotations

from rest_framework import serializers

from messagecenter.api.serializers import page_of
from messagecenter.search.selectors import MAX_QUERY_LENGTH, SearchFilter


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text='What to find, in web search syntax: "an exact phrase", -left_out, '
        "this or that. Matched, language-aware, against message text and subjects, file "
        "names, order numbers, buyer and seller names, product titles and SKUs.",
    )
    kind = serializers.ChoiceField(
        choices=["messages", "conversations"],
        default="messages",
        help_text="messages: the matching messages, newest first; conversations: the "
        "conversations whose order number, people or products match.",
    )
    filter = serializers.ChoiceField(
        choices=[f.value for f in SearchFilter],
        default=SearchFilter.ALL.value,
        help_text="Keep only conversations awaiting a reply, overdue, due within 4 hours, "
        "assigned to you or to nobody, or only messages held for review.",
    )


class SearchResultSerializer(serializers.Serializer):
    conversation_id = serializers.IntegerField()
    message_id = serializers.IntegerField(
        allow_null=True, help_text="The matching message; null for a conversation match."
    )
    created_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="The message's status; empty for a conversation.")
    subject = serializers.CharField(help_text="The conversation's subject.")
    order_number = serializers.CharField(allow_null=True)
    passage_html = serializers.CharField(
        help_text="The matching passage as HTML: its text escaped, the matching words in "
        "<mark> elements, nothing else."
    )
    url = serializers.CharField(help_text="The page that shows it, the message anchored.")


SearchResultPageSerializer = page_of(SearchResultSerializer, "SearchResultPageSerializer")
