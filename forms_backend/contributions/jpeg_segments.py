"""A JPEG's segments, and the same file without any metadata segment: no APP0–APP15 (JFIF, EXIF
with GPS, XMP, ICC, Photoshop, MPF…), no COM, nothing after the end marker.

Lossless: only whole segments are dropped, the compressed pixels are copied byte for byte, so the
copy written into ``content/`` can be cleaned again without a second JPEG compression."""

from __future__ import annotations

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
METADATA = {*range(0xE0, 0xF0), 0xFE}  # APPn and COM
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn have no length


class JpegError(ValueError):
    """The bytes are not a complete JPEG."""


def segments(data: bytes) -> list[tuple[int, bytes]]:
    """Every segment as (marker, its bytes from 0xFF to the end of its data or scan)."""
    if data[:2] != b"\xff\xd8":
        raise JpegError("no SOI")
    found: list[tuple[int, bytes]] = [(SOI, data[:2])]
    at = 2
    while at < len(data):
        if data[at] != 0xFF:
            raise JpegError(f"no marker at {at}")
        while at + 1 < len(data) and data[at + 1] == 0xFF:  # fill bytes before a marker
            at += 1
        if at + 1 >= len(data):
            raise JpegError("truncated marker")
        marker = data[at + 1]
        if marker == EOI:
            found.append((EOI, data[at : at + 2]))
            return found  # anything after the end is dropped
        if marker in STANDALONE:
            found.append((marker, data[at : at + 2]))
            at += 2
            continue
        if at + 4 > len(data):
            raise JpegError("truncated length")
        end = at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if end > len(data) or end < at + 4:
            raise JpegError("bad length")
        if marker == SOS:
            end = _scan_end(data, end)
        found.append((marker, data[at:end]))
        at = end
    raise JpegError("no EOI")


def strip_metadata(data: bytes) -> bytes:
    """The JPEG without APPn, COM or trailing bytes."""
    return b"".join(part for marker, part in segments(data) if marker not in METADATA)


def _scan_end(data: bytes, at: int) -> int:
    """Where the entropy-coded data starting at ``at`` ends: at the next real marker."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            raise JpegError("unfinished scan")
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1 if following == 0xFF else 2
            continue
        return at
