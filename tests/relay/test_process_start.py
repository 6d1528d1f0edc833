"""What the relay does before it takes the first email: the policy engine loaded in every
marketplace language, and what it loaded frozen out of the collector's way (compliance.warm,
messagecenter.core.long_running, messagecenter.relay.process_start)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from compliance.detect.language import language_map
from compliance.detect.normalize import normalize
from compliance.warm import _SAMPLES
from messagecenter.relay.process_start import prepare_relay_process


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_the_warm_up_checks_a_message_in_every_marketplace_language() -> None:
    written_in = {language_map(sample, normalize(sample)).main for sample in _SAMPLES}
    assert written_in == {"en", "de", "fr", "es", "it"}


@pytest.mark.usefixtures("collector_restored")
def test_the_relay_starts_with_what_it_loaded_out_of_the_collectors_way() -> None:
    prepare_relay_process()
    assert gc.get_freeze_count() > 10_000  # modules, vocabularies, the detector's models
