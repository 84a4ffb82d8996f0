"""Print-shop ready CMYK PDFs and social images that work on a phone, measured on the files
themselves: the image embedded in the PDF (extracted by poppler's ``pdfimages``), the Info
dictionary as ``pdfinfo`` and pikepdf read it, ``qpdf --check``, QR codes read by zxing-cpp."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from forms_backend.typography import NARROW_NBSP, NBSP, french_spacing
from generator.flyers.layouts import FORMATS, LayoutError, load_layout
from generator.flyers.qr import qr_image
from generator.flyers.render import FlyerError, geometry, render
from generator.flyers.subjects import Subject
from generator.flyers.text import font, wrap

from .conftest import Project, add_event, new_project, when
from .test_flyers import (
    CAMPAIGN,
    EVENT,
    LAYOUTS,
    SITE,
    campaign_file,
    event_file,
    opened,
    read_qr,
    run,
)

FULL_INK = 255
MAX_TOTAL_INK = 300  # per cent, the limit of FOGRA39 on coated paper


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return new_project(tmp_path_factory.mktemp("print"), with_sample_content=True)


def cmyk_pdf(project: Project, file: str, out: Path, format_name: str = "a5") -> Path:
    code, output = run(project, "flyer", file, "--format", format_name, "--cmyk", "--out", str(out))
    assert code == 0, output
    return out


def embedded_image(pdf: Path, folder: Path) -> Image.Image:
    """The PDF's own image, as ``pdfimages -all`` writes it (CMYK comes out as TIFF)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdfimages", "-all", str(pdf), str(folder / "im")], check=True)
    (path,) = folder.glob("im-*")
    image = opened(path)
    assert image.mode == "CMYK"
    return image


def colours(image: Image.Image) -> set[tuple[int, ...]]:
    return {colour for _, colour in image.getcolors(maxcolors=1 << 24)}


def qr_box(layout_name: str, url: str) -> tuple[tuple[int, int, int, int], Image.Image]:
    """Where the layout puts the QR code of ``url`` (bleed 3 mm), and the code itself."""
    layout = load_layout(LAYOUTS, layout_name)
    assert layout.qr is not None
    code = qr_image(url, layout.px(layout.qr.width))
    left, top, right, bottom = geometry(layout, 3).safe
    x = left + round(layout.qr.x * (right - left))
    y = top + round(layout.qr.y * (bottom - top))
    return (x, y, x + code.width, y + code.height), code


