"""Turning a send service's result into the API's answer (201, 202 or 422)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import ngettext
from rest_framework import serializers, status
from rest_framework.response import Response

from messagecenter.accounts.models import User
from messagecenter.api.errors import policy_blocked, violation_details
from messagecenter.api.serializers import MessageSerializer
from messagecenter.messaging.models import Upload
from messagecenter.messaging.sending import SendResult
from messagecenter.messaging.uploads import uploads_for_owner


def uploads_by_id(owner: User, ids: Sequence[int]) -> list[Upload]:
    """The caller's uploads in the order given; an unknown or expired id is a 400."""
    if not ids:
        return []
    found = {u.pk: u for u in uploads_for_owner(owner, ids)}
    missing = [str(i) for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise serializers.ValidationError(
            {
                "attachments": [
                    ngettext(
                        "No upload %(ids)s: it does not exist, is not yours, or has expired. "
                        "Upload the file again and use the new id.",
                        "No uploads %(ids)s: they do not exist, are not yours, or have "
                        "expired. Upload the files again and use the new ids.",
                        len(missing),
                    )
                    % {"ids": ", ".join(missing)}
                ]
            }
        )
    return [found[i] for i in dict.fromkeys(ids)]


def send_response(result: SendResult) -> Response:
    """201 for a stored message, 202 while it waits for review; a block raises a 422."""
    if result.blocked:
        raise policy_blocked(result.verdict.violations, verdict=result.verdict.verdict)
    # The stored message as the send left it: its conversation (with the seller) and its
    # sender are the objects the send was given, so only its files are read.
    message = result.message
    body = {
        "outcome": message.status,
        "message": MessageSerializer(message).data,
        "violations": violation_details(result.verdict.violations),
    }
    code = status.HTTP_202_ACCEPTED if result.held else status.HTTP_201_CREATED
    return Response(body, status=code)
