"""Flyers, posters and social images, measured on real renders: PDF boxes and resolution with
pikepdf and poppler, `qpdf --check`, QR codes read back with zxing-cpp, pixels in the margins."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image, ImageCms

from generator.cli import main
from generator.flyers.layouts import FORMATS, load_layout
from generator.flyers.pdf import to_cmyk
from generator.flyers.render import geometry

from .conftest import REPO, Project, add_event, new_project, when

LAYOUTS = REPO / "theme" / "flyers"
SITE = "https://www.mission-locale-val-de-lorraine.fr/"
EVENT = "2027-09-18-forum-emploi-pont-a-mousson"
CAMPAIGN = "hiver-2026"
MM_PER_PT = 25.4 / 72
PRINT_SIZES = {"a5": (148, 210), "a4": (210, 297), "a3": (297, 420)}
SCREEN_SIZES = {"post": (1080, 1350), "story": (1080, 1920), "og": (1200, 630)}


def run(project: Project, *args: str) -> tuple[int, str]:
    """The real ``porte-voix`` command, in this process."""
    result = CliRunner().invoke(main, [*args, "--config", str(project.root / "mkdocs.yml")])
    return result.exit_code, result.output


PARTNER = "solidarites-nationales-internationales"


def partner_flyer(project: Project, file: str, format_name: str, out: Path) -> Image.Image:
    """One partner's copy of a flyer drawn by the real command, opened."""
    code, output = run(
        project, "flyer", file, "--format", format_name, "--partner", PARTNER, "--out", str(out)
    )
    assert code == 0, output
    return opened(out)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return new_project(tmp_path_factory.mktemp("flyers"), with_sample_content=True)


@pytest.fixture(scope="module")
def everything(sample: Project) -> Path:
    """``porte-voix flyers``: every format of every upcoming event and live campaign."""
    out = sample.root / "affiches"
    code, output = run(sample, "flyers", "--out", str(out))
    assert code == 0, output
    return out


def event_file(project: Project, event_id: str = EVENT) -> str:
    return str(project.content / "evenements" / f"{event_id}.md")


def campaign_file(project: Project) -> str:
    return str(project.content / "campagnes" / f"{CAMPAIGN}.md")


def opened(path: Path) -> Image.Image:
    """An image file read whole, its file closed."""
    with Image.open(path) as image:
        image.load()
        return image


def pdf_image(path: Path) -> Image.Image:
    """The render embedded in a PDF, decoded losslessly."""
    with pikepdf.open(path) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        return pikepdf.PdfImage(image).as_pil_image()


def read_qr(image: Image.Image) -> list[zxingcpp.Result]:
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def boxes_mm(path: Path) -> dict[str, list[float]]:
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0].obj
        return {
            name: [float(v) * MM_PER_PT for v in page[f"/{name}"]]
            for name in ("MediaBox", "BleedBox", "TrimBox")
        }


@pytest.mark.parametrize("format_name", ["a5", "a4", "a3"])
def test_print_pdf_is_trim_plus_bleed_at_300_dpi_with_its_boxes(
    sample: Project, everything: Path, format_name: str
) -> None:
    pdf = everything / EVENT / f"{format_name}.pdf"
    width, height = PRINT_SIZES[format_name]
    boxes = boxes_mm(pdf)
    assert boxes["MediaBox"] == pytest.approx([0, 0, width + 6, height + 6], abs=0.01)
    assert boxes["BleedBox"] == pytest.approx(boxes["MediaBox"], abs=0.01)
    assert boxes["TrimBox"] == pytest.approx([3, 3, width + 3, height + 3], abs=0.01)
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    listing = (
        subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
        .stdout.splitlines()[2]
        .split()
    )
    assert listing[5] == "rgb" and listing[12:14] == ["300", "300"]  # colour, x-ppi, y-ppi
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Forum de l'emploi" in info  # the title a print shop sees


