"""What an inspection of one attached file returns, and the limits it works within."""

from __future__ import annotations

from dataclasses import dataclass

TYPE = "attach.type"  # the extension, or the detected content, is not an allowed type
CONTENT = "attach.content"  # the content does not match, carries active content, or is unsafe


@dataclass(frozen=True)
class FileProblem:
    """One reason to refuse a file: the rule it breaks and a sentence naming the file."""

    rule: str
    message: str


@dataclass(frozen=True)
class Limits:
    """Bounds on the work done for one file; everything past them is refused, not read."""

    max_file_bytes: int = 10 * 1024 * 1024  # the whole-message cap; a file is never larger
    # Images
    max_pixels: int = 40_000_000  # per frame; a 40-megapixel photo decodes to ~120 MB RGB
    max_frames: int = 1000  # animated GIF / APNG / multi-page TIFF
    max_decoded_pixels: int = 120_000_000  # frames after this budget are parsed, not decoded
    max_jpeg_scans: int = 100  # progressive JPEGs use ~10; thousands are a decoder DoS
    # Word (.docx) packages
    max_zip_entries: int = 1000
    max_unpacked_bytes: int = 64 * 1024 * 1024  # measured while inflating, never claimed
    max_compression_ratio: int = 100  # Word XML compresses ~5-20:1; deflate tops out ~1032:1
    ratio_grace_bytes: int = 1024 * 1024  # small entries may be all zeros; harmless
    max_package_part_bytes: int = 4 * 1024 * 1024  # [Content_Types].xml and .rels, kept whole
    # Word 97-2003 (.doc) compound files and PDFs
    max_ole_entries: int = 4096
    max_pdf_objects: int = 100_000
    max_pdf_stream_bytes: int = 8 * 1024 * 1024  # one object or xref stream, inflated
    max_pdf_inflated_bytes: int = 32 * 1024 * 1024  # all object streams together


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class FileReport:
    """The verdict on one file.

    ``kind`` is the allowed type its content was found to be (``None`` when it is none of
    them); ``mime_type`` is what to store and serve it as; ``display_name`` is safe to show
    (the cleaned name when the name is acceptable, otherwise the name with invisible
    characters spelled out).
    """

    name: str
    display_name: str
    kind: str | None
    mime_type: str
    problems: tuple[FileProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def messages(self, rule: str) -> list[str]:
        return [p.message for p in self.problems if p.rule == rule]
