"""Photos in content/: ``porte-voix check`` names those that carry a GPS position or a camera, and
``porte-voix photos nettoyer`` removes it without touching the pixels (or turns them first)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageChops

from .conftest import ENVIRONMENT, REPO, new_project
from .test_images import XMP, phone_photo

# JPEG segments that say something about the person, the place or the device.
METADATA_SEGMENTS = {0xE1: "APP1 (EXIF/XMP)", 0xED: "APP13 (IPTC)", 0xFE: "COM"}


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """Marker and payload of each segment before the image data, read by hand (not our code)."""
    assert data[:2] == b"\xff\xd8"
    segments, position = [], 2
    while True:
        assert data[position] == 0xFF
        marker = data[position + 1]
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segments.append((marker, data[position + 4 : position + 2 + length]))
        if marker == 0xDA:  # start of scan: compressed pixels follow
            return segments
        position += 2 + length


def metadata_markers(path: Path) -> list[str]:
    found = [
        METADATA_SEGMENTS[marker]
        for marker, _ in jpeg_segments(path.read_bytes())
        if marker in METADATA_SEGMENTS
    ]
    found += [
        f"APP{marker - 0xE0}"
        for marker, payload in jpeg_segments(path.read_bytes())
        if 0xE2 <= marker <= 0xEF
        and marker != 0xED
        and not payload.startswith((b"ICC_PROFILE\0", b"Adobe"))
    ]
    return found


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        env=ENVIRONMENT,
        cwd=project_root,
        timeout=120,
    )


def add_comment_and_iptc(path: Path) -> None:
    """Insert a COM and an APP13 segment right after SOI, as some editors do."""
    data = path.read_bytes()
    comment = b"Pris chez Ines, 3 rue des Lilas"
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x00"
    extra = b"".join(
        bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
        for marker, payload in ((0xFE, comment), (0xED, iptc))
    )
    path.write_bytes(data[:2] + extra + data[2:])


def test_check_names_a_phone_photo_and_the_command_that_cleans_it(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    photo = project.content / "temoignages" / "ines.jpg"
    photo.parent.mkdir()
    phone_photo(photo, size=(400, 300), orientation=1)
    add_comment_and_iptc(photo)
    assert set(metadata_markers(photo)) == {"APP1 (EXIF/XMP)", "APP13 (IPTC)", "COM"}
    pixels = Image.open(photo).convert("RGB")

    checked = run(project.root, "check")
    assert checked.returncode == 1
    line = next(x for x in checked.stdout.splitlines() if x.startswith("content/temoignages/"))
    assert line == (
        "content/temoignages/ines.jpg: la photo contient des métadonnées "
        "(position GPS, appareil, XMP, IPTC, commentaire) — lance "
        "« porte-voix photos nettoyer content/temoignages/ines.jpg » pour les retirer"
    )

    cleaned = run(project.root, "photos", "nettoyer", "content/temoignages/ines.jpg")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "content/temoignages/ines.jpg : nettoyée." in cleaned.stdout
    assert metadata_markers(photo) == []
    data = photo.read_bytes()
    assert b"PhoneMaker" not in data and b"xmpmeta" not in data and b"Lilas" not in data
    with Image.open(photo) as image:
        assert len(image.getexif()) == 0
        assert "icc_profile" in image.info  # the colours keep their meaning
        # Losslessly: the very same pixels, not a re-encoded copy.
        assert ImageChops.difference(image.convert("RGB"), pixels).getbbox() is None

    assert run(project.root, "check").returncode == 0


def test_a_photo_marked_as_turned_is_turned_before_its_exif_goes(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    photo = phone_photo(project.content / "images" / "forum.jpg", size=(600, 400), orientation=6)
    with Image.open(photo) as image:
        # As a browser shows it: the orientation applied (blue band from top left to top right).
        expected = image.transpose(Image.Transpose.ROTATE_270).convert("RGB")

    assert "content/images/forum.jpg: la photo contient" in run(project.root, "check").stdout
    assert run(project.root, "photos", "nettoyer", "content").returncode == 0

    assert metadata_markers(photo) == []
    with Image.open(photo) as image:
        assert image.size == (400, 600)
        assert len(image.getexif()) == 0
        difference = ImageChops.difference(image.convert("RGB"), expected)
        assert max(high for _, high in difference.getextrema()) < 24  # re-encoded at quality 95
    assert run(project.root, "check").returncode == 0


def test_png_text_and_exif_chunks_are_reported_and_removed(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    project = new_project(tmp_path / "site")
    photo = project.content / "images" / "affiche.png"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (48.0, 54.0, 12.5)}
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "chez Kevin")
    Image.new("RGB", (50, 40), (10, 20, 30)).save(photo, exif=exif, pnginfo=text)

    assert "(position GPS, texte)" in run(project.root, "check").stdout
    assert run(project.root, "photos", "nettoyer", str(photo)).returncode == 0
    chunks = []
    data, position = photo.read_bytes(), 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    assert chunks == [b"IHDR", b"IDAT", b"IEND"]
    assert Image.open(photo).getpixel((0, 0)) == (10, 20, 30)


def test_a_broken_photo_is_reported_not_a_crash(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    (project.content / "images" / "coupee.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00")
    result = run(project.root, "check")
    assert result.returncode == 1
    assert "content/images/coupee.jpg: la photo est illisible" in result.stdout


def test_the_sample_photos_carry_nothing(tmp_path: Path) -> None:
    photos = sorted((REPO / "content").rglob("*.jpg"))
    assert photos
    for photo in photos:
        assert metadata_markers(photo) == [], photo
        with Image.open(photo) as image:
            assert len(image.getexif()) == 0
    project = new_project(tmp_path / "site")
    shutil.rmtree(project.content)
    shutil.copytree(REPO / "content", project.content)
    assert "la photo contient" not in run(project.root, "check").stdout


def test_webp_exif_and_xmp_chunks_are_removed_and_the_image_still_reads(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    photo = project.content / "images" / "atelier.webp"
    exif = Image.Exif()
    exif[0x0110] = "Model X 12"
    image = Image.new("RGB", (64, 48), (200, 80, 40))
    image.save(photo, "WEBP", lossless=True, exif=exif, xmp=XMP)

    assert "(appareil, XMP)" in run(project.root, "check").stdout
    assert run(project.root, "photos", "nettoyer", "content/images").returncode == 0
    data = photo.read_bytes()
    assert b"EXIF" not in data and b"XMP " not in data and b"xmpmeta" not in data
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8  # the RIFF size follows the cut
    with Image.open(photo) as cleaned:
        assert not {"exif", "xmp"} & set(cleaned.info)
        assert ImageChops.difference(cleaned.convert("RGB"), image).getbbox() is None
