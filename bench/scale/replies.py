"""A seller's reply from each way in, as bench/send.py times it: in the heavy seller's long
conversation, the buyer asks (not measured), then the owner answers through the web form,
the API or the email relay (measured over the whole request or email), in a transaction
rolled back afterwards, so the marketplace stays as it was seeded."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from bench.scale.targets import SellerTarget
from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.models import Message
from messagecenter.messaging.replies import reply_draft
from messagecenter.messaging.sending import check_and_send
from messagecenter.relay.addresses import masked_address, proxy_pair_for
from messagecenter.relay.inbound import receive_email
from messagecenter.threads.models import Conversation, Side

REPLY = "Yes, we deliver to apartment 4B on Thursday."


@dataclass(frozen=True)
class Answer:
    seconds: float
    queries: int
    stored: Message  # the reply as stored, read before the rollback


class Replies:
    """The three ways the heavy seller's owner answers in the long conversation."""

    def __init__(self, seller: SellerTarget) -> None:
        self.conversation_id = seller.thread.pk
        self.owner = seller.user
        self.buyer = seller.thread.buyer
        self.web = Client()
        self.web.force_login(self.owner)
        self.api = APIClient()
        self.buyer_address = masked_address(proxy_pair_for(self.buyer, seller.business), Side.BUYER)
        self.ways: dict[str, Callable[[], None]] = {
            "web form": self._by_web,
            "API": self._by_api,
            "email relay": self._by_email,
        }

    def answer(self, way: str) -> Answer:
        """The buyer asks, the owner answers by `way` (measured); all rolled back."""
        with transaction.atomic():
            conversation = Conversation.objects.select_related("buyer", "seller", "order").get(
                pk=self.conversation_id
            )
            asked = reply_draft(conversation, sender=self.buyer, side=Side.BUYER, body="Thursday?")
            question = check_and_send(conversation, asked).message
            # A fresh token: its first use writes its last use, as a tool's first call of
            # the minute does.
            token = api_token_create(user=self.owner, name="Bench")
            self.api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                self.ways[way]()
                elapsed = time.perf_counter() - started
            stored = Message.objects.filter(conversation_id=self.conversation_id).latest("id")
            question.refresh_from_db()
            if question.answered_by_message_id != stored.pk or REPLY not in stored.body_html:
                raise RuntimeError(f"The {way} reply did not answer the question.")
            transaction.set_rollback(True)
        return Answer(elapsed, len(captured.captured_queries), stored)

    def _by_web(self) -> None:
        url = reverse("seller_conversation", args=[self.conversation_id])
        response = self.web.post(url, {"body": REPLY})
        if response.status_code != 302:
            raise RuntimeError(f"The web form answered {response.status_code}.")

    def _by_api(self) -> None:
        url = f"/api/v1/conversations/{self.conversation_id}/messages"
        response = self.api.post(url, {"text": REPLY}, format="json")
        if response.status_code != 201:
            raise RuntimeError(f"The API answered {response.status_code}: {response.data}")

    def _by_email(self) -> None:
        email = EmailMessage()
        email["From"] = f"{self.owner.display_name} <{self.owner.email}>"
        email["To"] = self.buyer_address
        email["Subject"] = "Re: Your order"
        email["Message-ID"] = make_msgid(domain="bench.example")
        email.set_content(REPLY)
        results = receive_email(
            email.as_bytes(), envelope_from=self.owner.email, recipients=[self.buyer_address]
        )
        if not all(result.accepted for result in results):
            raise RuntimeError(f"The relay refused the email: {results}")
