"""How long `manage.py checkmessage` takes, start to verdict, for one message.

    .venv/bin/python bench/checkmessage_start.py [--runs 5]

Runs the command on a short seller message and on a 2 KB one, and, as the bare baseline in
the same run, `manage.py --version` (Python and Django starting, nothing of ours). Prints
the median wall time of each. The target is under 1 s for one message.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORT = {
    "sender": "seller",
    "message_type": "shipment_delay",
    "subject": "Your order 114-1000322-7002254",
    "body": "Your lamp ships on Monday instead of Friday: the courier missed our pickup.",
    "order": {"ordered_at": "2026-12-01"},
}
LONG = dict(
    SHORT,
    body=(
        "Thank you for your order of the walnut dining table. Because it ships as a bulky "
        "item, the carrier needs a delivery appointment. We can offer Tuesday between 9:00 "
        "and 12:00, or Thursday between 13:00 and 17:00. Please reply with the window that "
        "suits you. "
    )
    * 8,
)


def _wall(command: list[str], stdin: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    baseline = _wall([*manage, "--version"], "", args.runs)
    short = _wall([*manage, "checkmessage"], json.dumps(SHORT), args.runs)
    long = _wall([*manage, "checkmessage"], json.dumps(LONG), args.runs)
    print(f"baseline (manage.py --version): {baseline:.2f} s")
    print(f"checkmessage, short message:    {short:.2f} s")
    print(f"checkmessage, 2 KB message:     {long:.2f} s   (target < 1 s)")


if __name__ == "__main__":
    main()
