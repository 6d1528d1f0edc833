"""The seller's conversations: list, read, reply, mark read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from messagecenter.api.idempotency import idempotent
from messagecenter.api.pagination import ConversationCursor, MessageCursor
from messagecenter.api.representations import ConversationRows, MessageRows
from messagecenter.api.selectors import (
    api_conversation_for_messages,
    api_conversation_row,
    api_conversations,
    api_message_rows,
    api_teams,
    attachments_by_message,
    waiting_buyer_messages,
)
from messagecenter.api.serializers import (
    AssignSerializer,
    ConversationFilterSerializer,
    ConversationPageSerializer,
    ConversationSerializer,
    MarkReadSerializer,
    MessagePageSerializer,
    NoResponseNeededSerializer,
    ReplySerializer,
    SendResultSerializer,
    TeamSerializer,
)
from messagecenter.api.views.base import IDEMPOTENCY_KEY, ApiView, errors, post_errors
from messagecenter.api.views.sending import send_response, uploads_by_id
from messagecenter.clock.reply_clock import mark_no_response_needed
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.models import Message
from messagecenter.messaging.replies import reply_draft
from messagecenter.messaging.sending import check_and_send
from messagecenter.threads.access import access_conversation_as_seller
from messagecenter.threads.assignment import conversation_assign, team_members
from messagecenter.threads.models import Side
from messagecenter.threads.services import conversation_mark_read

CONVERSATION_ID = OpenApiParameter("conversation_id", int, OpenApiParameter.PATH)
CURSOR = [
    OpenApiParameter("cursor", str, description="From the previous page's next link."),
    OpenApiParameter("limit", int, description="Rows per page, at most 100."),
]


class ConversationListView(ApiView):
    @extend_schema(
        operation_id="conversation_list",
        tags=["Conversations"],
        summary="Conversations of your seller businesses, newest first",
        parameters=[ConversationFilterSerializer, *CURSOR],
        responses={200: ConversationPageSerializer, **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = ConversationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        now = timezone.now()  # the same instant for the overdue filter and each row's flag
        rows = api_conversations(
            self.caller(),
            awaiting_reply=wanted.get("awaiting_reply"),
            overdue=wanted.get("overdue"),
            assigned=wanted.get("assigned"),
            order_number=wanted.get("order"),
            updated_since=wanted.get("updated_since"),
            topic=wanted.get("topic"),
            now=now,
        )
        paginator = ConversationCursor()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        written = ConversationRows(now)
        return paginator.get_paginated_response([written(row) for row in page])


class ConversationDetailView(ApiView):
    @extend_schema(
        operation_id="conversation_get",
        tags=["Conversations"],
        parameters=[CONVERSATION_ID],
        responses={200: ConversationSerializer, **errors(404)},
    )
    def get(self, request: Request, conversation_id: int) -> Response:
        return Response(ConversationRows()(api_conversation_row(self.caller(), conversation_id)))


class ConversationMessagesView(ApiView):
    def get_throttles(self) -> list[BaseThrottle]:
        self.throttle_scope = "api.send" if self.request.method == "POST" else "api.read"
        return super().get_throttles()

    @extend_schema(
        operation_id="conversation_messages",
        tags=["Conversations"],
        summary="The messages your side sees, oldest first",
        parameters=[CONVERSATION_ID, *CURSOR],
        responses={200: MessagePageSerializer, **errors(404)},
    )
    def get(self, request: Request, conversation_id: int) -> Response:
        conversation = api_conversation_for_messages(self.caller(), conversation_id)
        paginator = MessageCursor()
        page = paginator.paginate_queryset(api_message_rows(conversation), request, view=self) or []
        files = attachments_by_message([row["id"] for row in page])
        written = MessageRows(seller_name=conversation.seller.name)
        return paginator.get_paginated_response([written(row, files[row["id"]]) for row in page])

    @extend_schema(
        operation_id="conversation_reply",
        tags=["Conversations"],
        summary="Answer the buyer in the conversation",
        description="A reply is judged by the same policy as in the browser. 201: stored; "
        "202: held for review; 422: blocked, with the rules that blocked it (a reply is only "
        "for a conversation the buyer started: type.not_allowed otherwise).",
        parameters=[CONVERSATION_ID, IDEMPOTENCY_KEY],
        request=ReplySerializer,
        responses={
            201: SendResultSerializer,
            202: SendResultSerializer,
            **post_errors(404, 422),
        },
    )
    @idempotent
    def post(self, request: Request, conversation_id: int) -> Response:
        user = self.caller()
        conversation = access_conversation_as_seller(user, conversation_id)
        form = ReplySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        uploads = uploads_by_id(user, form.validated_data["attachments"])
        draft = reply_draft(
            conversation,
            sender=user,
            side=Side.SELLER,
            body=form.validated_data["text"],
            uploads=uploads,
            via=Message.Via.API,
        )
        return send_response(check_and_send(conversation, draft))


class ConversationReadView(ApiView):
    throttle_scope = "api.write"

    @extend_schema(
        operation_id="conversation_mark_read",
        tags=["Conversations"],
        summary="Mark the conversation read for you",
        parameters=[CONVERSATION_ID, IDEMPOTENCY_KEY],
        request=None,
        responses={200: MarkReadSerializer, **post_errors(404)},
    )
    @idempotent
    def post(self, request: Request, conversation_id: int) -> Response:
        user = self.caller()
        conversation = access_conversation_as_seller(user, conversation_id)
        conversation_mark_read(conversation=conversation, user=user)
        return Response(
            MarkReadSerializer({"conversation_id": conversation.pk, "read_at": timezone.now()}).data
        )


class NoResponseNeededView(ApiView):
    throttle_scope = "api.write"

    @extend_schema(
        operation_id="conversation_no_response_needed",
        tags=["Conversations"],
        summary="Mark buyer messages as needing no response",
        description="Stops the 24-hour reply clock of one waiting buyer message "
        "(message_id), or of every waiting one, without an answer; they leave the "
        "response-time measure. Only before the answer is due.",
        parameters=[CONVERSATION_ID, IDEMPOTENCY_KEY],
        request=NoResponseNeededSerializer,
        responses={200: ConversationSerializer, **post_errors(404)},
    )
    @idempotent
    def post(self, request: Request, conversation_id: int) -> Response:
        user = self.caller()
        conversation = access_conversation_as_seller(user, conversation_id)
        form = NoResponseNeededSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        waiting = waiting_buyer_messages(conversation)
        chosen = form.validated_data.get("message_id")
        if chosen is not None:
            waiting = [m for m in waiting if m.pk == chosen]
            if not waiting:
                raise UserFacingError(
                    _("That message is not a buyer message waiting for an answer here."),
                    field="message_id",
                )
        if not waiting:
            raise UserFacingError(_("No buyer message in this conversation is waiting."))
        with transaction.atomic():
            for message in waiting:
                mark_no_response_needed(message=message, by=user)
        return Response(ConversationRows()(api_conversation_row(user, conversation.pk)))


class AssignView(ApiView):
    throttle_scope = "api.write"

    @extend_schema(
        operation_id="conversation_assign",
        tags=["Conversations"],
        summary="Give the conversation to a team member, or back to the whole team",
        parameters=[CONVERSATION_ID, IDEMPOTENCY_KEY],
        request=AssignSerializer,
        responses={200: ConversationSerializer, **post_errors(404)},
    )
    @idempotent
    def post(self, request: Request, conversation_id: int) -> Response:
        user = self.caller()
        conversation = access_conversation_as_seller(user, conversation_id)
        form = AssignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        wanted = form.validated_data["assignee_id"]
        assignee = None
        if wanted is not None:
            assignee = next(
                (m for m in team_members(conversation.seller_id) if m.pk == wanted), None
            )
            if assignee is None:
                raise UserFacingError(
                    _("Choose an active member of the seller's team (GET /api/v1/team)."),
                    field="assignee_id",
                )
        conversation_assign(conversation=conversation, assignee=assignee, by=user)
        return Response(ConversationRows()(api_conversation_row(user, conversation.pk)))


class TeamView(ApiView):
    @extend_schema(
        operation_id="team_list",
        tags=["Conversations"],
        summary="Your seller businesses and their members, to assign conversations to",
        responses={200: TeamSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        return Response(TeamSerializer(api_teams(self.caller()), many=True).data)
