"""The search rows follow what they describe, in the same transaction: a message stored
(blocked ones too), a review's decision, a reviewer's edit; the migration's set-based fill
and ``rebuild_search_index`` leave the same rows a send would."""

from __future__ import annotations

import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from messagecenter.messaging.models import Message
from messagecenter.moderation.review import (
    review_approve,
    review_edit_and_approve,
    review_reject,
)
from messagecenter.search.models import ConversationSearch, MessageSearch
from messagecenter.search.selectors import message_matches
from tests import factories
from tests.search.conftest import REVIEW_ASK


def _found(user, text: str) -> set[int]:
    return {row.message_id for row in message_matches(user, text)}


@pytest.fixture
def held(jordan, northwind, sam):
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=10)
    message = factories.seller_message(
        order, sam, REVIEW_ASK, message_type="review_request", subject="[Important] Your cover"
    )
    assert message.status == Message.Status.HELD
    return message


def test_a_held_message_is_found_by_its_buyer_once_approved(held, jordan, sam, morgan):
    assert _found(jordan, "marmalade") == set()
    assert _found(sam, "marmalade") == {held.pk}

    review_approve(message_id=held.pk, reviewer=morgan)

    assert MessageSearch.objects.get(pk=held.pk).status == Message.Status.DELIVERED
    assert _found(jordan, "marmalade") == {held.pk}


def test_a_rejected_message_stays_its_senders_only(held, jordan, sam, morgan):
    review_reject(message_id=held.pk, reviewer=morgan, reason="Not important.")

    assert MessageSearch.objects.get(pk=held.pk).status == Message.Status.REJECTED
    assert _found(sam, "marmalade") == {held.pk}
    assert _found(jordan, "marmalade") == set()


def test_a_reviewers_edit_is_what_is_found(held, jordan, morgan):
    review_edit_and_approve(
        message_id=held.pk,
        reviewer=morgan,
        subject="Your cover",
        body="We hope the quince-coloured cover suits you.",
    )

    assert _found(jordan, "quince") == {held.pk}
    assert _found(jordan, "marmalade") == set()
    assert _found(morgan, "marmalade") == set()


def test_a_blocked_message_is_stored_for_administrators(jordans_order, sam, morgan):
    blocked = factories.seller_message(
        jordans_order, sam, "Zeppelin at https://cheap-deals.example"
    )

    assert MessageSearch.objects.get(pk=blocked.pk).status == Message.Status.BLOCKED
    assert _found(morgan, "zeppelin") == {blocked.pk}
    assert _found(sam, "zeppelin") == set()


def test_a_failed_send_leaves_no_row(jordans_order, jordan, monkeypatch):
    """The row is written in the send's transaction: whatever fails after it, it goes."""
    from messagecenter.messaging import sending

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(sending, "_attach_uploads", fail)
    with pytest.raises(RuntimeError):
        factories.buyer_message(jordans_order, "Halibut?")

    assert not Message.objects.exists()
    assert not MessageSearch.objects.exists()


def test_the_rebuild_writes_every_row_again_in_each_messages_language(jordans_order, sam, jordan):
    german = factories.buyer_message(
        jordans_order, "Die Lieferungen sind leider noch nicht angekommen, bitte prüfen."
    )
    filed = factories.seller_message(
        jordans_order, sam, "Attached.", attachments=[factories.pdf_upload("osprey-label.pdf")]
    )
    MessageSearch.objects.all().delete()
    ConversationSearch.objects.all().delete()

    call_command("rebuild_search_index", batch_size=1, stdout=None)

    assert _found(sam, "angekommen") == {german.pk}
    assert _found(sam, "osprey") == {filed.pk}
    assert ConversationSearch.objects.filter(conversation=german.conversation).exists()
    if connection.vendor == "postgresql":  # SQLite stems with porter alone
        assert MessageSearch.objects.get(pk=german.pk).config == "mc_german"
        assert _found(sam, "Lieferung") == {german.pk}


@pytest.mark.postgresql("the migration's fill is PostgreSQL's set-based SQL")
def test_the_migrations_fill_reads_the_stored_html_set_based(jordans_order, sam):
    migration = importlib.import_module("messagecenter.search.migrations.0002_search_engines")
    sent = factories.seller_message(
        jordans_order,
        sam,
        "<p>Fish &amp; <b>chips</b> for the <i>heron</i></p>",
        attachments=[factories.pdf_upload("egret-invoice.pdf")],
    )
    MessageSearch.objects.all().delete()
    ConversationSearch.objects.all().delete()

    with connection.cursor() as cursor:
        cursor.execute(migration.MESSAGES_FILL)
        cursor.execute(migration.CONVERSATIONS_FILL)

    row = MessageSearch.objects.get(pk=sent.pk)
    assert "<" not in row.text and "Fish & chips for the heron" in " ".join(row.text.split())
    assert (row.config, row.status, row.buyer_id) == (
        "mc_simple",
        "delivered",
        sent.conversation.buyer_id,
    )
    assert _found(sam, "heron") == _found(sam, "egret") == {sent.pk}
    assert _found(sam, jordans_order.number) == {sent.pk}  # its subject
    conversation_row = ConversationSearch.objects.get(pk=sent.conversation_id)
    assert jordans_order.number in conversation_row.text
