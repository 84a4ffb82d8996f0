"""QR codes that phones read: always a full QR code (never a Micro QR), error level Q, with the
quiet zone of 4 modules that readers need, drawn on white whatever the background."""

from __future__ import annotations

import segno
from PIL import Image

QUIET_ZONE = 4


def qr_image(url: str, max_width_px: int) -> Image.Image:
    """``url`` as a QR code at most ``max_width_px`` wide, quiet zone included, with modules as
    large as fit: each a whole number of pixels, so the code stays sharp when printed."""
    code = segno.make_qr(url, error="q")
    modules = code.symbol_size(border=QUIET_ZONE)[0]
    scale = max_width_px // modules
    if scale < 1:
        raise ValueError(f"a {modules}-module QR code cannot fit in {max_width_px} px")
    rows = list(code.matrix_iter(scale=1, border=QUIET_ZONE))
    small = Image.new("L", (len(rows), len(rows)), 255)
    small.putdata([0 if dark else 255 for row in rows for dark in row])
    image = small.resize((len(rows) * scale, len(rows) * scale), Image.Resampling.NEAREST)
    return image.convert("RGB")


def module_count(url: str) -> int:
    """How many modules wide the code of ``url`` is, quiet zone excluded."""
    return segno.make_qr(url, error="q").symbol_size(border=0)[0]
