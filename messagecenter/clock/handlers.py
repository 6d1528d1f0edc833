"""The clock listens to deliveries: a buyer message starts one, a seller's answer stops
every clock waiting in the conversation."""

from __future__ import annotations

from messagecenter.clock.reply_clock import clock_on_message_delivered
from messagecenter.core.events import subscribe
from messagecenter.messaging.events import MessageDelivered


@subscribe(MessageDelivered)
def start_or_stop_clocks(event: MessageDelivered) -> None:
    clock_on_message_delivered(event.message)
