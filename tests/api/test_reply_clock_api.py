"""The reply clock and assignment through the API: filters, no response needed, assign,
and the reply.due_soon webhook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messagecenter.clock.reminders import reply_clock_sweep
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation
from messagecenter.webhooks.models import WebhookDelivery
from messagecenter.webhooks.services import webhook_endpoint_register
from tests import factories


@pytest.fixture
def sams_api(api_as, sam):
    return api_as(sam)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def _question(buyer, seller):
    order = factories.order(buyer=buyer, seller=seller)
    return factories.buyer_message(order, "Where is my parcel?")


def _make_overdue(message: Message) -> None:
    past = timezone.now() - timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(reply_due_at=past)
    Conversation.objects.filter(pk=message.conversation_id).update(reply_due_at=past)


def test_overdue_and_assigned_filters(sams_api, sam, avery, jordan, northwind):
    overdue = _question(jordan, northwind)
    _make_overdue(overdue)
    on_time = _question(jordan, northwind)
    for_avery = _question(jordan, northwind)
    assign = sams_api.post(
        f"/api/v1/conversations/{for_avery.conversation_id}/assign",
        {"assignee_id": avery.pk},
        format="json",
    )
    assert assign.status_code == 200, assign.json()
    assert assign.json()["assigned_to"] == {"id": avery.pk, "name": "Avery Lee"}

    assert _ids(sams_api.get("/api/v1/conversations?overdue=true")) == [overdue.conversation_id]
    assert overdue.conversation_id not in _ids(sams_api.get("/api/v1/conversations?overdue=false"))
    assert _ids(sams_api.get(f"/api/v1/conversations?assigned={avery.pk}")) == [
        for_avery.conversation_id
    ]
    assert set(_ids(sams_api.get("/api/v1/conversations?assigned=none"))) == {
        overdue.conversation_id,
        on_time.conversation_id,
    }
    assert _ids(sams_api.get("/api/v1/conversations?assigned=me")) == []
    detail = sams_api.get(f"/api/v1/conversations/{overdue.conversation_id}").json()
    assert detail["overdue"] is True and detail["reply_due_at"]


def test_assign_only_to_a_member_of_the_team(sams_api, maria, jordan, northwind):
    question = _question(jordan, northwind)

    response = sams_api.post(
        f"/api/v1/conversations/{question.conversation_id}/assign",
        {"assignee_id": maria.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "assignee_id" in response.json()["details"]["fields"]
    assert Conversation.objects.get(pk=question.conversation_id).assigned_to is None


def test_the_team_lists_whom_to_assign(api_as, sam, avery, jordan):
    team = api_as(sam).get("/api/v1/team").json()

    assert team == [
        {
            "business_id": team[0]["business_id"],
            "name": "Northwind Home Goods",
            "members": [
                {"id": avery.pk, "name": "Avery Lee"},
                {"id": sam.pk, "name": "Sam Carter"},
            ],
        }
    ]
    assert api_as(jordan).get("/api/v1/team").json() == []


def test_no_response_needed_stops_the_clock(sams_api, sam, jordan, northwind):
    question = _question(jordan, northwind)

    response = sams_api.post(
        f"/api/v1/conversations/{question.conversation_id}/no-response-needed",
        {},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["awaiting_reply"] is False
    question.refresh_from_db()
    assert question.no_response_needed_at is not None
    assert question.no_response_needed_by == sam
    again = sams_api.post(
        f"/api/v1/conversations/{question.conversation_id}/no-response-needed", {}, format="json"
    )
    assert again.status_code == 400
    assert "waiting" in again.json()["message"]


def test_no_response_needed_is_refused_once_the_answer_is_late(sams_api, jordan, northwind):
    question = _question(jordan, northwind)
    _make_overdue(question)

    response = sams_api.post(
        f"/api/v1/conversations/{question.conversation_id}/no-response-needed",
        {"message_id": question.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "passed" in response.json()["message"]
    question.refresh_from_db()
    assert question.no_response_needed_at is None


def test_the_sweep_sends_reply_due_soon_to_webhooks(sam, jordan, northwind):
    webhook_endpoint_register(
        business=northwind,
        url="https://93.184.215.14/hooks",
        events=["reply.due_soon"],
        created_by=sam,
    )
    question = _question(jordan, northwind)  # its buyer_message.received is not wanted here
    question.refresh_from_db()

    reply_clock_sweep(now=question.reply_due_at - timedelta(hours=1))

    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "reply.due_soon"
    data = delivery.payload["data"]
    assert data["message"]["id"] == question.pk
    assert data["hours_before"] == 2
    assert data["reply_due_at"] == question.reply_due_at.isoformat()


def test_the_sweep_tells_only_endpoints_that_want_reply_due_soon(
    sam, maria, jordan, northwind, cascade
):
    webhook_endpoint_register(
        business=northwind,
        url="https://93.184.215.14/hooks",
        events=["buyer_message.received"],
        created_by=sam,
    )
    webhook_endpoint_register(
        business=cascade,
        url="https://93.184.215.15/hooks",
        events=["reply.due_soon"],
        created_by=maria,
    )
    northwind_question = _question(jordan, northwind)
    cascade_question = _question(jordan, cascade)
    northwind_question.refresh_from_db()
    WebhookDelivery.objects.all().delete()  # the buyer_message.received ones

    result = reply_clock_sweep(now=northwind_question.reply_due_at - timedelta(hours=1))

    assert len(result.claimed) == 2
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.endpoint.business) == ("reply.due_soon", cascade)
    assert delivery.payload["data"]["message"]["id"] == cascade_question.pk