def test_cmyk_goes_through_the_icc_profile_and_declares_it(sample: Project, tmp_path: Path) -> None:
    out = tmp_path / "a5-cmjn.pdf"
    code, output = run(
        sample, "flyer", event_file(sample), "--format", "a5", "--cmyk", "--out", str(out)
    )
    assert code == 0, output
    image = pdf_image(out)
    assert image.mode == "CMYK"
    violet = Image.new("RGB", (1, 1), (0x4A, 0x1F, 0x7A))
    through_profile = to_cmyk(violet, LAYOUTS / "FOGRA39L-300.icc").getpixel((0, 0))
    naive = violet.convert("CMYK").getpixel((0, 0))
    band = image.getpixel((image.width // 2, 5))  # in the bleed, top violet band
    assert band == through_profile and band != naive
    with pikepdf.open(out) as pdf:
        (intent,) = pdf.Root.OutputIntents
        profile = ImageCms.ImageCmsProfile(BytesIO(intent.DestOutputProfile.read_bytes()))
        assert "FOGRA39" in ImageCms.getProfileDescription(profile)
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0


def test_crop_marks_are_drawn_outside_the_bleed(sample: Project, tmp_path: Path) -> None:
    out = tmp_path / "a4-traits.pdf"
    code, output = run(
        sample,
        "flyer",
        event_file(sample),
        "--format",
        "a4",
        "--crop-marks",
        "--bleed",
        "5",
        "--out",
        str(out),
    )
    assert code == 0, output
    boxes = boxes_mm(out)
    left, bottom, right, top = boxes["BleedBox"]
    trim = boxes["TrimBox"]
    assert trim[2] - trim[0] == pytest.approx(210, abs=0.01)
    assert trim[0] - left == pytest.approx(5, abs=0.01)  # the bleed asked for
    with pikepdf.open(out) as pdf:
        points = [
            (float(x) * MM_PER_PT, float(y) * MM_PER_PT)
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) in ("m", "l")
            for x, y in [operands]
        ]
    assert len(points) == 16  # two lines at each of the four corners
    media = boxes["MediaBox"]
    for x, y in points:
        assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
        assert not (left < x < right and bottom < y < top)  # never over the artwork


def expected_url(kind: str, item: str, source: str) -> str:
    folder = "evenements" if kind == "event" else "campagnes"
    return f"{SITE}{folder}/{item}/?source={source}"


# Formats that carry a QR code (a story cannot: nobody scans the phone that shows it).
WITH_QR = tuple(name for name in FORMATS if name != "story")


@pytest.mark.parametrize("format_name", WITH_QR)
def test_qr_code_reads_back_as_the_page_with_its_channel(
    everything: Path, format_name: str
) -> None:
    layout = load_layout(LAYOUTS, format_name)
    for item, kind, source in (
        (EVENT, "event", layout.source),
        (CAMPAIGN, "campaign", f"campagne-{CAMPAIGN}_{layout.source}"),
    ):
        path = (
            everything
            / item
            / f"{format_name}.{ {'pdf': 'pdf', 'png': 'png', 'jpeg': 'jpg'}[layout.output] }"
        )
        image = pdf_image(path) if layout.output == "pdf" else opened(path)
        (code,) = read_qr(image)
        assert code.text == expected_url(kind, item, source)


@pytest.mark.parametrize("format_name", WITH_QR)
def test_partner_copies_say_which_partner_brought_the_person(
    sample: Project, tmp_path: Path, format_name: str
) -> None:
    medium = load_layout(LAYOUTS, format_name).source
    for file, kind, item, source in (
        (event_file(sample), "event", EVENT, f"partenaire-{PARTNER}"),
        (
            campaign_file(sample),
            "campaign",
            CAMPAIGN,
            f"campagne-{CAMPAIGN}_{medium}_partenaire-{PARTNER}",
        ),
    ):
        flyer = partner_flyer(sample, file, format_name, tmp_path / f"{item}-{format_name}.png")
        (read,) = read_qr(flyer)
        assert read.text == expected_url(kind, item, source)


def test_a5_qr_code_is_at_least_25_mm_and_reads_from_the_printed_pdf(
    everything: Path, tmp_path: Path
) -> None:
    """Rasterised by poppler as a print RIP would, then read like a phone would."""
    pdf = everything / EVENT / "a5.pdf"
    raster = tmp_path / "a5"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(raster)], check=True
    )
    (code,) = read_qr(opened(raster.with_suffix(".png")))
    assert code.text == expected_url("event", EVENT, "flyer-a5")
    corners = code.position
    width_px = max(corners.top_right.x, corners.bottom_right.x) - min(
        corners.top_left.x, corners.bottom_left.x
    )
    assert width_px / 150 * 25.4 >= 25


