"""The relay gives every buyer-seller pair its masked addresses on first contact, so the
address on every page and email is the same from the first message on."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.relay.addresses import proxy_pair_for
from messagecenter.threads.events import ConversationOpened


@subscribe(ConversationOpened)
def give_the_pair_masked_addresses(event: ConversationOpened) -> None:
    conversation = event.conversation
    proxy_pair_for(conversation.buyer, conversation.seller)
