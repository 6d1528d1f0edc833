"""The intake log's row, written by a statement of its own (relay.intake_log): what came
from the email is stored on one line, without control characters, cut to its column."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from messagecenter.relay.intake_log import log_inbound_email
from messagecenter.relay.models import InboundEmail
from tests import factories


def test_a_row_is_stored_clean_cut_and_dated(jordans_order):
    message = factories.buyer_message(jordans_order, "Where is my parcel?")
    before = timezone.now()

    log_inbound_email(
        message_id="<id\x00@mail.example>" + "x" * 1200,
        envelope_from="jordan@example.com\r\nBcc: someone",
        recipient="token@relay.marketplace.example",
        outcome=InboundEmail.Outcome.ACCEPTED,
        reason="Delivered.\x00",
        message=message,
        size=1234,
        shape="abc",
    )

    row = InboundEmail.objects.get()
    assert row.header_message_id.startswith("<id@mail.example>")
    assert len(row.header_message_id) == 998
    assert "\n" not in row.envelope_from and "\r" not in row.envelope_from
    assert (row.reason, row.message, row.size, row.shape) == ("Delivered.", message, 1234, "abc")
    assert before <= row.received_at <= timezone.now() + timedelta(seconds=1)
