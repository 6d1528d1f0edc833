"""A PDF's first page as a small PNG, rendered by PDFium (pypdfium2) in a child process.

PDFium parses a stranger's file in C++; a file made to crash it, loop or eat memory must
cost the worker nothing but this one preview. So the page is rendered in a child process
(this file, run by path with ``python -I``: it imports nothing of the project) that reads
the PDF on its standard input and writes a PNG on its standard output, under a CPU-time
and an address-space limit, and is killed if it has not answered within RENDER_TIMEOUT
seconds. No forms are initialised, so no PDF script ever runs (and this PDFium build has
no JavaScript engine anyway). The page's size is checked before it is drawn, and the
drawing is never bigger than the preview, whatever the page declares.
"""

from __future__ import annotations

import io
import subprocess
import sys

RENDER_TIMEOUT = 10  # seconds of wall-clock time for the whole child
CPU_SECONDS = 8
MEMORY_BYTES = 512 * 1024 * 1024
# PDF user space ends at 14,400 units (200 inches); a sliver of a page makes no picture.
MAX_PAGE_UNITS = 14_400
MAX_ASPECT_RATIO = 20


class PdfNotRendered(Exception):
    """The first page could not be drawn: damaged, encrypted, too odd, or too slow."""


def render_first_page(data: bytes, size: int) -> bytes:
    """The first page fitted in a ``size`` pixel square, as PNG bytes."""
    try:
        finished = subprocess.run(  # noqa: S603 - this file, with this interpreter
            [sys.executable, "-I", __file__, str(size)],
            input=data,
            capture_output=True,
            timeout=RENDER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PdfNotRendered(f"not drawn within {RENDER_TIMEOUT} seconds") from error
    if finished.returncode != 0 or not finished.stdout:
        reason = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise PdfNotRendered(reason[0] if reason else f"exit status {finished.returncode}")
    return finished.stdout


def _limit_this_process() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def _draw(data: bytes, size: int) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)  # an encrypted one raises: no password is given
    try:
        if len(document) < 1:
            raise PdfNotRendered("no pages")
        page = document[0]
        width, height = page.get_size()
        longest, shortest = max(width, height), min(width, height)
        if shortest < 1 or longest > MAX_PAGE_UNITS or longest / shortest > MAX_ASPECT_RATIO:
            raise PdfNotRendered(f"a page of {width:.0f} x {height:.0f} units")
        bitmap = page.render(scale=size / longest, may_draw_forms=False)
        out = io.BytesIO()
        bitmap.to_pil().save(out, "PNG")
        return out.getvalue()
    finally:
        document.close()


def main() -> int:
    _limit_this_process()
    size = int(sys.argv[1])
    try:
        png = _draw(sys.stdin.buffer.read(), size)
    except Exception as error:  # reported to the parent on standard error
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
