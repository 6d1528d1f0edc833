"""What the API reads and writes. Serializers only shape data; services decide."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.message_types import SELLER_TYPES
from compliance.sanitize import html_to_text
from messagecenter.api.representations import NAME_PARTS, MessageRows
from messagecenter.core.ids import INVALID_ID_MESSAGE, MAX_ID, parse_id
from messagecenter.messaging.models import Attachment, Message, Upload
from messagecenter.threads.models import Conversation, ConversationTopic

MAX_TEXT_LENGTH = 100_000  # far above any type's limit; the policy says the real one


class IdField(serializers.IntegerField):
    """An id: a JSON number, or a string of the digits 0-9 (form posts), read by
    ``core.ids.parse_id``. DRF's own IntegerField would turn "٣" into 3."""

    default_error_messages = {"invalid": INVALID_ID_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        number = parse_id(data)
        if number is None:
            raise serializers.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


# --- Errors --------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable: switch on it.")
    message = serializers.CharField(help_text="A sentence a person can act on.")
    details = serializers.DictField(help_text="Fields in error, policy violations, waits.")


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The policy rule id, e.g. contact.email.")
    title = serializers.CharField()
    action = serializers.ChoiceField(choices=["block", "redact", "flag", "fix", "off"])
    message = serializers.CharField()
    excerpt = serializers.CharField(allow_blank=True)
    location = serializers.CharField()
    language = serializers.CharField(
        allow_blank=True, help_text="The language of the excerpt (ISO 639-1), e.g. de."
    )


# --- Messages ------------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "download_url"]

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk])


class MessageSerializer(serializers.ModelSerializer):
    conversation_id = serializers.IntegerField()
    sender_name = serializers.SerializerMethodField()
    html = serializers.CharField(source="body_html", help_text="Sanitized, as delivered.")
    text = serializers.SerializerMethodField(help_text="The delivered text, without markup.")
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation_id",
            "sender_side",
            "sender_name",
            "message_type",
            "subject",
            "html",
            "text",
            "status",
            "rejection_reason",
            "via",
            "is_automatic",
            "created_at",
            "delivered_at",
            "reply_due_at",
            "answered_at",
            "no_response_needed_at",
            "attachments",
        ]
        extra_kwargs = {
            "reply_due_at": {"help_text": "Buyer messages: when the answer is due."},
            "no_response_needed_at": {"help_text": "Marked as needing no answer, when."},
        }

    def get_sender_name(self, message: Message) -> str:
        if message.sender is None:
            return ""
        if message.sender_side == "seller":
            return message.conversation.seller.name
        return message.sender.public_name

    def get_text(self, message: Message) -> str:
        return html_to_text(message.body_html)

    def to_representation(self, instance: Message) -> dict[str, Any]:
        """The fields above, written out by the same code as the message list's rows
        (api/representations.py): a page of 50 messages went through some twenty field
        objects each. The seller's name is read only for a seller's message, as above."""
        sender = instance.sender
        from_seller = sender is not None and instance.sender_side == "seller"
        rows = MessageRows(seller_name=instance.conversation.seller.name if from_seller else "")
        row = {name: getattr(instance, name) for name in MESSAGE_COLUMNS}
        row.update({f"sender_{part}": getattr(sender, part, "") for part in NAME_PARTS})
        attachments = [
            {
                "id": a.pk,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in instance.attachments.all()
        ]
        return rows(row, attachments)


# The message columns a list row carries: the model's fields the serializer shows, the
# body its html and text are written from, and the sender whose name it shows.
MESSAGE_COLUMNS = (
    *(
        name
        for name in MessageSerializer.Meta.fields
        if name in {field.attname for field in Message._meta.concrete_fields}
    ),
    "body_html",
    "sender_id",
)


class SendResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["delivered", "held", "undeliverable"],
        help_text="held: waiting for review, not delivered yet (HTTP 202). undeliverable: "
        "kept, not delivered because the buyer opted out of this kind of message.",
    )
    message = MessageSerializer()
    violations = ViolationSerializer(
        many=True, help_text="What the policy changed (redact, fix) or flagged."
    )


class _DraftSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_TEXT_LENGTH,
        trim_whitespace=False,
        help_text="The message, as HTML or plain text; it is sanitized like any other.",
    )
    attachments = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=20,
        help_text="Ids of your uploads (POST /api/v1/uploads), in order.",
    )


