"""What a photo file says besides its pixels (GPS position, camera, comments), and removing it.

The site publishes clean copies (``images.py``), but ``content/`` lives in git, which keeps every
version forever: a phone photo committed there gives away where it was taken. This module reads
the file's own structure (JPEG markers, PNG chunks, WebP chunks) rather than trusting a decoder,
and cleans without re-encoding whenever it can: only the metadata segments are dropped and the
compressed pixels are copied byte for byte. A photo whose EXIF says "turn me" is the exception:
the turn is applied to the pixels first (browsers honour that tag; without it the photo would
lie on its side), so it is re-encoded once at high quality.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
ORIENTATION_TAG = 0x0112
GPS_IFD = 0x8825
CAMERA_TAGS = (0x010F, 0x0110)  # Make, Model
REENCODED_JPEG_QUALITY = 95

# JPEG segments that decoding needs or that say nothing about anyone.
_JFIF = (b"JFIF\0", b"JFXX\0")
_ICC = b"ICC_PROFILE\0"
_ADOBE = b"Adobe"  # APP14: how to read the colours of CMYK files
_EXIF = b"Exif\0\0"
_XMP = (b"http://ns.adobe.com/xap/1.0/\0", b"http://ns.adobe.com/xmp/extension/\0")
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0–RST7: no length field
_SOS, _EOI, _COM, _APP0, _APP1, _APP2, _APP13, _APP14 = (
    0xDA,
    0xD9,
    0xFE,
    0xE0,
    0xE1,
    0xE2,
    0xED,
    0xEE,
)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_METADATA = {
    b"eXIf": "EXIF",
    b"tEXt": "texte",
    b"zTXt": "texte",
    b"iTXt": "texte",
    b"tIME": "date",
}
_WEBP_METADATA = {b"EXIF": "EXIF", b"XMP ": "XMP"}
_VP8X_EXIF_AND_XMP_FLAGS = 0x08 | 0x04


# Labels shown to authors, the most revealing first.
LABEL_ORDER = (
    "position GPS",
    "appareil",
    "EXIF",
    "XMP",
    "IPTC",
    "commentaire",
    "texte",
    "date",
    "données après l'image",
    "autres données",
)


class UnreadablePhoto(ValueError):
    """The file does not have the structure its name promises."""


@dataclass(frozen=True)
class Findings:
    """What a photo carries besides its pixels, in words an author understands."""

    labels: tuple[str, ...]
    orientation: int = 1

    def __bool__(self) -> bool:
        return bool(self.labels)

    @classmethod
    def of(cls, labels: list[str], orientation: int = 1) -> Findings:
        """Findings with each label once, the most revealing first."""
        return cls(tuple(sorted(set(labels), key=LABEL_ORDER.index)), orientation)


def is_photo(path: Path) -> bool:
    """A file that the site shows as a photo (the formats ``images.py`` publishes)."""
    return path.suffix.lower() in PHOTO_SUFFIXES and path.is_file()


def hidden_metadata(path: Path) -> Findings:
    """The metadata in ``path`` (GPS position, camera, XMP, IPTC, comments…); empty if clean."""
    data = path.read_bytes()
    if data.startswith(b"\xff\xd8"):
        return _jpeg_findings(data)
    if data.startswith(_PNG_SIGNATURE):
        return _chunk_findings(_png_chunks(data), _PNG_METADATA)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _chunk_findings(_webp_chunks(data), _WEBP_METADATA)
    raise UnreadablePhoto(f"{path.name} n'est ni un JPEG, ni un PNG, ni un WebP")


def strip_metadata(path: Path) -> bool:
    """Rewrite ``path`` without its metadata; True if something was removed.

    The colour profile stays (the colours would change without it). The new file is written
    beside the old one and renamed over it, so an interrupted run leaves the photo whole.
    """
    findings = hidden_metadata(path)
    if not findings:
        return False
    data = path.read_bytes()
    if findings.orientation != 1:
        clean = _upright_copy(data)
    elif data.startswith(b"\xff\xd8"):
        clean = b"".join(part for marker, part in _jpeg_parts(data) if _is_kept(marker, part))
    elif data.startswith(_PNG_SIGNATURE):
        clean = _PNG_SIGNATURE + b"".join(
            whole for kind, _, whole in _png_chunks(data) if kind not in _PNG_METADATA
        )
    else:
        clean = _clean_webp(data)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(clean)
    temporary.replace(path)
    return True


# JPEG ------------------------------------------------------------------------------------------


def _jpeg_parts(data: bytes) -> list[tuple[int, bytes]]:
    """Every marker segment with its bytes (a scan with its compressed data), up to EOI.

    Bytes after EOI (phones append preview images there, each with its own EXIF) get the
    pseudo-marker -1.
    """
    parts: list[tuple[int, bytes]] = [(0xD8, data[:2])]
    position = 2
    while position < len(data):
        start = position
        if data[position] != 0xFF:
            raise UnreadablePhoto("segment JPEG illisible")
        while position < len(data) and data[position] == 0xFF:
            position += 1  # fill bytes
        if position >= len(data):
            raise UnreadablePhoto("fichier JPEG coupé")
        marker = data[position]
        position += 1
        if marker == _EOI:
            parts.append((marker, data[start:position]))
            if data[position:].strip(b"\0"):
                parts.append((-1, data[position:]))
            return parts
        if marker not in _STANDALONE:
            if position + 2 > len(data):
                raise UnreadablePhoto("fichier JPEG coupé")
            (length,) = struct.unpack(">H", data[position : position + 2])
            position += length
            if marker == _SOS:
                position = _end_of_scan(data, position)
        if position > len(data):
            raise UnreadablePhoto("fichier JPEG coupé")
        parts.append((marker, data[start:position]))
    raise UnreadablePhoto("fichier JPEG coupé (pas de fin d'image)")


def _end_of_scan(data: bytes, position: int) -> int:
    """Where the compressed data of a scan ends: at the first real marker after it."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise UnreadablePhoto("fichier JPEG coupé")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2  # a stuffed 0xFF or a restart marker: still in the scan
        elif following == 0xFF:
            position += 1
        else:
            return position


