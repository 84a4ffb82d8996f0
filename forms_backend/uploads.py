"""Photos sent with a testimonial: only real JPEG, PNG or WebP images, opened by Pillow with a
pixel limit (no decompression bomb), re-encoded so that nothing hidden survives (EXIF, GPS, XMP,
comments, ICC), and kept outside the web root."""

from __future__ import annotations

import warnings
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is fine; more is an attack or a mistake
LONGEST_SIDE = 2400  # more than any page of the site shows
ACCEPTED = {"JPEG", "PNG", "WEBP"}


class UploadRefused(ValueError):
    """The file is not a photo we keep; the message says why, in French."""


def clean_photo(data: bytes) -> bytes:
    """A JPEG with no metadata, upright, at most ``LONGEST_SIDE`` pixels, from an uploaded file."""
    if len(data) > MAX_BYTES:
        raise UploadRefused("Cette photo est trop lourde : 10 Mo au plus.")
    if not data:
        raise UploadRefused("Le fichier est vide. Choisis une photo.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as image:
                if image.format not in ACCEPTED:
                    raise UploadRefused(
                        "Ce fichier n'est pas une photo JPEG, PNG ou WebP. Sur iPhone, choisis « Le plus compatible » dans Réglages › Appareil photo › Formats."
                    )
                if image.width * image.height > MAX_PIXELS:
                    raise UploadRefused("Cette image est trop grande. Envoie une photo normale.")
                image.load()
                upright = ImageOps.exif_transpose(image)
        except UploadRefused:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise UploadRefused("Cette image est trop grande. Envoie une photo normale.") from None
        except UnidentifiedImageError:
            raise UploadRefused(
                "Ce fichier n'est pas une image. Choisis une photo JPEG, PNG ou WebP."
            ) from None
        except (OSError, SyntaxError, ValueError):
            raise UploadRefused(
                "Cette photo est abîmée (incomplète ou illisible). Essaie avec une autre."
            ) from None
    upright = upright.convert("RGB")
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    output = BytesIO()
    # A new image carries no EXIF, XMP, ICC or comment unless given: none is given.
    upright.save(output, "JPEG", quality=88, optimize=True)
    return output.getvalue()
