"""Photos sent with a testimonial: only real JPEG (MPO included), PNG or WebP images.

Memory stays bounded: the header is read first and anything over ``MAX_PIXELS`` is refused
before a single pixel is decoded; a JPEG is decoded straight at the size kept (``draft``); and
only one image is decoded at a time in the process (``DECODING``). The copy kept is a new JPEG,
in sRGB, upright, with no metadata segment at all (see ``jpeg_segments``)."""

from __future__ import annotations

import asyncio
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from forms_backend.contributions.forms import PHOTO_MAX_BYTES, PHOTO_TOO_HEAVY
from forms_backend.contributions.jpeg_segments import JpegError, strip_metadata

MAX_BYTES = PHOTO_MAX_BYTES
MAX_PIXELS = 24_000_000  # a 24-megapixel phone photo is fine; more is an attack or a mistake
LONGEST_SIDE = 2400  # more than any page of the site shows
ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: a phone's JPEG with a second picture inside
# HEIF brands (ISO/IEC 23008-12): what an iPhone saves by default, which Pillow cannot read.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
GENERIC_HEIF = {b"mif1", b"msf1"}  # also the brands of AVIF, which then names « avif » too
# One decode at a time per process: a 24-megapixel image takes about 100 MB while it is decoded,
# so four photos sent at once must not be decoded side by side. The server decodes in one
# dedicated thread (``decode_in_turn``): the others wait in its queue holding no thread, and
# the memory freed by one decode is reused by the next (glibc keeps one heap per thread: four
# pool threads decoding in turn would each keep their own ~100 MB). ``DECODING`` guards any
# other caller of ``clean_photo`` in the process.
DECODING = threading.BoundedSemaphore(1)
_DECODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="porte-voix-photos")

TOO_BIG = (
    "Cette image est trop grande : 24 millions de pixels au plus. "
    "Envoie une photo prise avec ton téléphone, ou une capture d'écran."
)
IPHONE_HINT = (
    "Cette photo est au format HEIC de l'iPhone, qu'on ne sait pas lire. Envoie une capture "
    "d'écran de ta photo, ou règle ton iPhone pour qu'il enregistre en JPEG : Réglages › "
    "Appareil photo › Formats › « Le plus compatible »."
)
NOT_A_PHOTO = "Ce fichier n'est pas une photo JPEG, PNG ou WebP. Choisis une autre photo."
NOT_AN_IMAGE = "Ce fichier n'est pas une image. Choisis une photo JPEG, PNG ou WebP."
DAMAGED = "Cette photo est abîmée (incomplète ou illisible). Essaie avec une autre."


class UploadRefused(ValueError):
    """The file is not a photo we keep; the message says why, in French."""


async def decode_in_turn(data: bytes) -> bytes:
    """``clean_photo`` in the decoding thread, without blocking the event loop."""
    return await asyncio.wrap_future(_DECODER.submit(clean_photo, data))


def clean_photo(data: bytes) -> bytes:
    """A JPEG with no metadata, upright, at most ``LONGEST_SIDE`` pixels, from an uploaded file.

    Blocking (it decodes): call it from a worker thread."""
    if len(data) > MAX_BYTES:
        raise UploadRefused(PHOTO_TOO_HEAVY)
    if not data:
        raise UploadRefused("Le fichier est vide. Choisis une photo.")
    if is_heif(data):
        raise UploadRefused(IPHONE_HINT)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as image:  # lazy: only the header is read here
                if image.format not in ACCEPTED:
                    raise UploadRefused(NOT_A_PHOTO)
                if image.width * image.height > MAX_PIXELS:
                    raise UploadRefused(TOO_BIG)
                with DECODING:
                    return _reencode(image)
        except UploadRefused:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise UploadRefused(TOO_BIG) from None
        except UnidentifiedImageError:
            raise UploadRefused(NOT_AN_IMAGE) from None
        except (OSError, SyntaxError, ValueError, JpegError):
            raise UploadRefused(DAMAGED) from None


def is_heif(data: bytes) -> bool:
    """True for an HEIC/HEIF file: an ISO box ``ftyp`` naming a HEIF brand."""
    if data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    box = data[8 : min(max(size, 16), 256)]
    brands = {box[i : i + 4] for i in range(0, len(box) - 3, 4)}
    if brands & HEIF_BRANDS:
        return True
    return bool(brands & GENERIC_HEIF) and not brands & {b"avif", b"avis"}


def _reencode(image: Image.Image) -> bytes:
    """Decode (reduced when the format allows it), turn upright, sRGB, and save bare."""
    icc = image.info.get("icc_profile")
    if image.format in ("JPEG", "MPO"):
        # The JPEG decoder scales by 1/2, 1/4 or 1/8 while decoding: the full-size picture is
        # never in memory. ``draft`` keeps a size at least as large as asked.
        scale = max(image.width, image.height) / LONGEST_SIDE
        if scale > 1:
            image.draft(image.mode, (int(image.width / scale), int(image.height / scale)))
    image.seek(0)  # an MPO or animated WebP: the first picture
    image.load()
    ImageOps.exif_transpose(image, in_place=True)  # no second full-size copy
    picture: Image.Image = image
    if image.mode in ("1", "P"):  # resized with a palette, the picture would only be sampled
        picture = image.convert("L" if image.mode == "1" else "RGBA")
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    picture = _srgb(picture, icc)
    output = BytesIO()
    # A new image carries no EXIF, XMP, ICC or comment unless given: none is given. The JFIF
    # header Pillow writes is dropped too, so that the file holds pixels and nothing else.
    picture.save(output, "JPEG", quality=88, optimize=True)
    return strip_metadata(output.getvalue())


def _srgb(picture: Image.Image, icc: bytes | None) -> Image.Image:
    """The picture in RGB: through its ICC profile to sRGB when it has one, on white if it has
    transparency (a JPEG has none)."""
    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        picture = flat
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(icc))
            if picture.mode not in ("RGB", "CMYK", "L"):
                picture = picture.convert("RGB")
            converted = ImageCms.profileToProfile(
                picture, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or mismatched profile: the colours as they are
    return picture.convert("RGB")
