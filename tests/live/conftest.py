from __future__ import annotations

from collections.abc import Iterator

import pytest
from channels.layers import channel_layers


@pytest.fixture(autouse=True)
def channel_layer_of_this_test() -> Iterator[None]:
    """Each test drives its sockets on an event loop of its own (async_to_sync), and the
    Redis layer keeps state bound to the loop that used it (its receive lock, left held
    when a test disconnects during a receive): a layer shared by two tests once failed with
    "Lock is bound to a different event loop". A server has one loop; a test gets one layer."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
