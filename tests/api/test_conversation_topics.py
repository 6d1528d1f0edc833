"""The conversations API shows the topic a buyer chose and filters by it."""

from __future__ import annotations

from messagecenter.threads.models import Conversation
from tests import factories


def test_the_api_shows_and_filters_by_topic(api_as, sam, jordan, priya, northwind):
    api = api_as(sam)
    for buyer, topic in ((jordan, "return"), (priya, "")):
        order = factories.order(buyer=buyer, seller=northwind)
        factories.buyer_message(order)
        Conversation.objects.filter(order=order).update(topic=topic)
    returned = Conversation.objects.get(topic="return")

    listed = api.get("/api/v1/conversations").json()["results"]
    returns = api.get("/api/v1/conversations?topic=return").json()["results"]
    single = api.get(f"/api/v1/conversations/{returned.pk}").json()
    wrong = api.get("/api/v1/conversations?topic=refund")

    assert sorted(row["topic"] for row in listed) == ["", "return"]
    assert [row["id"] for row in returns] == [returned.pk]
    assert single["topic"] == "return"
    assert wrong.status_code == 400
    assert "topic" in wrong.json()["details"]["fields"]
