"""Lint a message from the command line: JSON on standard input, the verdict as JSON.

Exit status: 0 allow, 1 flag or block, 2 bad input (with a message on standard error).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from compliance.config import current_policy
from compliance.engine import FileFacts, MessageDraft, OrderFacts, check_message, verdict_as_dict
from compliance.message_types import MESSAGE_TYPES
from compliance.policy import DEFAULT_POLICY


class BadInput(ValueError):
    pass


def _when(data: dict[str, Any], key: str, required: bool = False) -> datetime | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise BadInput(f"“{key}” is required.")
        return None
    if not isinstance(value, str):
        raise BadInput(f"“{key}” must be an ISO 8601 date-time string.")
    parsed = parse_datetime(value) or (
        parse_datetime(value + "T00:00:00") if len(value) == 10 else None
    )
    if parsed is None:
        raise BadInput(f"“{key}” is not an ISO 8601 date-time: {value!r}.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _file(path: str) -> FileFacts:
    file_path = Path(path)
    if not file_path.is_file():
        raise BadInput(f"Attachment {path!r} is not a readable file.")
    return FileFacts(name=file_path.name, size=file_path.stat().st_size, read=file_path.read_bytes)


def draft_from_json(data: Any) -> MessageDraft:
    if not isinstance(data, dict):
        raise BadInput("The input must be a JSON object.")
    for key in ("sender", "message_type", "body"):
        if key not in data:
            raise BadInput(f"“{key}” is required.")
    if data["sender"] not in ("seller", "buyer"):
        raise BadInput('“sender” must be "seller" or "buyer".')
    if data["message_type"] not in MESSAGE_TYPES:
        raise BadInput(
            f"Unknown message_type {data['message_type']!r}; known types: "
            + ", ".join(sorted(MESSAGE_TYPES))
        )
    if not isinstance(data["body"], str) or not isinstance(data.get("subject", ""), str):
        raise BadInput("“body” and “subject” must be strings.")
    order = data.get("order")
    if order is not None and not isinstance(order, dict):
        raise BadInput("“order” must be an object or null.")
    attachments = data.get("attachments") or []
    if not isinstance(attachments, list) or not all(isinstance(a, str) for a in attachments):
        raise BadInput("“attachments” must be a list of file paths.")
    return MessageDraft(
        sender_side=data["sender"],
        message_type=data["message_type"],
        body=data["body"],
        subject=data.get("subject", ""),
        reply_to_buyer=bool(data.get("reply_to_buyer", False)),
        order=(
            OrderFacts(
                ordered_at=_when(order, "ordered_at", required=True),  # type: ignore[arg-type]
                shipped_at=_when(order, "shipped_at"),
                delivered_at=_when(order, "delivered_at"),
            )
            if order
            else None
        ),
        sent_at=_when(data, "sent_at") or timezone.now(),
        attachments=tuple(_file(a) for a in attachments),
    )


class Command(BaseCommand):
    help = "Check a message against the messaging policy (JSON on stdin, JSON on stdout)."
    # A lint for one message: no system checks (they load every URL and view module).
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.read()
        try:
            draft = draft_from_json(json.loads(raw))
        except json.JSONDecodeError as error:
            self.stderr.write(f"checkmessage: the input is not valid JSON: {error}")
            sys.exit(2)
        except BadInput as error:
            self.stderr.write(f"checkmessage: {error}")
            sys.exit(2)
        try:
            policy = current_policy()
        except DatabaseError:
            # Linting needs no database: without one, the POLICY.md defaults apply.
            self.stderr.write("checkmessage: no database; checking against the defaults.")
            policy = DEFAULT_POLICY
        verdict = check_message(draft, policy)
        result = verdict_as_dict(verdict)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        sys.exit(0 if verdict.verdict == "allow" else 1)
