from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compliance import review_views
from compliance import views as compliance_views
from messagecenter import views
from messagecenter.accounts import views as account_views
from messagecenter.accounts.forms import EmailLoginForm
from messagecenter.api import pages as api_pages
from messagecenter.messaging import views as messaging_views
from messagecenter.relay import views as relay_views
from messagecenter.threads import performance_views
from messagecenter.threads import views as thread_views
from orders import views as order_views

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
    path("settings/", account_views.notification_settings, name="notification_settings"),
    # Buyers
    path("messages/", thread_views.buyer_inbox_view, name="buyer_inbox"),
    path(
        "messages/<int:conversation_id>/",
        thread_views.buyer_conversation_view,
        name="buyer_conversation",
    ),
    path("orders/", order_views.buyer_order_list, name="buyer_orders"),
    path("orders/<str:number>/contact/", order_views.contact_seller, name="contact_seller"),
    path("products/", order_views.product_list, name="products"),
    path("products/<int:product_id>/ask/", order_views.ask_about_product, name="ask_product"),
    # Sellers
    path("seller/orders/", order_views.seller_order_list, name="seller_orders"),
    path("seller/orders/<str:number>/", order_views.seller_order_detail, name="seller_order"),
    path("seller/orders/<str:number>/contact/", order_views.contact_buyer, name="contact_buyer"),
    path("seller/messages/", thread_views.seller_inbox_view, name="seller_inbox"),
    path("seller/settings/email/", relay_views.approved_senders, name="approved_senders"),
    path(
        "seller/messages/<int:conversation_id>/",
        thread_views.seller_conversation_view,
        name="seller_conversation",
    ),
    path(
        "seller/messages/<int:conversation_id>/assign/",
        thread_views.conversation_assign_view,
        name="conversation_assign",
    ),
    path(
        "seller/messages/<int:conversation_id>/no-response-needed/",
        thread_views.conversation_no_response_view,
        name="conversation_no_response_needed",
    ),
    path("seller/performance/", performance_views.seller_performance, name="seller_performance"),
    # Files
    path(
        "attachments/<int:attachment_id>/",
        messaging_views.attachment_download,
        name="attachment_download",
    ),
    # Compliance
    path("compliance/check", compliance_views.check_draft, name="compliance_check"),
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
    path("settings/webhooks/", api_pages.webhooks, name="webhooks"),
    path(
        "settings/webhooks/<int:endpoint_id>/", api_pages.webhook_endpoint, name="webhook_endpoint"
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/remove/",
        api_pages.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "settings/webhooks/deliveries/<int:delivery_id>/resend/",
        api_pages.webhook_resend,
        name="webhook_resend",
    ),
    path("api/v1/", include("messagecenter.api.urls")),
    path("admin/", admin.site.urls),
]