def background_colours(format_name: str) -> set[tuple[int, int, int]]:
    layout = load_layout(LAYOUTS, format_name)
    return {layout.rgb(band.colour) for band in layout.bands}


@pytest.mark.parametrize("format_name", FORMATS)
def test_only_background_between_the_edge_and_the_safe_area(
    everything: Path, format_name: str
) -> None:
    layout = load_layout(LAYOUTS, format_name)
    shape = geometry(layout, 3)
    allowed = background_colours(format_name)
    for item in (EVENT, CAMPAIGN):
        path = next((everything / item).glob(f"{format_name}.*"))
        image = pdf_image(path) if path.suffix == ".pdf" else opened(path).convert("RGB")
        if path.suffix == ".jpg":
            continue  # JPEG blurs colours; the same render is checked in PNG below
        assert image.size == (shape.width, shape.height)
        left, top, right, bottom = shape.safe
        strips = [
            image.crop((0, 0, image.width, top)),
            image.crop((0, bottom, image.width, image.height)),
            image.crop((0, 0, left, image.height)),
            image.crop((right, 0, image.width, image.height)),
        ]
        for strip in strips:
            colours = {colour for _, colour in strip.getcolors(maxcolors=1 << 16)}
            assert colours <= allowed, f"{path.name}: {colours - allowed}"


def test_og_image_in_png_has_only_background_in_its_margins(
    sample: Project, tmp_path: Path
) -> None:
    out = tmp_path / "og.png"
    code, output = run(sample, "flyer", event_file(sample), "--format", "og", "--out", str(out))
    assert code == 0, output
    image = opened(out).convert("RGB")
    top = geometry(load_layout(LAYOUTS, "og"), 0).safe[1]
    margin = image.crop((0, 0, image.width, top))
    assert {c for _, c in margin.getcolors(1 << 16)} <= background_colours("og")


def test_story_keeps_text_out_of_the_top_and_bottom_tenth(everything: Path) -> None:
    image = opened(everything / CAMPAIGN / "story.png").convert("RGB")
    assert image.size == SCREEN_SIZES["story"]
    tenth = image.height // 10
    for strip in (image.crop((0, 0, 1080, tenth)), image.crop((0, 1920 - tenth, 1080, 1920))):
        assert {c for _, c in strip.getcolors(1 << 16)} <= background_colours("story")


def test_screen_sizes_and_a_small_share_image(everything: Path) -> None:
    for format_name, size in SCREEN_SIZES.items():
        path = next((everything / EVENT).glob(f"{format_name}.*"))
        assert opened(path).size == size
    og = everything / EVENT / "og.jpg"
    assert og.stat().st_size <= 300_000
    assert not opened(og).getexif()  # nothing about anyone in the file


def test_text_colours_meet_contrast_on_the_band_they_sit_on() -> None:
    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for format_name in FORMATS:
        layout = load_layout(LAYOUTS, format_name)
        starts = [0.0] + [band.until for band in layout.bands[:-1]]
        for zone in layout.texts.values():
            # The band really under the zone must be the one it declares.
            under = {
                band.colour
                for start, band in zip(starts, layout.bands, strict=True)
                if start < zone.box.y + zone.box.height and zone.box.y < band.until
            }
            assert under == {zone.background}, (format_name, zone.name, under)
            light, dark = sorted(
                (luminance(layout.rgb(zone.colour)), luminance(layout.rgb(zone.background))),
                reverse=True,
            )
            assert (light + 0.05) / (dark + 0.05) >= 4.5, (format_name, zone.name)


