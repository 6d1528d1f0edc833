"""Uploading a file to attach later, and downloading a message's attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.config import current_policy
from compliance.engine import MessageDraft, check_rules
from compliance.policy import Action
from messagecenter.accounts.selectors import is_seller_member
from messagecenter.api.errors import ApiError, policy_blocked
from messagecenter.api.idempotency import idempotent
from messagecenter.api.serializers import UploadCreateSerializer, UploadSerializer
from messagecenter.api.views.base import IDEMPOTENCY_KEY, ApiView, errors, post_errors
from messagecenter.messaging.access import access_attachment
from messagecenter.messaging.downloads import attachment_response
from messagecenter.messaging.uploads import upload_facts, uploads_create

# The rules about the file itself; the count and the type's needs are judged on send.
FILE_RULES = ("attach.type", "attach.content", "attach.size")


class UploadCreateView(ApiView):
    throttle_scope = "api.upload"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="upload_create",
        tags=["Uploads"],
        summary="Upload a file to attach to a message",
        description="The file is checked like any attachment (type by content, active "
        "content, size). Refer to the returned id in `attachments` before `expires_at`.",
        parameters=[IDEMPOTENCY_KEY],
        request={"multipart/form-data": UploadCreateSerializer},
        responses={201: UploadSerializer, **post_errors(422)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        form = UploadCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        incoming = form.validated_data["file"]
        limit = settings.ATTACHMENT_MAX_TOTAL_BYTES
        if incoming.size > limit:
            raise ApiError(
                _(
                    "The file is %(size)d bytes; a message may carry at most %(limit)d "
                    "bytes of files."
                )
                % {"size": incoming.size, "limit": limit},
                code="file_too_large",
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                details={"max_bytes": limit},
            )
        user = self.caller()
        with transaction.atomic():
            (upload,) = uploads_create(owner=user, files=[incoming])
            draft = MessageDraft(
                sender_side="seller" if is_seller_member(user) else "buyer",
                message_type="",
                body="",
                attachments=upload_facts([upload]),
            )
            violations = check_rules(draft, FILE_RULES, current_policy())
            if any(v.action in {Action.BLOCK, Action.REDACT} for v in violations):
                upload.file.delete(save=False)
                upload.delete()
                raise policy_blocked(violations, of_file=True)
        return Response(UploadSerializer(upload).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(ApiView):
    @extend_schema(
        operation_id="attachment_download",
        tags=["Conversations"],
        summary="Download an attachment of a message you may read",
        parameters=[OpenApiParameter("attachment_id", int, OpenApiParameter.PATH)],
        responses={
            (200, "*/*"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as a download."
            ),
            **errors(404),
        },
    )
    def get(self, request: Request, attachment_id: int) -> FileResponse:
        return attachment_response(access_attachment(self.caller(), attachment_id))
