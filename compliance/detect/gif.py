"""Whether GIF data is animated: more than one image in the file.

Walks the GIF block structure (header, colour tables, extensions, image descriptors)
without decoding any pixels, so checking a large file costs a few microseconds.
"""

from __future__ import annotations

_EXTENSION, _IMAGE, _TRAILER = 0x21, 0x2C, 0x3B


def is_gif(data: bytes) -> bool:
    return data[:6] in (b"GIF87a", b"GIF89a")


def is_animated_gif(data: bytes) -> bool:
    return is_gif(data) and frame_count(data, stop_at=2) >= 2


def frame_count(data: bytes, stop_at: int = 0) -> int:
    """Images in a GIF (stopping early at stop_at if given); 0 if data is not a GIF."""
    if not is_gif(data) or len(data) < 13:
        return 0
    position = 13 + _colour_table_size(data[10])
    frames = 0
    while position < len(data):
        block = data[position]
        if block == _TRAILER:
            break
        if block == _EXTENSION:
            position = _skip_sub_blocks(data, position + 2)
        elif block == _IMAGE:
            frames += 1
            if stop_at and frames >= stop_at:
                break
            if position + 10 > len(data):
                break
            position += 10 + _colour_table_size(data[position + 9])
            position = _skip_sub_blocks(data, position + 1)  # after the LZW code size
        else:
            break  # not GIF structure: stop rather than guess
    return frames


def _colour_table_size(packed: int) -> int:
    return 3 * (2 ** ((packed & 0x07) + 1)) if packed & 0x80 else 0


def _skip_sub_blocks(data: bytes, position: int) -> int:
    while position < len(data):
        size = data[position]
        position += 1 + size
        if size == 0:
            break
    return position
