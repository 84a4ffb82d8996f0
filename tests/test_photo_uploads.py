"""Photos sent with a testimonial, through the real app: too many pixels, phone formats (MPO,
WebP, HEIC), metadata read back with exiftool and with a JPEG parser written here, a photo over
the size limit without JavaScript, and a testimonial posted twice."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from PIL import Image, ImageCms

from forms_backend.contributions.store import ContributionStore
from forms_backend.store.database import Store
from forms_backend.typography import french_spacing
from generator.cli import main

from .backend import client_for, make_config, write_organisation
from .conftest import REPO, new_project
from .test_contributions import ADULT, backend_env, contributions

# As shown: with the French no-break spaces of every text of the site and of the JSON answers.
TOO_BIG = french_spacing("Cette image est trop grande : 24 millions de pixels au plus.")
IPHONE = french_spacing("Réglages › Appareil photo › Formats › « Le plus compatible »")
TOO_HEAVY = french_spacing("Cette photo est trop lourde : 10 Mo au plus.")


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    write_organisation(config.site_dir)  # a parent's letter leaves only with the contact
    return config


def post(client, fields: dict[str, str], photo: bytes | None, name: str = "photo.jpg", **kwargs):  # type: ignore[no-untyped-def]
    files = {"photo": (name, photo, "application/octet-stream")} if photo is not None else None
    return client.post("/formulaires/temoignage", data=fields, files=files, **kwargs)


def encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def kept_photo(config) -> Path:  # type: ignore[no-untyped-def]
    (row,) = contributions(config)
    return config.uploads / row["photo"]


def refused_page(answer) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422
    return BeautifulSoup(answer.text, "html.parser")


def test_a_png_of_38_megapixels_is_refused_in_french_and_nothing_is_stored(config) -> None:  # type: ignore[no-untyped-def]
    bomb = encoded(Image.new("RGB", (7000, 5500), (10, 200, 30)), "PNG", optimize=True)
    assert len(bomb) < 200_000  # small on disk, 38 Mpx once decoded
    with client_for(config) as client:
        page = refused_page(post(client, {**ADULT, "accord_photo": "oui"}, bomb, "a.png"))
    assert TOO_BIG in page.select_one("#pv-temoignage-photo-erreur").get_text()
    assert page.select_one("#pv-temoignage-recit").get_text() == ADULT["recit"]
    assert contributions(config) == []
    assert not config.uploads.exists() or not any(config.uploads.iterdir())


def test_a_phone_mpo_is_accepted_and_its_first_picture_kept(config) -> None:  # type: ignore[no-untyped-def]
    first = Image.new("RGB", (800, 600), (220, 30, 30))
    second = Image.new("RGB", (800, 600), (30, 30, 220))
    mpo = encoded(first, "MPO", save_all=True, append_images=[second])
    with Image.open(io.BytesIO(mpo)) as check:
        assert check.format == "MPO" and check.n_frames == 2
    with client_for(config) as client:
        answer = post(client, {**ADULT, "accord_photo": "oui"}, mpo)
    assert answer.status_code == 303, answer.text
    with Image.open(kept_photo(config)) as kept:
        assert kept.format == "JPEG" and getattr(kept, "n_frames", 1) == 1
        red, _, blue = kept.convert("RGB").getpixel((400, 300))
        assert red > 180 and blue < 80  # the first picture, not the second


def test_a_webp_is_accepted(config) -> None:  # type: ignore[no-untyped-def]
    webp = encoded(Image.new("RGB", (900, 700), (20, 160, 90)), "WEBP")
    with client_for(config) as client:
        assert post(client, {**ADULT, "accord_photo": "oui"}, webp, "p.webp").status_code == 303
    with Image.open(kept_photo(config)) as kept:
        assert kept.format == "JPEG" and kept.size == (900, 700)


def test_an_iphone_heic_is_refused_with_how_to_send_a_jpeg(config) -> None:  # type: ignore[no-untyped-def]
    heic = (24).to_bytes(4, "big") + b"ftypheic" + b"\0\0\0\0" + b"mif1heic" + os.urandom(4000)
    with client_for(config) as client:
        page = refused_page(post(client, {**ADULT, "accord_photo": "oui"}, heic, "IMG_0001.HEIC"))
    message = page.select_one("#pv-temoignage-photo-erreur").get_text()
    assert "HEIC" in message and IPHONE in message and "capture d'écran" in message
    assert contributions(config) == []


# --- Metadata, read back by programs that are not ours ---------------------------------------


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG up to its end marker, read here without Pillow; raises if anything
    follows the end."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        assert data[at] == 0xFF, f"no marker at {at}"
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xD9:
            assert at + 2 == len(data), "bytes after the end of the image"
            return markers
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        at += 2 + length
        if marker == 0xDA:  # skip the compressed data to the next marker
            while not (data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1


def exiftool_tags(path: Path) -> dict[str, object]:
    output = subprocess.run(
        ["exiftool", "-j", "-a", "-G1", "-u", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)[0]


def metadata_left(path: Path) -> list[str]:
    """What exiftool finds beyond the file itself, and the APPn/COM markers found here."""
    found = [
        key
        for key in exiftool_tags(path)
        if key.split(":")[0] not in {"SourceFile", "ExifTool", "System", "File", "Composite"}
        or key == "File:Comment"
    ]
    found += [
        f"marqueur {marker:02X}"
        for marker in jpeg_markers(path.read_bytes())
        if 0xE0 <= marker <= 0xEF or marker == 0xFE
    ]
    return found


XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,54.2N"/></rdf:RDF>'
    '</x:xmpmeta><?xpacket end="w"?>'
).encode()


def loaded_jpeg(path: Path) -> Path:
    """A JPEG with EXIF (camera, GPS), XMP, a comment, an ICC profile and bytes after its end."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 54.0, 12.5), 3: "E", 4: (6.0, 3.0, 30.2)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (1600, 1200), (200, 80, 40))
    image.save(path, "JPEG", exif=exif, xmp=XMP, icc_profile=icc, comment=b"secret du studio")
    with path.open("ab") as file:
        file.write(b"cache apres la fin")
    return path


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="make test installs exiftool")
def test_no_metadata_survives_in_the_stored_photo_nor_in_content(config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = loaded_jpeg(tmp_path / "source.jpg")
    tags = exiftool_tags(source)
    assert "GPS:GPSLatitude" in tags and "File:Comment" in tags  # the test's own premise
    assert any(key.startswith("XMP") for key in tags) and any(k.startswith("ICC") for k in tags)
    with client_for(config) as client:
        answer = post(client, {**ADULT, "accord_photo": "oui"}, source.read_bytes())
    assert answer.status_code == 303
    stored = kept_photo(config)
    assert metadata_left(stored) == []
    project = new_project(tmp_path / "site")
    env = backend_env(config)
    ident = contributions(config)[0]["id"][:8]
    accepted = CliRunner().invoke(
        main,
        ["contributions", "accept", ident, "--config", str(project.root / "mkdocs.yml")],
        env=env,
    )
    assert accepted.exit_code == 0, accepted.output
    (published,) = (project.content / "temoignages").glob("*.jpg")
    assert metadata_left(published) == []


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="make test installs exiftool")
def test_content_gets_a_bare_copy_even_of_a_photo_stored_with_metadata(
    config, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A photo stored before this version (JFIF, comment): ``accept`` strips it on the way."""
    with client_for(config) as client:
        post(client, {**ADULT, "accord_photo": "oui"}, loaded_jpeg(tmp_path / "s.jpg").read_bytes())
    stored = kept_photo(config)
    loaded_jpeg(stored)  # as an older version could have left it
    project = new_project(tmp_path / "site")
    ident = contributions(config)[0]["id"][:8]
    accepted = CliRunner().invoke(
        main,
        ["contributions", "accept", ident, "--config", str(project.root / "mkdocs.yml")],
        env=backend_env(config),
    )
    assert accepted.exit_code == 0, accepted.output
    (published,) = (project.content / "temoignages").glob("*.jpg")
    assert metadata_left(published) == []
    with Image.open(published) as image:
        assert image.size == (1600, 1200) and image.getpixel((10, 10))[0] > 150


def test_colours_go_through_the_icc_profile_to_srgb(config) -> None:  # type: ignore[no-untyped-def]
    """A print-shop CMYK JPEG with its profile: its cyan ink becomes the sRGB blue it looks like,
    not the pure (0, 255, 255) a naive conversion gives."""
    icc = (REPO / "theme" / "flyers" / "FOGRA39L-300.icc").read_bytes()
    cmyk = encoded(Image.new("CMYK", (600, 400), (255, 0, 0, 0)), "JPEG", icc_profile=icc)
    with client_for(config) as client:
        assert post(client, {**ADULT, "accord_photo": "oui"}, cmyk).status_code == 303
    with Image.open(kept_photo(config)) as kept:
        red, green, blue = kept.getpixel((300, 200))
    assert red < 60 and 120 < green < 200 and blue > 190, (red, green, blue)


# --- A photo over the size limit ----------------------------------------------------------


EVERY_FIELD = {
    "prenom": "Léa",
    "age": "16",
    "commune": "Liverdun",
    "citation": "J'ai trouvé un stage.",
    "recit": "Une conseillère est venue au centre social.\nJ'ai fait un stage.",
    "email_parent": "parent@exemple.fr",
    "email": "lea@exemple.fr",
    "accord_publication": "oui",
    "accord_photo": "oui",
}


def test_a_photo_over_the_limit_without_javascript_keeps_everything_typed(config) -> None:  # type: ignore[no-untyped-def]
    heavy = os.urandom(10 * 1024 * 1024 + 1)
    ident = str(uuid.uuid4())
    with client_for(config) as client:
        # The browser sends the fields in the page's order: some come after the photo.
        page = refused_page(post(client, {**EVERY_FIELD, "id": ident}, heavy))
    assert TOO_HEAVY in page.select_one("#pv-temoignage-photo-erreur").get_text()
    for name, value in EVERY_FIELD.items():
        field = page.select_one(f"#pv-temoignage-{name}")
        if field.name == "textarea":
            assert field.get_text() == value, name
        elif field["type"] == "checkbox":
            assert field.has_attr("checked"), name
        else:
            assert field["value"] == value, name
    assert page.select_one('input[name="id"]')["value"] == ident  # sent again: stored once
    assert contributions(config) == []


def test_a_photo_over_the_limit_with_javascript_gets_the_message_in_json(config) -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        answer = post(
            client,
            {**ADULT, "accord_photo": "oui"},
            os.urandom(11 * 1024 * 1024),
            headers={"Accept": "application/json"},
        )
    assert answer.status_code == 422 and TOO_HEAVY in answer.json()["erreurs"]["photo"]


def test_a_body_over_the_stream_limit_is_cut_with_413(config) -> None:  # type: ignore[no-untyped-def]
    config = replace(config, max_upload_bytes=12 * 1024 * 1024)
    with client_for(config) as client:
        answer = post(
            client,
            ADULT,
            os.urandom(13 * 1024 * 1024),
            headers={"Accept": "application/json"},
        )
    assert answer.status_code == 413
    assert answer.json()["message"] == "Le formulaire envoyé est trop long."
    assert contributions(config) == []


# --- A testimonial posted twice ------------------------------------------------------------


@pytest.mark.parametrize("json_answer", [False, True], ids=["sans-js", "avec-js"])
def test_a_double_post_stores_one_contribution_and_sends_one_letter(  # type: ignore[no-untyped-def]
    config, smtp, tmp_path: Path, json_answer: bool
) -> None:
    config = replace(config, smtp_url=smtp.url)
    minor = {
        **ADULT,
        "prenom": "Léa",
        "age": "16",
        "email_parent": "parent@exemple.fr",
        "accord_photo": "oui",
        "id": str(uuid.uuid4()),
    }
    photo = encoded(Image.new("RGB", (800, 600), (200, 80, 40)), "JPEG")
    headers = {"Accept": "application/json"} if json_answer else {}
    with client_for(config) as client:
        first = post(client, minor, photo, headers=headers)
        second = post(client, minor, photo, headers=headers)
        client.app.state.backend.letters.deliver_due()
    assert first.status_code == second.status_code == (200 if json_answer else 303)
    if json_answer:
        assert first.json() == second.json() == {"ok": True, "redirection": "/merci/contribution/"}
    else:
        assert first.headers["location"] == second.headers["location"] == "/merci/contribution/"
    assert len(contributions(config)) == 1
    assert len(list(config.uploads.iterdir())) == 1  # the second photo was not kept either
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "parent@exemple.fr"


def test_a_double_press_on_the_page_without_script_stores_one_and_sends_one_letter(  # type: ignore[no-untyped-def]
    config, smtp
) -> None:
    """The static page's form has an empty ``id`` and ``jeton`` (its script fills them): two
    presses without JavaScript send the very same form twice, and a parent must get one letter."""
    config = replace(config, smtp_url=smtp.url)
    minor = {**ADULT, "prenom": "Léa", "age": "16", "email_parent": "parent@exemple.fr"}
    minor.update(id="", jeton="", source="", site_web="", email="")
    photo = encoded(Image.new("RGB", (800, 600), (200, 80, 40)), "JPEG")
    with client_for(config) as client:
        first = post(client, {**minor, "accord_photo": "oui"}, photo)
        second = post(client, {**minor, "accord_photo": "oui"}, photo)
        other = post(client, {**minor, "citation": "Une autre phrase."}, None)
        client.app.state.backend.letters.deliver_due()
    assert first.status_code == second.status_code == other.status_code == 303
    assert len(contributions(config)) == 2  # the double press once, the other testimonial too
    assert len(list(config.uploads.iterdir())) == 1
    assert len(smtp.messages) == 2


def test_two_testimonials_with_their_own_ids_are_both_kept(config) -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        for _ in range(2):
            assert post(client, {**ADULT, "id": str(uuid.uuid4())}, None).status_code == 303
        assert post(client, ADULT, None).status_code == 303  # a page without script: no id
    assert len(contributions(config)) == 3


def test_the_participate_form_tells_its_script_the_limit(config) -> None:  # type: ignore[no-untyped-def]
    """The page's file input carries the limit and the message the script shows."""
    with client_for(config) as client:
        page = refused_page(post(client, {**ADULT, "citation": ""}, None))
    field = page.select_one("#pv-temoignage-photo")
    assert field["data-pv-max-octets"] == str(10 * 1024 * 1024)
    assert re.match(re.escape(TOO_HEAVY), field["data-pv-trop-lourd"])


def test_the_store_keeps_a_submission_id_once_even_when_both_posts_passed_the_first_check(  # type: ignore[no-untyped-def]
    config,
) -> None:
    """Two posts decoded side by side both find the id free; the write itself decides."""
    store = Store(config.database)
    store.migrate()
    contributions_store = ContributionStore(store)
    ident = str(uuid.uuid4())
    added = [
        contributions_store.add(
            str(uuid.uuid4()),
            "temoignage",
            {"prenom": "Léa"},
            photo=None,
            photo_consent=False,
            contributor_email=None,
            guardian_email="parent@exemple.fr",  # the parent's letter is queued with it
            submission_id=ident,
        )
        for _ in range(2)
    ]
    assert added == [True, False]
    assert len(contributions(config)) == 1
    assert contributions_store.letter_counts() == {"pending": 1}
