"""How well the policy engine judges the corpus: recall on prohibited messages and false
alarms on ordinary ones, per rule, category and language.

    .venv/bin/python bench/policy_precision.py [--lang de] [--failures]

The corpus is tests/compliance/corpus/<language>.toml (see tests/compliance/corpus_cases.py).
A prohibited case counts as caught when every rule it expects fires; an ordinary case
counts as touched when any rule fires. --failures lists the cases that went wrong, with
what was found.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

import django

django.setup()

from tests.compliance.corpus_cases import Case, load_cases  # noqa: E402


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _table(title: str, rows: dict[str, list[int]]) -> None:
    """rows: key -> [prohibited, caught, ordinary, touched]"""
    print(f"\n{title:<34} {'prohib':>6} {'recall':>7} {'ordin':>6} {'touched':>8}")
    for key in sorted(rows):
        prohibited, caught, ordinary, touched = rows[key]
        print(
            f"{key:<34} {prohibited:>6} {_pct(caught, prohibited):>7} {ordinary:>6} "
            f"{_pct(touched, ordinary):>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", help="only this language")
    parser.add_argument("--failures", action="store_true", help="list the failing cases")
    args = parser.parse_args()
    cases = [c for c in load_cases() if not args.lang or c.language == args.lang]
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    failures: list[tuple[Case, list[tuple[str, str]]]] = []
    started = time.perf_counter()
    for case in cases:
        verdict = case.judge()
        found = [(v.rule, v.excerpt) for v in verdict.violations]
        fired = {rule for rule, _ in found}
        ok = case.passed(verdict)
        if not ok:
            failures.append((case, found))
        for table, key in ((by_language, case.language), (by_category, case.category)):
            if case.ordinary:
                table[key][2] += 1
                table[key][3] += not ok
            else:
                table[key][0] += 1
                table[key][1] += ok
        for rule in case.expect:
            by_rule[rule][0] += 1
            by_rule[rule][1] += rule in fired
        if case.ordinary:
            for rule in fired:
                by_rule[rule][3] += 1
    total = [sum(r[i] for r in by_language.values()) for i in range(4)]
    by_rule_ordinary = sum(1 for c in cases if c.ordinary)
    for counts in by_rule.values():
        counts[2] = by_rule_ordinary
    elapsed = time.perf_counter() - started
    print(f"{len(cases)} cases in {elapsed:.1f} s")
    print(
        f"overall: recall {_pct(total[1], total[0]).strip()} of {total[0]} prohibited, "
        f"{_pct(total[3], total[2]).strip()} of {total[2]} ordinary touched"
    )
    _table("language", by_language)
    _table("category", by_category)
    _table("rule (touched = fired on ordinary)", by_rule)
    if args.failures and failures:
        print("\nfailures:")
        for case, found in failures:
            kind = "ordinary touched" if case.ordinary else f"missed {list(case.expect)}"
            print(f"- {case.id} ({kind}): found {found}")
            print(f"    {case.subject!r} {case.body[:160]!r}")


if __name__ == "__main__":
    main()
