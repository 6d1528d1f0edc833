"""The policy corpus: every prohibited message caught with the right rule, every ordinary
message left alone, in every language (tests/compliance/corpus/<language>.toml).

`python bench/policy_precision.py` prints the same cases as tables of recall and false
alarms per rule, category and language.
"""

from __future__ import annotations

from collections import Counter

import pytest

from compliance.detect.vocabulary import languages
from tests.compliance.corpus_cases import load_cases

CASES = list(load_cases())
MIN_CASES, MIN_PER_LANGUAGE = 400, 60


def test_the_corpus_is_big_enough_in_every_language():
    assert len(CASES) >= MIN_CASES
    per_language = Counter(case.language for case in CASES)
    for language in languages():
        assert per_language[language] >= MIN_PER_LANGUAGE, language
        kinds = {case.ordinary for case in CASES if case.language == language}
        assert kinds == {True, False}, f"{language} needs prohibited and ordinary cases"


def test_case_ids_are_unique_and_name_their_language():
    ids = Counter(case.id for case in CASES)
    assert [i for i, n in ids.items() if n > 1] == []
    assert all(case.id.startswith(case.language + "-") for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case):
    verdict = case.judge()
    found = [(v.rule, v.excerpt) for v in verdict.violations]
    if case.ordinary:
        assert found == [], f"an ordinary message was touched: {found}"
    else:
        missing = set(case.expect) - {rule for rule, _ in found}
        assert not missing, f"missed {sorted(missing)}; found {found}"
    # Every finding names its language, one the marketplace speaks.
    assert {v.language for v in verdict.violations} <= set(languages())
