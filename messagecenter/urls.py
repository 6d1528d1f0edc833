from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from messagecenter import views
from messagecenter.accounts import views as account_views
from messagecenter.accounts.forms import EmailLoginForm
from messagecenter.accounts.language_switch import switch_language
from messagecenter.api import pages as api_pages
from messagecenter.clock import views as clock_views
from messagecenter.inbox.views import (
    compose,
    conversation_state,
    conversations,
    inboxes,
    live,
    routing,
)
from messagecenter.messaging import views as messaging_views
from messagecenter.moderation import live_check
from messagecenter.moderation import views as review_views
from messagecenter.notes import views as note_views
from messagecenter.relay import views as relay_views
from messagecenter.reply_templates import views as template_views
from messagecenter.search import views as search_views
from messagecenter.webhooks import views as webhook_views
from orders import views as order_views

handler400 = "messagecenter.views.bad_request"
handler500 = "messagecenter.views.server_error"

admin.site.site_header = "Message Center administration"
admin.site.site_title = "Message Center admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        account_views.SitePasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.SitePasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/", account_views.notification_settings, name="notification_settings"),
    path("language/", switch_language, name="switch_language"),
    # The scripts' strings (djangojs.po) in the page's language. Pages ask for it with the
    # language in the query (includes/js_catalog.html), so a browser's copy of one
    # language is never served for another; it changes only with a deploy.
    path(
        "jsi18n/",
        cache_page(24 * 3600)(JavaScriptCatalog.as_view()),
        name="javascript_catalog",
    ),
    path("search/", search_views.search_view, name="search"),
    # Buyers
    path("messages/", inboxes.buyer_inbox_view, name="buyer_inbox"),
    path(
        "messages/<int:conversation_id>/",
        conversations.buyer_conversation_view,
        name="buyer_conversation",
    ),
    path(
        "messages/<int:conversation_id>/live/messages",
        live.buyer_new_messages,
        name="buyer_live_messages",
    ),
    path(
        "messages/<int:conversation_id>/live/status",
        live.buyer_live_status,
        name="buyer_live_status",
    ),
    path("orders/", order_views.buyer_order_list, name="buyer_orders"),
    path("orders/<str:number>/contact/", compose.contact_seller, name="contact_seller"),
    path("products/", order_views.product_list, name="products"),
    path("products/<int:product_id>/ask/", compose.ask_about_product, name="ask_product"),
    # Sellers
    path("seller/orders/", order_views.seller_order_list, name="seller_orders"),
    path("seller/orders/<str:number>/", compose.seller_order_detail, name="seller_order"),
    path("seller/orders/<str:number>/contact/", compose.contact_buyer, name="contact_buyer"),
    path("seller/messages/", inboxes.seller_inbox_view, name="seller_inbox"),
    path(
        "seller/messages/<int:conversation_id>/live/messages",
        live.seller_new_messages,
        name="seller_live_messages",
    ),
    path(
        "seller/messages/<int:conversation_id>/live/status",
        live.seller_live_status,
        name="seller_live_status",
    ),
    path("live/badges", live.navigation_badges, name="live_badges"),
    path("seller/settings/email/", relay_views.approved_senders, name="approved_senders"),
    path("seller/templates/", template_views.reply_templates_page, name="reply_templates"),
    path(
        "seller/templates/filled/conversation/<int:conversation_id>",
        template_views.templates_for_conversation,
        name="reply_templates_for_conversation",
    ),
    path(
        "seller/templates/filled/order/<str:number>",
        template_views.templates_for_order,
        name="reply_templates_for_order",
    ),
    path(
        "seller/templates/<int:template_id>/",
        template_views.reply_template_edit,
        name="reply_template_edit",
    ),
    path(
        "seller/templates/<int:template_id>/delete/",
        template_views.reply_template_delete_view,
        name="reply_template_delete",
    ),
    path("seller/settings/routing/", routing.topic_routing, name="topic_routing"),
    path(
        "sending-address/confirm/<str:token>/",
        relay_views.approved_sender_confirm_view,
        name="approved_sender_confirm",
    ),
    path(
        "seller/messages/<int:conversation_id>/",
        conversations.seller_conversation_view,
        name="seller_conversation",
    ),
    path(
        "seller/messages/<int:conversation_id>/pane",
        conversations.seller_conversation_pane_view,
        name="seller_conversation_pane",
    ),
    path(
        "seller/messages/<int:conversation_id>/assign/",
        conversations.conversation_assign_view,
        name="conversation_assign",
    ),
    path(
        "seller/messages/<int:conversation_id>/no-response-needed/",
        conversations.conversation_no_response_view,
        name="conversation_no_response_needed",
    ),
    path(
        "seller/messages/<int:conversation_id>/notes/",
        note_views.note_add_view,
        name="conversation_note_add",
    ),
    path(
        "seller/messages/<int:conversation_id>/close/",
        conversation_state.conversation_close_view,
        name="conversation_close",
    ),
    path(
        "seller/messages/<int:conversation_id>/reopen/",
        conversation_state.conversation_reopen_view,
        name="conversation_reopen",
    ),
    path(
        "seller/messages/<int:conversation_id>/mark-unread/",
        conversation_state.conversation_mark_unread_view,
        name="conversation_mark_unread",
    ),
    path(
        "seller/messages/<int:conversation_id>/snooze/",
        conversation_state.conversation_snooze_view,
        name="conversation_snooze",
    ),
    path(
        "seller/messages/<int:conversation_id>/wake/",
        conversation_state.conversation_wake_view,
        name="conversation_wake",
    ),
    path(
        "seller/messages/bulk/",
        conversation_state.bulk_actions_view,
        name="conversation_bulk_actions",
    ),
    path("seller/performance/", clock_views.seller_performance, name="seller_performance"),
    # Files
    path(
        "attachments/<int:attachment_id>/",
        messaging_views.attachment_download,
        name="attachment_download",
    ),
    path(
        "attachments/<int:attachment_id>/preview/",
        messaging_views.attachment_preview,
        name="attachment_preview",
    ),
    # Compliance
    path("compliance/check", live_check.check_draft, name="compliance_check"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/<int:message_id>/", review_views.review_message, name="review_message"),
    path("review/restrictions/", review_views.restriction_list, name="restrictions"),
    path(
        "review/restrictions/<int:restriction_id>/lift/",
        review_views.restriction_lift_view,
        name="restriction_lift",
    ),
    # API tokens and webhooks (settings pages), and the REST API itself
    path("settings/api/", api_pages.api_tokens, name="api_tokens"),
    path(
        "settings/api/<int:token_id>/revoke/",
        api_pages.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("settings/webhooks/", webhook_views.webhooks, name="webhooks"),
    path(
        "settings/webhooks/<int:endpoint_id>/",
        webhook_views.webhook_endpoint,
        name="webhook_endpoint",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/remove/",
        webhook_views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "settings/webhooks/deliveries/<int:delivery_id>/resend/",
        webhook_views.webhook_resend,
        name="webhook_resend",
    ),
    path("api/v1/", include("messagecenter.api.urls")),
    path("admin/", admin.site.urls),
]
