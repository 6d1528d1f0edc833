"""Cursor pagination: stable while new messages arrive, opaque to the tool."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class ConversationCursor(CursorPagination):
    ordering = ("-last_message_at", "-id")
    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100


class MessageCursor(CursorPagination):
    ordering = ("created_at", "id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 100


class MessageMatchCursor(CursorPagination):
    """Search's matching messages, newest first (their search rows' own columns)."""

    ordering = ("-created_at", "-message_id")
    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100


class ConversationMatchCursor(MessageMatchCursor):
    ordering = ("-created_at", "-conversation_id")