@pytest.fixture(scope="module")
def a5_cmyk(sample: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cmyk_pdf(sample, event_file(sample), tmp_path_factory.mktemp("a5") / "a5-cmjn.pdf")


def test_cmyk_qr_code_is_black_ink_only_module_by_module(a5_cmyk: Path, tmp_path: Path) -> None:
    image = embedded_image(a5_cmyk, tmp_path)
    url = f"{SITE}evenements/{EVENT}/?source=flyer-a5"
    box, code = qr_box("a5", url)
    region = image.crop(box)
    assert colours(region) == {(0, 0, 0, FULL_INK), (0, 0, 0, 0)}  # K100 modules on paper
    # Module by module: every dark module of the code is K100, every light one bare paper.
    dark = code.convert("L").point(lambda v: 255 if v < 128 else 0)
    assert region.getchannel("K").tobytes() == dark.tobytes()
    # And a reader still finds the address in the PDF's own image.
    (found,) = read_qr(image.convert("RGB"))
    assert found.text == url


def small_text_areas(format_name: str) -> list[tuple[int, int, int, int]]:
    layout = load_layout(LAYOUTS, format_name)
    shape = geometry(layout, 3)
    return [shape.place(layout.texts[name].box) for name in ("adresse", "financeurs")]


def test_cmyk_small_text_is_black_ink_only_and_total_ink_stays_under_300(
    a5_cmyk: Path, tmp_path: Path
) -> None:
    image = embedded_image(a5_cmyk, tmp_path)
    for area in small_text_areas("a5"):  # 9 pt address and 7.5 pt funders' line
        zone = image.crop(area)
        solid = [c for c in colours(zone) if c[3] == FULL_INK]
        assert solid == [(0, 0, 0, FULL_INK)]  # the glyphs' cores: K100, nothing else
        count = dict((c, n) for n, c in zone.getcolors(1 << 24))[(0, 0, 0, FULL_INK)]
        assert count > 500  # there is text there
        # Anti-aliased edges only remove the background's inks, never add coloured ones.
        background = zone.getpixel((0, zone.height - 1))
        for c, m, y, _ in colours(zone):
            assert c <= background[0] and m <= background[1] and y <= background[2]
    most = max(sum(colour) for colour in colours(image))
    assert most / FULL_INK * 100 <= MAX_TOTAL_INK


def test_cmyk_pdf_declares_pdfx_1a_with_the_fogra39_output_intent(a5_cmyk: Path) -> None:
    assert subprocess.run(["qpdf", "--check", str(a5_cmyk)], capture_output=True).returncode == 0
    info = "\n".join(  # -custom lists the Info keys; without it, the document's summary
        subprocess.run(
            ["pdfinfo", *option, str(a5_cmyk)], capture_output=True, text=True, check=True
        ).stdout
        for option in (["-custom"], [])
    )
    fields: dict[str, str] = {}
    for key, _, value in (line.partition(":") for line in info.splitlines()):
        fields.setdefault(key.strip(), value.strip())  # the Info keys first, then the summary
    assert fields["GTS_PDFXVersion"] == "PDF/X-1:2001"
    assert fields["GTS_PDFXConformance"] == "PDF/X-1a:2001"
    assert fields["PDF subtype"] == "PDF/X-1:2001"  # poppler recognises the claim
    assert "Forum de l'emploi" in fields["Title"]
    assert fields["CreationDate"] and fields["ModDate"]
    assert fields["PDF version"] == "1.3"
    with pikepdf.open(a5_cmyk) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")


def test_cmyk_pdf_is_dated_by_its_content_and_the_same_twice(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    event_id = add_event(
        project, when(30), "atelier", title="Atelier CV", extra="modifie: 2026-11-28 10:00\n"
    )
    first = cmyk_pdf(project, event_file(project, event_id), tmp_path / "1.pdf")
    cache = project.root / ".cache" / "porte-voix" / "flyers"
    for made in cache.iterdir():
        made.unlink()  # drawn again from nothing
    second = cmyk_pdf(project, event_file(project, event_id), tmp_path / "2.pdf")
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(first) as pdf:
        # 10:00 in Paris in November is 09:00 UTC.
        assert str(pdf.docinfo.CreationDate) == "D:20261128090000Z"
        assert str(pdf.docinfo.ModDate) == "D:20261128090000Z"


def test_rgb_pdf_keeps_its_rich_colours_and_no_pdfx_claim(sample: Project, tmp_path: Path) -> None:
    """Without ``--cmyk`` nothing is claimed: the file is RGB, for a desktop printer."""
    out = tmp_path / "a5.pdf"
    code, output = run(sample, "flyer", event_file(sample), "--format", "a5", "--out", str(out))
    assert code == 0, output
    with pikepdf.open(out) as pdf:
        assert "/GTS_PDFXVersion" not in pdf.docinfo


# --- Social images -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story(sample: Project, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("story") / "story.png"
    code, output = run(sample, "flyer", event_file(sample), "--format", "story", "--out", str(out))
    assert code == 0, output
    return out, output


def test_story_has_no_qr_code_but_the_link_for_its_sticker(story: tuple[Path, str]) -> None:
    path, output = story
    assert read_qr(opened(path)) == []
    assert "pas de code QR" in output
    assert f"{SITE}evenements/{EVENT}/?source=instagram-story" in output


def story_subject(sample: Project) -> Subject:
    from generator.cli import load_project
    from generator.flyer_commands import _find, _subject

    project = load_project(str(sample.root / "mkdocs.yml"))
    return _subject(project, _find(project, Path(event_file(sample))), "instagram-story", None)


def test_story_shows_the_short_address_in_large_type(sample: Project) -> None:
    layout = load_layout(LAYOUTS, "story")
    artwork = render(story_subject(sample), layout)
    site = artwork.texts["site"]
    assert site.size >= 48
    drawn = "".join(site.lines)
    assert drawn == f"{SITE.removeprefix('https://')}evenements/{EVENT}"
    # Drawn in the ink colour, inside its zone.
    area = artwork.image.crop(geometry(layout, 0).place(layout.texts["site"].box))
    assert layout.rgb("encre") in colours(area)


def test_story_address_is_never_shrunk_below_48_px(sample: Project, tmp_path: Path) -> None:
    layout = load_layout(LAYOUTS, "story")
    site = layout.texts["site"]
    cramped = dataclasses.replace(
        layout,
        texts={
            **layout.texts,
            "site": dataclasses.replace(site, box=dataclasses.replace(site.box, height=0.05)),
        },
    )
    with pytest.raises(
        FlyerError, match=r"l'adresse du site .* est trop long pour le format Story"
    ):
        render(story_subject(sample), cramped)
    small = tmp_path / "story.yml"
    small.write_text(
        (LAYOUTS / "story.yml")
        .read_text(encoding="utf-8")
        .replace("taille: 56, min: 48", "taille: 56, min: 30")
    )
    with pytest.raises(LayoutError, match=r"« textes\.site\.min » doit valoir au moins 48"):
        load_layout(tmp_path, "story")


def test_story_keeps_an_empty_band_for_the_link_sticker(story: tuple[Path, str]) -> None:
    layout = load_layout(LAYOUTS, "story")
    assert layout.sticker is not None
    left, top, right, bottom = geometry(layout, 0).place(layout.sticker)
    assert bottom - top >= 300 and right - left >= 900
    assert top >= 1920 / 2 and bottom <= 1920 * 0.9  # lower middle, above the app's buttons
    band = opened(story[0]).convert("RGB").crop((left, top, right, bottom))
    assert colours(band) == {layout.rgb("orange")}


def test_a_sticker_band_under_text_is_refused(tmp_path: Path) -> None:
    text = (LAYOUTS / "story.yml").read_text(encoding="utf-8")
    (tmp_path / "story.yml").write_text(
        text.replace("autocollant: {x: 0, y: 0.69", "autocollant: {x: 0, y: 0.6")
    )
    with pytest.raises(LayoutError, match=r"« autocollant » recouvre « textes\.site »"):
        load_layout(tmp_path, "story")


def test_campaign_images_say_which_medium_brought_someone(sample: Project, tmp_path: Path) -> None:
    sources = {}
    for format_name in FORMATS:
        layout = load_layout(LAYOUTS, format_name)
        out = tmp_path / f"{format_name}.png"
        code, output = run(
            sample, "flyer", campaign_file(sample), "--format", format_name, "--out", str(out)
        )
        assert code == 0, output
        found = read_qr(opened(out))
        if layout.qr is None:
            assert found == []  # the story: the sticker's link is printed instead
            url = output.split("« Lien » : ")[1].split(")")[0]
        else:
            (code_read,) = found
            url = code_read.text
        assert url.startswith(f"{SITE}campagnes/{CAMPAIGN}/?source=")
        sources[format_name] = url.split("?source=")[1]
    assert sources["post"] == f"campagne-{CAMPAIGN}_instagram-post"
    assert sources["story"] == f"campagne-{CAMPAIGN}_instagram-story"
    assert sources["og"] == f"campagne-{CAMPAIGN}_partage"
    assert sources["a5"] == f"campagne-{CAMPAIGN}_flyer-a5"
    assert len(set(sources.values())) == len(FORMATS)


# --- French line breaking ----------------------------------------------------------------------


def test_french_spacing_glues_times_dates_units_and_punctuation() -> None:
    assert french_spacing("le 18 septembre 2027 à 17 h 30") == (
        f"le 18{NBSP}septembre{NBSP}2027 à 17{NBSP}h{NBSP}30"
    )
    assert french_spacing("« Viens ! » Tu as 29 ans : oui ; non ?") == (
        f"«{NARROW_NBSP}Viens{NARROW_NBSP}!{NARROW_NBSP}» Tu as 29{NBSP}ans{NBSP}: "
        f"oui{NARROW_NBSP}; non{NARROW_NBSP}?"
    )
    assert french_spacing("site.fr/?source=x") == "site.fr/?source=x"  # no space, no change


LONELY = ("30", "code", "septembre", "h", "2027")


@pytest.mark.parametrize("size", [40, 64, 96])
def test_no_line_starts_with_or_holds_a_lone_number_or_short_word(size: int) -> None:
    title = french_spacing("Atelier CV le 18 septembre 2027 à 17 h 30 avec un code")
    face = font(True, size)
    tried = 0
    for width in range(round(face.getlength(f"18{NBSP}septembre{NBSP}2027")) + 1, 2000, 7):
        lines = wrap(title, face, width)
        assert lines is not None
        tried += 1
        for number, line in enumerate(lines):
            words = line.replace(NBSP, " ").split(" ")
            assert words[0] not in LONELY or number == 0, (width, lines)
            alone = " " not in line  # one word, or words glued by no-break spaces
            assert not (alone and number and len(line) <= 5), (width, lines)
        assert len(lines) == 1 or " " in lines[-1], (width, lines)  # the last line: two words
        assert " ".join(lines).replace(NBSP, " ") == title.replace(NBSP, " ")
    assert tried > 100


@pytest.mark.parametrize("format_name", ["a5", "post", "story", "og"])
def test_flyers_draw_titles_with_french_spacing_and_no_lonely_word(format_name: str) -> None:
    title = "Atelier CV le 18 septembre à 17 h 30 avec un code"
    texts = {"titre": title, "site": "exemple.fr/evenements/atelier", "quand": "Samedi"}
    subject = Subject("evenement", "atelier", "atelier.md", texts, SITE, "essai", ())
    drawn = render(subject, load_layout(LAYOUTS, format_name)).texts["titre"]
    assert f"17{NBSP}h{NBSP}30" in " ".join(drawn.lines)
    assert f"18{NBSP}septembre" in " ".join(drawn.lines)
    for line in drawn.lines[1:]:
        assert " " in line and not line.startswith(("30", "code", "septembre")), drawn.lines


def test_the_font_draws_no_break_spaces_as_blanks() -> None:
    """The pinned font has both glyphs: a no-break space is as blank as a space (no tofu box)."""
    face = font(False, 60)
    for space in (NBSP, NARROW_NBSP):
        assert face.getbbox(f"a{space}a")[2] > face.getbbox("aa")[2]
        blank = Image.new("L", (200, 100))
        ImageDraw.Draw(blank).text((0, 0), space, font=face, fill=255)
        assert blank.getbbox() is None