class OrderMessageSerializer(_DraftSerializer):
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    coverage_start_date = serializers.DateField(
        required=False, help_text="warranty only, required there: coverage starts."
    )
    coverage_end_date = serializers.DateField(
        required=False, help_text="warranty only, required there: coverage ends."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        is_warranty = self.context.get("message_type") == "warranty"
        start, end = attrs.get("coverage_start_date"), attrs.get("coverage_end_date")
        if is_warranty:
            errors = {
                name: [_("A warranty message gives the coverage dates.")]
                for name, value in (("coverage_start_date", start), ("coverage_end_date", end))
                if value is None
            }
            if errors:
                raise serializers.ValidationError(errors)
            if start and end and end < start:
                raise serializers.ValidationError(
                    {"coverage_end_date": [_("Coverage cannot end before it starts.")]}
                )
        elif start is not None or end is not None:
            raise serializers.ValidationError(
                {"coverage_start_date": [_("Coverage dates belong to warranty messages only.")]}
            )
        return attrs


class ReplySerializer(_DraftSerializer):
    pass


# --- Orders --------------------------------------------------------------------------------


class MessagingActionSerializer(serializers.Serializer):
    message_type = serializers.ChoiceField(choices=[t.id for t in SELLER_TYPES])
    label = serializers.CharField()
    group = serializers.CharField()
    purpose = serializers.CharField()
    available = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why not, if not.")
    delivered = serializers.BooleanField(
        help_text="Whether a message of this type sent now would reach the buyer; false when "
        "the buyer opted out of it (it would be stored as undeliverable)."
    )
    not_delivered_reason = serializers.CharField(
        allow_blank=True, help_text="Why it would not reach the buyer; empty when it would."
    )
    text_limit = serializers.IntegerField()
    min_attachments = serializers.IntegerField()
    max_attachments = serializers.IntegerField()
    href = serializers.CharField(help_text="Where to POST a message of this type.")


class MessagingActionsSerializer(serializers.Serializer):
    order_number = serializers.CharField()
    actions = MessagingActionSerializer(many=True)


class BuyerAttributesSerializer(serializers.Serializer):
    locale = serializers.CharField(help_text="The buyer's preferred locale, e.g. en-US.")


class OrderAttributesSerializer(serializers.Serializer):
    order_number = serializers.CharField()
    buyer = BuyerAttributesSerializer()


# --- Conversations -------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ConversationSerializer(serializers.ModelSerializer):
    order_number = serializers.SerializerMethodField()
    product_title = serializers.SerializerMethodField()
    buyer_name = serializers.SerializerMethodField()
    seller_id = serializers.IntegerField()
    seller_name = serializers.CharField(source="seller.name")
    awaiting_reply = serializers.BooleanField(source="awaiting_seller_reply")
    unread = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()
    messages_url = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "subject",
            "topic",
            "order_number",
            "product_title",
            "buyer_name",
            "seller_id",
            "seller_name",
            "started_by",
            "created_at",
            "last_message_at",
            "last_message_side",
            "last_message_preview",
            "awaiting_reply",
            "reply_due_at",
            "overdue",
            "assigned_to",
            "unread",
            "messages_url",
        ]

    def get_order_number(self, conversation: Conversation) -> str | None:
        return conversation.order.number if conversation.order_id else None  # type: ignore[union-attr]

    def get_product_title(self, conversation: Conversation) -> str | None:
        return conversation.product.title if conversation.product_id else None  # type: ignore[union-attr]

    def get_buyer_name(self, conversation: Conversation) -> str:
        return conversation.buyer.public_name

    def get_unread(self, conversation: Conversation) -> bool:
        return bool(getattr(conversation, "is_unread", False))

    def get_overdue(self, conversation: Conversation) -> bool:
        due = conversation.reply_due_at
        return due is not None and due <= timezone.now()

    @extend_schema_field(MemberSerializer(allow_null=True))
    def get_assigned_to(self, conversation: Conversation) -> dict[str, Any] | None:
        member = conversation.assigned_to
        return None if member is None else {"id": member.pk, "name": member.public_name}

    def get_messages_url(self, conversation: Conversation) -> str:
        return reverse("api:conversation-messages", args=[conversation.pk])


class ConversationFilterSerializer(serializers.Serializer):
    awaiting_reply = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: a buyer message waits for an answer (its 24-hour clock runs).",
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: an answer is past due.",
    )
    assigned = serializers.RegexField(
        r"^(me|none|[1-9][0-9]{0,17})$",
        required=False,
        help_text="me, none (the whole team), or a team member's id.",
    )
    order = serializers.CharField(required=False, max_length=19, help_text="An order number.")
    updated_since = serializers.DateTimeField(
        required=False, help_text="Only conversations with a message at or after this time."
    )
    topic = serializers.ChoiceField(
        choices=ConversationTopic.values,
        required=False,
        help_text="Only conversations the buyer started about this topic.",
    )


class NoResponseNeededSerializer(serializers.Serializer):
    message_id = IdField(
        required=False,
        help_text="One buyer message; without it, every message waiting in the conversation.",
    )


class AssignSerializer(serializers.Serializer):
    assignee_id = IdField(
        allow_null=True,
        help_text="A member of the seller's team (GET /api/v1/team), or null for the whole team.",
    )


class TeamSerializer(serializers.Serializer):
    business_id = serializers.IntegerField()
    name = serializers.CharField()
    members = MemberSerializer(many=True)


class MarkReadSerializer(serializers.Serializer):
    conversation_id = serializers.IntegerField()
    read_at = serializers.DateTimeField()


# --- Pages ---------------------------------------------------------------------------------


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The schema of one cursor page of items."""
    fields = {
        "next": serializers.CharField(allow_null=True, help_text="The next page, or null."),
        "previous": serializers.CharField(allow_null=True, help_text="The previous page."),
        "results": item(many=True),
    }
    return type(name, (serializers.Serializer,), fields)


ConversationPageSerializer = page_of(ConversationSerializer, "ConversationPageSerializer")
MessagePageSerializer = page_of(MessageSerializer, "MessagePageSerializer")


# --- Uploads -------------------------------------------------------------------------------


class UploadCreateSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=False, max_length=1024, help_text="One file per upload."
    )


class UploadSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")

    class Meta:
        model = Upload
        fields = ["id", "name", "content_type", "size", "created_at", "expires_at"]
