"""/api/v1/: the REST API for seller tools, its schema and its documentation."""

from __future__ import annotations

from django.urls import path, re_path

# The schema extension registers with drf-spectacular when imported; here rather than at
# start-up, so management commands do not pay for loading the API's libraries.
from messagecenter.api import schema  # noqa: F401
from messagecenter.api.views import conversations, docs, files, orders, search

app_name = "api"

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    path(
        "orders/<str:order_number>/messaging-actions",
        orders.MessagingActionsView.as_view(),
        name="order-messaging-actions",
    ),
    path(
        "orders/<str:order_number>/attributes",
        orders.OrderAttributesView.as_view(),
        name="order-attributes",
    ),
    path(
        "orders/<str:order_number>/messages/<str:message_type>",
        orders.OrderMessageSendView.as_view(),
        name="order-message-send",
    ),
    path("uploads", files.UploadCreateView.as_view(), name="uploads"),
    path(
        "attachments/<int:attachment_id>",
        files.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path("conversations", conversations.ConversationListView.as_view(), name="conversations"),
    path(
        "conversations/<int:conversation_id>",
        conversations.ConversationDetailView.as_view(),
        name="conversation",
    ),
    path(
        "conversations/<int:conversation_id>/messages",
        conversations.ConversationMessagesView.as_view(),
        name="conversation-messages",
    ),
    path(
        "conversations/<int:conversation_id>/read",
        conversations.ConversationReadView.as_view(),
        name="conversation-read",
    ),
    path(
        "conversations/<int:conversation_id>/no-response-needed",
        conversations.NoResponseNeededView.as_view(),
        name="conversation-no-response-needed",
    ),
    path(
        "conversations/<int:conversation_id>/assign",
        conversations.AssignView.as_view(),
        name="conversation-assign",
    ),
    path("team", conversations.TeamView.as_view(), name="team"),
    path("search", search.SearchView.as_view(), name="search"),
    # (?s:): a path with an encoded line break is still an API path, answered in JSON.
    re_path(r"^(?P<unmatched>(?s:.*))$", docs.api_not_found, name="not-found"),
]
