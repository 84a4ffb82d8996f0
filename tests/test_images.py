"""Published photos: responsive variants, orientation applied, every metadata gone, cached."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageCms

from generator.images import ImageProcessor, clean_copy

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description GPSLatitude="48,54.2N"/></rdf:RDF></x:xmpmeta>'


def phone_photo(path: Path, size: tuple[int, int] = (2400, 1800), orientation: int = 6) -> Path:
    """A landscape JPEG that a phone marks as rotated, with GPS, camera, XMP and an ICC profile."""
    image = Image.new("RGB", size, (200, 80, 40))
    image.paste((30, 90, 200), (0, 0, size[0] // 2, size[1] // 3))  # a blue band at the top left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (48.0, 54.0, 12.5), 3: "E", 4: (6.0, 3.0, 30.2)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", exif=exif, xmp=XMP, icc_profile=icc, quality=90)
    return path


def test_variants_are_resized_rotated_and_clean(tmp_path: Path) -> None:
    source = phone_photo(tmp_path / "photo.jpg")
    result = ImageProcessor(tmp_path / "cache").process(source)
    assert [(v.kind, v.width) for v in result.variants] == [
        ("webp", 360),
        ("jpg", 360),
        ("webp", 720),
        ("jpg", 720),
        ("webp", 1080),
        ("jpg", 1080),
    ]
    for variant in result.variants:
        data = variant.cache_path.read_bytes()
        assert b"PhoneMaker" not in data and b"xmpmeta" not in data
        with Image.open(variant.cache_path) as image:
            assert image.size == (variant.width, variant.height)
            assert (
                image.height > image.width
            )  # orientation 6: the landscape pixels were turned upright
            assert len(image.getexif()) == 0
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile"} & set(image.info)
    assert result.largest.kind == "jpg" and result.largest.width == 1080


def test_small_images_are_not_enlarged(tmp_path: Path) -> None:
    source = phone_photo(tmp_path / "small.jpg", size=(500, 400), orientation=1)
    widths = {v.width for v in ImageProcessor(tmp_path / "cache").process(source).variants}
    assert widths == {360, 500}


def test_unchanged_photo_comes_from_the_cache(tmp_path: Path) -> None:
    source = phone_photo(tmp_path / "photo.jpg")
    processor = ImageProcessor(tmp_path / "cache")
    first = processor.process(source)
    stamps = {v.cache_path: v.cache_path.stat().st_mtime_ns for v in first.variants}
    second = ImageProcessor(tmp_path / "cache").process(source)
    assert second == first
    assert {v.cache_path: v.cache_path.stat().st_mtime_ns for v in second.variants} == stamps
    phone_photo(source, size=(2000, 1500))
    assert ImageProcessor(tmp_path / "cache").process(source).key != first.key


def test_clean_copy_keeps_the_format_and_drops_metadata(tmp_path: Path) -> None:
    data = clean_copy(phone_photo(tmp_path / "photo.jpg"))
    assert b"PhoneMaker" not in data and b"xmpmeta" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.height > image.width
        assert len(image.getexif()) == 0


def test_an_unchanged_source_is_not_read_again_and_a_changed_one_is(tmp_path: Path) -> None:
    source = phone_photo(tmp_path / "photo.jpg", size=(800, 600))
    processor = ImageProcessor(tmp_path / "cache")
    first = processor.process_all([source])[source]
    # Replaced by a file that is not an image: reading it would fail, so a hit proves no read.
    stat = source.stat()
    source.write_bytes(b"x" * stat.st_size)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = ImageProcessor(tmp_path / "cache").process_all([source])[source]
    assert again == first
    phone_photo(source, size=(640, 480), orientation=1)  # a real change: new size and time
    changed = ImageProcessor(tmp_path / "cache").process_all([source])[source]
    assert changed.key != first.key and changed.largest.width == 640
