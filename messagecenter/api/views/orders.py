"""Order messaging in the shape seller tools know: actions, attributes, send by type."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, to_locale
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.message_types import SELLER_TYPES, get_message_type
from compliance.sanitize import looks_like_html
from messagecenter.accounts.locale import in_the_locale_of, language_of
from messagecenter.accounts.models import User
from messagecenter.api.idempotency import idempotent
from messagecenter.api.serializers import (
    MessagingActionsSerializer,
    OrderAttributesSerializer,
    OrderMessageSerializer,
    SendResultSerializer,
)
from messagecenter.api.views.base import IDEMPOTENCY_KEY, ApiView, errors, post_errors
from messagecenter.api.views.sending import send_response, uploads_by_id
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.models import Message
from messagecenter.messaging.sending import message_send_for_order
from messagecenter.messaging.type_options import seller_type_options_for_order
from messagecenter.threads.models import Side
from messagecenter.threads.selectors import conversation_for_order
from orders.access import access_order_as_seller

ORDER_NUMBER = OpenApiParameter(
    "order_number", str, OpenApiParameter.PATH, description="The marketplace order number."
)
SELLER_TYPE_IDS = [t.id for t in SELLER_TYPES]


class MessagingActionsView(ApiView):
    @extend_schema(
        operation_id="order_messaging_actions",
        tags=["Orders"],
        summary="Message types you may send for the order now, and why not the others",
        parameters=[ORDER_NUMBER],
        responses={200: MessagingActionsSerializer, **errors(404)},
    )
    def get(self, request: Request, order_number: str) -> Response:
        order = access_order_as_seller(self.caller(), order_number)
        options = seller_type_options_for_order(order, conversation_for_order(order.pk))
        actions = [
            {
                "message_type": o.kind.id,
                "label": o.kind.label,
                "group": o.kind.group.value,
                "purpose": o.kind.purpose,
                "available": o.available,
                "reasons": list(o.reasons),
                "delivered": not o.not_delivered,
                "not_delivered_reason": o.not_delivered,
                "text_limit": o.kind.text_limit,
                "min_attachments": o.kind.min_attachments,
                "max_attachments": o.kind.max_attachments,
                "href": reverse("api:order-message-send", args=[order.number, o.kind.id]),
            }
            for o in options
        ]
        return Response({"order_number": order.number, "actions": actions})


def buyer_locale(buyer: User) -> str:
    """The buyer's language as a BCP 47 tag; the site's language until they have one."""
    return to_locale(language_of(buyer)).replace("_", "-")


class OrderAttributesView(ApiView):
    @extend_schema(
        operation_id="order_attributes",
        tags=["Orders"],
        summary="What a tool needs to write to the buyer: their preferred locale",
        parameters=[ORDER_NUMBER],
        responses={200: OrderAttributesSerializer, **errors(404)},
    )
    def get(self, request: Request, order_number: str) -> Response:
        order = access_order_as_seller(self.caller(), order_number)
        return Response(
            {"order_number": order.number, "buyer": {"locale": buyer_locale(order.buyer)}}
        )


def with_coverage(text: str, data: dict, *, reader: User) -> str:
    """The warranty's coverage dates, written into the message the buyer reads: in the
    buyer's language (the one the seller is asked to write in), months spelled out."""
    start, end = data.get("coverage_start_date"), data.get("coverage_end_date")
    if start is None or end is None:
        return text
    with in_the_locale_of(reader):
        # Translators: a date format (Django's date template syntax) for the warranty
        # coverage line, with the month spelled out, e.g. "j. F Y" for "1. Januar 2027".
        spelled = pgettext("warranty coverage date", "F j, Y")
        line = _("Warranty coverage: %(start)s to %(end)s.") % {
            "start": dateformat.format(start, spelled),
            "end": dateformat.format(end, spelled),
        }
    return f"{text}<p>{escape(line)}</p>" if looks_like_html(text) else f"{text}\n\n{line}"


class OrderMessageSendView(ApiView):
    throttle_scope = "api.send"

    @extend_schema(
        operation_id="order_message_send",
        tags=["Orders"],
        summary="Send a message of a given type about the order",
        description="The message is judged by the same policy as in the browser. 201: stored "
        "(delivered, or undeliverable because the buyer opted out); 202: held for review; "
        "422: blocked, with the rules that blocked it.",
        parameters=[
            ORDER_NUMBER,
            OpenApiParameter("message_type", str, OpenApiParameter.PATH, enum=SELLER_TYPE_IDS),
            IDEMPOTENCY_KEY,
        ],
        request=OrderMessageSerializer,
        responses={201: SendResultSerializer, 202: SendResultSerializer, **post_errors(404, 422)},
    )
    @idempotent
    def post(self, request: Request, order_number: str, message_type: str) -> Response:
        user = self.caller()
        order = access_order_as_seller(user, order_number)
        kind = get_message_type(message_type)
        if kind is None or kind.id not in SELLER_TYPE_IDS:
            raise Http404(_("No such message type."))
        form = OrderMessageSerializer(data=request.data, context={"message_type": kind.id})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        uploads = uploads_by_id(user, data["attachments"])
        result = message_send_for_order(
            order=order,
            draft=Draft(
                sender=user,
                side=Side.SELLER,
                message_type=kind.id,
                subject=data["subject"],
                body=with_coverage(data["text"], data, reader=order.buyer),
                uploads=uploads,
                via=Message.Via.API,
            ),
        )
        return send_response(result)