def test_long_title_is_wrapped_and_shrunk_and_an_impossible_one_names_the_event(
    tmp_path: Path,
) -> None:
    project = new_project(tmp_path / "site")
    long_title = (
        "Grand forum de l'emploi, de l'alternance, de l'apprentissage et des métiers "
        "de demain pour les jeunes du Val de Lorraine"
    )
    ok = add_event(project, when(30), "forum-long", title=long_title)
    impossible = add_event(
        project,
        when(40),
        "mot-long",
        title="Anticonstitutionnellementanticonstitutionnellementetencore",
    )
    out = tmp_path / "long.pdf"
    code, output = run(
        project, "flyer", event_file(project, ok), "--format", "a5", "--out", str(out)
    )
    assert code == 0, output
    assert read_qr(pdf_image(out))  # everything still in place
    code, output = run(
        project,
        "flyer",
        event_file(project, impossible),
        "--format",
        "a5",
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert code == 1
    assert f"{impossible}.md" in output and "le titre" in output and "trop long" in output
    assert "raccourcis-le" in output
    build = project.build()
    assert build.returncode == 1
    assert "trop long pour le format Flyer A5" in build.stderr


def test_a_character_the_font_cannot_draw_is_named_not_printed_as_a_box(tmp_path: Path) -> None:
    """Pillow draws an empty box for a character the font lacks (an emoji, Chinese…), silently:
    five hundred flyers would carry it. The flyer is refused, the character named; the accents,
    ligatures and signs of French (and of Polish or Turkish first names) are drawn."""
    project = new_project(tmp_path / "site")
    drawn = add_event(
        project, when(30), "fete", title='"Fête de Łukasz, Ğül et Zoë : œuvre ½ ≥ 3 €"'
    )
    boxed = add_event(project, when(31), "soiree", title="Soirée 🎉 à Pompey")
    code, output = run(
        project,
        "flyer",
        event_file(project, drawn),
        "--format",
        "a5",
        "--out",
        str(tmp_path / "ok.pdf"),
    )
    assert code == 0, output
    code, output = run(
        project,
        "flyer",
        event_file(project, boxed),
        "--format",
        "a5",
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert code == 1 and not (tmp_path / "x.pdf").exists()
    assert f"{boxed}.md" in output and "le titre" in output and "« 🎉 » (U+1F389)" in output
    assert "retire ce caractère" in output
    build = project.build()
    assert build.returncode == 1
    assert "U+1F389" in build.stderr


def test_unchanged_flyers_are_not_redrawn(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    first = add_event(project, when(20), "atelier", title="Atelier CV")
    second = add_event(project, when(25), "forum", title="Forum des métiers")
    out = tmp_path / "affiches"
    assert run(project, "flyers", "--format", "a5", "--out", str(out))[0] == 0
    cache = project.root / ".cache" / "porte-voix" / "flyers"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    project.write(
        f"evenements/{second}.md",
        (project.content / "evenements" / f"{second}.md")
        .read_text()
        .replace("Forum des métiers", "Forum des métiers d'art"),
    )
    assert run(project, "flyers", "--format", "a5", "--out", str(out))[0] == 0
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert all(after[name] == before[name] for name in before)  # nothing redrawn…
    (new,) = set(after) - set(before)  # …but the changed flyer
    assert new.startswith(second)
    assert [name for name in before if name.startswith(first)]


def test_event_page_links_its_pdfs_and_shares_its_own_image(sample_site: Project) -> None:
    page = sample_site.page(f"evenements/{EVENT}/")
    links = {a.get_text(strip=True): a["href"] for a in page.select("article a[href$='.pdf']")}
    poster = next(text for text in links if text.startswith("Télécharger l'affiche (PDF, A4"))
    flyer = next(text for text in links if text.startswith("Télécharger le flyer (PDF, A5"))
    folder = sample_site.site / "evenements" / EVENT
    for text in (poster, flyer):
        target = folder / links[text]
        assert target.is_file() and target.read_bytes().startswith(b"%PDF")
        assert text.endswith("Ko)")
    og = page.select_one('meta[property="og:image"]')["content"]
    assert og == f"{SITE}evenements/{EVENT}/partage.jpg"
    assert page.select_one('meta[name="twitter:image"]')["content"] == og
    image = sample_site.site / og.removeprefix(SITE)
    assert opened(image).size == (1200, 630) and image.stat().st_size <= 300_000
    # Layouts and the ICC profile are build inputs, not web pages.
    assert not (sample_site.site / "flyers").exists()


def test_unknown_partner_and_wrong_output_get_french_errors(
    sample: Project, tmp_path: Path
) -> None:
    code, output = run(
        sample,
        "flyer",
        event_file(sample),
        "--format",
        "a5",
        "--partner",
        "mjc-inconnue",
        "--out",
        str(tmp_path / "a.pdf"),
    )
    assert code == 1 and "le partenaire « mjc-inconnue » n'existe pas" in output
    code, output = run(
        sample, "flyer", event_file(sample), "--format", "story", "--out", str(tmp_path / "s.pdf")
    )
    assert code == 1 and "fait pour les écrans" in output
    code, output = run(
        sample,
        "flyer",
        event_file(sample),
        "--format",
        "a5",
        "--cmyk",
        "--out",
        str(tmp_path / "a.png"),
    )
    assert code == 1 and "ne se fait qu'en PDF" in output


def test_logos_of_the_mission_locale_and_the_events_partners_are_printed(tmp_path: Path) -> None:
    project = new_project(tmp_path / "site")
    logo = project.content / "logos" / "mjc.png"
    logo.parent.mkdir()
    Image.new("RGB", (300, 200), (200, 0, 0)).save(logo)  # a plain red logo, easy to find
    partners = project.content / "partenaires.yml"
    partners.write_text(
        partners.read_text(encoding="utf-8").replace(
            "- id: mjc-pompey\n", "- id: mjc-pompey\n  logo: logos/mjc.png\n"
        ),
        encoding="utf-8",
    )
    with_partner = add_event(project, when(20), "avec", title="Atelier avec la MJC")
    alone = add_event(project, when(21), "seul", title="Atelier sans partenaire")
    source = project.content / "evenements" / f"{alone}.md"
    source.write_text(source.read_text().replace("partenaires: [mjc-pompey]\n", ""))
    layout = load_layout(LAYOUTS, "a5")
    assert layout.logos is not None
    area = geometry(layout, 3).place(layout.logos)
    found = {}
    for event_id in (with_partner, alone):
        out = tmp_path / f"{event_id}.pdf"
        code, output = run(
            project, "flyer", event_file(project, event_id), "--format", "a5", "--out", str(out)
        )
        assert code == 0, output
        band = pdf_image(out).crop(area)
        colours = {colour for _, colour in band.getcolors(1 << 20)}
        found[event_id] = colours
        assert (0x4A, 0x1F, 0x7A) in colours  # the Mission Locale's logo, always
    assert (200, 0, 0) in found[with_partner] and (200, 0, 0) not in found[alone]


def test_the_longest_texts_the_checker_allows_fit_every_format(tmp_path: Path) -> None:
    """Worst case: every field at its maximum length, a long file name, the longest partner id."""
    project = new_project(tmp_path / "site")
    title = ("Grand forum des métiers " * 6)[:120].strip()
    place = ("Maison des associations et de la jeunesse " * 4)[:120].strip()
    address = ("12 avenue du Général de Gaulle, bâtiment C, " * 6)[:200].strip(" ,")
    audience = ("Jeunes de 16 à 29 ans, avec ou sans diplôme, " * 6)[:200].strip(" ,")
    start = when(30)
    slug = "grand-forum-des-metiers-de-la-jeunesse-et-de-l-emploi-du-val"
    event_id = add_event(project, start, slug, title=title)
    path = project.content / "evenements" / f"{event_id}.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("nom: MJC de Pompey", f"nom: {place}")
    text = text.replace("adresse: 2 rue des Pâquis, 54340 Pompey", f"adresse: {address}")
    text = text.replace("public: Jeunes de 16 à 29 ans", f"public: {audience}")
    path.write_text(text, encoding="utf-8")
    assert project.check().returncode == 0
    for format_name in FORMATS:
        flyer = partner_flyer(project, str(path), format_name, tmp_path / f"long-{format_name}.png")
        found = read_qr(flyer)
        if format_name not in WITH_QR:
            assert found == []  # a story shows its address instead
            continue
        (read,) = found
        assert read.text.endswith(f"?source=partenaire-{PARTNER}")
