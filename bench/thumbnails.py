"""How long the worker takes to draw a preview, per file, against a bare Pillow open.

    .venv/bin/python bench/thumbnails.py [--runs 15]

Two files made here: a 12-megapixel camera photo (JPEG, 4000 x 3000) and a one-page
scanned invoice (a PDF holding an A4 page image). For each it prints the median wall time
of ``make_thumbnail`` (messaging/thumbnails.py: for the PDF that includes starting the
PDFium child process) and, as the baseline in the same run, of Pillow opening and decoding
the photo with nothing else (``Image.open(...).load()``), and what starting the child
process alone costs (the interpreter importing pypdfium2 and Pillow, drawing nothing).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

from PIL import Image, ImageDraw  # noqa: E402

from messagecenter.messaging.thumbnails import make_thumbnail  # noqa: E402


def camera_photo() -> bytes:
    """A photo-sized JPEG with gradients and detail, so the encoder has real work."""
    picture = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for step in range(0, 4000, 37):
        draw.line((step, 0, 4000 - step, 3000), fill=(step % 255, 90, 200 - step % 180), width=3)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def scanned_invoice() -> bytes:
    """An A4 page at 150 dpi (1240 x 1754) with lines of text, saved as a one-page PDF."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    for line in range(60):
        draw.text((120, 120 + line * 26), f"Item {line:02d}  Walnut dining chair  64.50", fill=0)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    return out.getvalue()


def _median(work: Callable[[], object], runs: int) -> float:
    work()  # warm up: imports, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _bare_open(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()


def _child_start() -> None:
    subprocess.run([sys.executable, "-I", "-c", "import pypdfium2, PIL.Image"], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    photo, invoice = camera_photo(), scanned_invoice()
    bare = _median(lambda: _bare_open(photo), args.runs)
    photo_preview = _median(lambda: make_thumbnail(photo), args.runs)
    pdf_preview = _median(lambda: make_thumbnail(invoice), args.runs)
    child = _median(_child_start, args.runs)
    print(f"photo {len(photo) // 1024} KB, PDF {len(invoice) // 1024} KB, {args.runs} runs")
    print(f"baseline: Pillow open + decode of the photo: {bare * 1000:7.1f} ms")
    print(f"preview of the photo (JPEG, 12 MP):          {photo_preview * 1000:7.1f} ms")
    print(f"preview of the PDF's first page:             {pdf_preview * 1000:7.1f} ms")
    print(f"  of which starting the child process:       {child * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