def _payload(part: bytes) -> bytes:
    return part[4:] if len(part) >= 4 else b""


def _is_kept(marker: int, part: bytes) -> bool:
    """A segment that decoding needs and that says nothing about the person or the place."""
    if marker == -1 or marker == _COM:
        return False
    if not 0xE0 <= marker <= 0xEF:
        return True
    payload = _payload(part)
    return (
        (marker == _APP0 and payload.startswith(_JFIF))
        or (marker == _APP2 and payload.startswith(_ICC))
        or (marker == _APP14 and payload.startswith(_ADOBE))
    )


def _jpeg_findings(data: bytes) -> Findings:
    labels: list[str] = []
    orientation = 1
    for marker, part in _jpeg_parts(data):
        if _is_kept(marker, part):
            continue
        payload = _payload(part)
        if marker == _APP1 and payload.startswith(_EXIF):
            exif_labels, orientation = _exif_labels(payload[len(_EXIF) :])
            labels += exif_labels
        elif marker == _APP1 and payload.startswith(_XMP):
            labels.append("XMP")
        elif marker == _APP13:
            labels.append("IPTC")
        elif marker == _COM:
            labels.append("commentaire")
        elif marker == -1:
            labels.append("données après l'image")
        else:
            labels.append("autres données")
    return Findings.of(labels, orientation)


def _exif_labels(tiff: bytes) -> tuple[list[str], int]:
    exif = Image.Exif()
    try:
        exif.load(tiff)
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # a damaged EXIF block is still an EXIF block to remove
        return ["EXIF"], 1
    labels = ["position GPS"] if gps else []
    if any(exif.get(tag) for tag in CAMERA_TAGS):
        labels.append("appareil")
    orientation = exif.get(ORIENTATION_TAG, 1)
    return labels or ["EXIF"], orientation if orientation in range(1, 9) else 1


# PNG and WebP ----------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(type, content, whole chunk with length and CRC) for every chunk."""
    chunks = []
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            raise UnreadablePhoto("fichier PNG coupé")
        chunks.append((kind, data[position + 8 : end - 4], data[position:end]))
        position = end
        if kind == b"IEND":
            break
    return chunks


def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    chunks = []
    position = 12
    while position + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[position : position + 8])
        end = position + 8 + length + (length & 1)
        if position + 8 + length > len(data):
            raise UnreadablePhoto("fichier WebP coupé")
        chunks.append((kind, data[position + 8 : position + 8 + length], data[position:end]))
        position = end
    return chunks


def _chunk_findings(
    chunks: list[tuple[bytes, bytes, bytes]], metadata: dict[bytes, str]
) -> Findings:
    labels: list[str] = []
    orientation = 1
    for kind, content, _ in chunks:
        if kind not in metadata:
            continue
        if metadata[kind] == "EXIF":
            exif_labels, orientation = _exif_labels(content.removeprefix(_EXIF))
            labels += exif_labels
        elif b"XML:com.adobe.xmp" in content[:40]:
            labels.append("XMP")
        else:
            labels.append(metadata[kind])
    return Findings.of(labels, orientation)


def _clean_webp(data: bytes) -> bytes:
    body = b""
    for kind, content, whole in _webp_chunks(data):
        if kind in _WEBP_METADATA:
            continue
        if kind == b"VP8X":
            flags = bytes([content[0] & ~_VP8X_EXIF_AND_XMP_FLAGS & 0xFF])
            whole = whole[:8] + flags + whole[9:]
        body += whole
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def _upright_copy(data: bytes) -> bytes:
    """The pixels turned as the EXIF orientation says, in the same format, nothing else kept."""
    with Image.open(io.BytesIO(data)) as image:
        image_format = image.format
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    clean = Image.new(upright.mode, upright.size)  # a new image: no info carried over
    clean.paste(upright)
    if upright.mode == "P":
        clean.putpalette(upright.getpalette() or [])
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if image_format == "JPEG":
        options |= {"quality": REENCODED_JPEG_QUALITY, "subsampling": 0, "optimize": True}
    elif image_format == "WEBP":
        options |= {"quality": REENCODED_JPEG_QUALITY}
    buffer = io.BytesIO()
    clean.save(buffer, image_format, **options)
    return buffer.getvalue()
