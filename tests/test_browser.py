"""Real Chromium on the real site and backend: accessibility (axe-core), keyboard, phones, forms end to end."""

from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page

from .backend import Inbox
from .browser import AXE_OPTIONS, LiveSite, chromium, serve_site
from .conftest import add_event, campaign_text, new_project, when

SCREENSHOTS = Path(tempfile.gettempdir()) / "porte-voix-captures"
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    built_on = when(0).date()
    project = new_project(tmp_path_factory.mktemp("browser"), with_sample_content=True)
    add_event(project, when(20), "ouvert", title="Atelier ouvert", extra="")
    path = project.content / f"evenements/{when(20):%Y-%m-%d}-ouvert.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("inscription: non", "inscription:\n  places: 30"),
        encoding="utf-8",
    )
    add_event(project, when(25), "complet", title="Atelier complet")
    path = project.content / f"evenements/{when(25):%Y-%m-%d}-complet.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("inscription: non", "inscription:\n  places: 1"),
        encoding="utf-8",
    )
    add_event(project, when(-3), "passe", title="Atelier passé")
    moved = when(40, 10)
    add_event(
        project,
        when(22),
        "reporte",
        title="Atelier reporté",
        extra=f"statut: reporte\nraison: Salle prise.\nnouveau_debut: {moved:%Y-%m-%d %H:%M}\n",
    )
    project.write("campagnes/en-cours.md", campaign_text(when(-5), when(30), "rappel"))
    project.write("temoignages/contribue.md", contributed_testimonial())
    result = project.build()
    assert result.returncode == 0, result.stderr
    with serve_site(project.site, project.root / "backend", Inbox()) as site:
        site.built_on = built_on  # type: ignore[attr-defined]
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def open_event(live: LiveSite, days: int, slug: str) -> str:
    # The day the module's site was built (a run may cross midnight in Paris meanwhile).
    return f"{live.url}/evenements/{live.built_on + timedelta(days=days):%Y-%m-%d}-{slug}/"  # type: ignore[attr-defined]


def fill_full_event(live: LiveSite, browser: Browser) -> None:
    """Take the one place of the full event, through the real form."""
    page = browser.new_page()
    page.goto(open_event(live, 25, "complet"))
    fill_young_person(page, "inscription", prenom="Première")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_url(re.compile(r"/merci/"))  # the waiting list, if the place was already taken
    page.close()


def fill_young_person(
    page: Page, form: str, prenom: str = "Inès", phone: str = "06 12 34 56 78"
) -> None:
    page.fill(f"#pv-{form}-prenom", prenom)
    page.fill(f"#pv-{form}-telephone", phone)
    page.fill(f"#pv-{form}-commune", "Frouard")
    page.fill(f"#pv-{form}-age", "19")
    page.check(f"#pv-{form}-canal-sms")
    page.check(f"#pv-{form}-consentement")


XSS_BODY = "\n\n".join(
    [
        "Mon histoire.",
        "<script>alert('script')</script>",
        "<img src=x onerror=alert('img')>",
        "<svg/onload=alert('svg')>",
        "[clique](javascript:alert('lien'))",
        "<iframe src=\"javascript:alert('iframe')\"></iframe>",
        "<details open ontoggle=alert('details')>",
    ]
)


def contributed_testimonial() -> str:
    """A testimonial accepted from the site's form, its story full of attempts to run code."""
    signed = when(-1)
    return (
        "---\nprenom: Sam\nage: 20\ncommune: Pompey\ncitation: On m'a aidé.\n"
        "contribution: 1234abcd\nconsentement:\n"
        f"  signe_le: {signed:%Y-%m-%d}\n  par: la personne\n  photo: non\n"
        f"  jusqu_au: {when(300):%Y-%m-%d}\n---\n{XSS_BODY}\n"
    )


def page_types(live: LiveSite) -> dict[str, str]:
    return {
        "accueil": f"{live.url}/",
        "agenda": f"{live.url}/agenda/",
        "agenda d'un territoire": f"{live.url}/agenda/bassin-de-pompey/",
        "événement ouvert": open_event(live, 20, "ouvert"),
        "événement complet": open_event(live, 25, "complet"),
        "événement passé": open_event(live, -3, "passe"),
        "événement annulé": f"{live.url}/evenements/2027-10-09-permanence-nomeny/",
        "événement reporté": open_event(live, 22, "reporte"),
        "témoignages": f"{live.url}/temoignages/",
        "témoignage": f"{live.url}/temoignages/ines/",
        "partenaires": f"{live.url}/partenaires/",
        "formulaire de rappel": f"{live.url}/rappel/",
        "formulaire d'orientation": f"{live.url}/orientation/",
        "merci": f"{live.url}/merci/",
        "liste d'attente": f"{live.url}/merci/liste-d-attente/",
        "mentions légales": f"{live.url}/mentions-legales/",
        "données personnelles": f"{live.url}/donnees-personnelles/",
        "accessibilité": f"{live.url}/accessibilite/",
        "plan du site": f"{live.url}/plan-du-site/",
        "campagne": f"{live.url}/campagnes/en-cours/",
        "participer (formulaires de contribution)": f"{live.url}/participer/",
        "accord d'un parent": f"{live.url}/accord-parent/",
        "témoignage contribué": f"{live.url}/temoignages/contribue/",
        "page introuvable": f"{live.url}/cette-page-n-existe-pas/",
    }


def axe_violations(page: Page, where: str) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{where} — {v['id']} ({v['help']}) : {node['target']} {node.get('failureSummary', '')}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["telephone", "ordinateur"])
def test_every_page_type_has_no_axe_violation(
    live: LiveSite, browser: Browser, viewport: dict[str, int]
) -> None:
    fill_full_event(live, browser) if viewport is PHONE else None
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    for name, url in page_types(live).items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        problems += axe_violations(page, f"{name} ({url}, {viewport['width']} px)")
    # A form shown again with its errors (JavaScript on).
    page.goto(f"{live.url}/rappel/")
    page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_selector("#pv-rappel-erreurs")
    problems += axe_violations(page, f"formulaire avec erreurs ({viewport['width']} px)")
    context.close()
    assert not problems, "\n".join(problems)


def test_form_errors_without_javascript_have_no_axe_violation(
    live: LiveSite, browser: Browser
) -> None:
    # axe needs JavaScript to run, so the page's own form script is blocked instead: the form then
    # posts as it does in a browser without JavaScript, and the backend shows it again with errors.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.route("**/porte-voix-forms.js", lambda route: route.abort())
    page.goto(f"{live.url}/formulaires/rappel")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_selector("#pv-rappel-erreurs")
    assert page.title().startswith("Erreur")
    problems = axe_violations(page, "formulaire avec erreurs, sans JavaScript")
    context.close()
    assert not problems, "\n".join(problems)


def test_text_files_reach_the_phone_compressed(live: LiveSite, browser: Browser) -> None:
    # On mobile data the stylesheet and script are most of a first visit: `porte-voix serve`
    # compresses them as nginx's `gzip on` does in production (README).
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{live.url}/", wait_until="networkidle")
    sent = {
        response.url.removeprefix(live.url): response.headers.get("content-encoding", "")
        for response in responses
        if response.request.resource_type in {"document", "stylesheet", "script"}
        and response.url.startswith(live.url)
    }
    context.close()
    assert any(path.endswith(".css") for path in sent) and any(
        path.endswith(".js") for path in sent
    )
    assert {path: encoding for path, encoding in sent.items() if encoding != "gzip"} == {}


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, checking the focus is visible at each stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                        shadow: s.boxShadow !== 'none', tag: e.tagName, id: e.id} }"""
        )
        if focused["tag"] != "BODY":
            assert focused["outline"] or focused["shadow"], f"focus invisible on {focused}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received the focus with Tab")


@pytest.mark.parametrize("form", ["rappel", "inscription"])
def test_forms_can_be_filled_and_sent_with_the_keyboard_alone(
    live: LiveSite, browser: Browser, form: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live.url}/rappel/" if form == "rappel" else open_event(live, 20, "ouvert"))
    page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    page.locator("body").focus()
    tab_to(page, f"#pv-{form}-prenom")
    page.keyboard.type("Clavier")
    tab_to(page, f"#pv-{form}-telephone")
    page.keyboard.type("0612345678")
    tab_to(page, f"#pv-{form}-commune")
    page.keyboard.type("Pompey")
    tab_to(page, f"#pv-{form}-age")
    page.keyboard.type("22")
    tab_to(page, "input[name=canal]")
    page.keyboard.press("ArrowDown")  # SMS → Appel
    tab_to(page, f"#pv-{form}-consentement")
    page.keyboard.press("Space")
    tab_to(page, "form.pv-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/merci/$"))
    assert "Merci" in page.locator("h1").inner_text()
    page.close()


def test_skip_link_reaches_the_content(live: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live.url}/agenda/")
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})"
    )
    assert skip["text"] == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("(id) => !!document.getElementById(id)", skip["href"].lstrip("#"))
    assert page.url.endswith(skip["href"])
    page.close()


def test_after_an_error_focus_goes_to_the_summary_that_links_each_field(
    live: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live.url}/rappel/")
    page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    page.fill("#pv-rappel-prenom", "Inès")
    page.fill("#pv-rappel-telephone", "12")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_selector("#pv-rappel-erreurs")
    assert page.evaluate("document.activeElement.id") == "pv-rappel-erreurs"
    links = page.eval_on_selector_all(
        "#pv-rappel-erreurs a", "as => as.map(a => a.getAttribute('href'))"
    )
    assert links == [
        "#pv-rappel-telephone",
        "#pv-rappel-commune",
        "#pv-rappel-age",
        "#pv-rappel-canal",
        "#pv-rappel-consentement",
    ]
    assert page.input_value("#pv-rappel-prenom") == "Inès"
    assert (
        "Ce numéro ne ressemble pas à un numéro français"
        in page.locator("#pv-rappel-telephone-erreur").inner_text()
    )
    page.click("#pv-rappel-erreurs a[href='#pv-rappel-telephone']")
    assert page.evaluate("document.activeElement.id") == "pv-rappel-telephone"
    page.close()


def wait_for_mail(live: LiveSite, submission_count: int) -> list:
    deadline = time.monotonic() + 15
    while len(live.inbox.messages) < submission_count and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.1)
    return live.inbox.messages  # type: ignore[attr-defined]


def stored(live: LiveSite, first_name: str) -> sqlite3.Row:
    connection = sqlite3.connect(live.database)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(
            "SELECT * FROM submissions WHERE first_name = ?", (first_name,)
        ).fetchone()
    finally:
        connection.close()


FORM_PAGES = {
    "rappel": lambda live: f"{live.url}/rappel/?source=flyer-a5",
    "inscription": lambda live: open_event(live, 20, "ouvert") + "?source=partenaire-mjc-pompey",
    "orientation": lambda live: f"{live.url}/orientation/?source=site",
}


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
@pytest.mark.parametrize("form", list(FORM_PAGES))
def test_each_form_reaches_the_counsellor(
    live: LiveSite, browser: Browser, form: str, javascript: bool
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    before = len(live.inbox.messages)  # type: ignore[attr-defined]
    name = f"{form.capitalize()}{'Js' if javascript else 'Html'}"
    page.goto(FORM_PAGES[form](live))
    if form == "orientation":
        page.fill("#pv-orientation-pro_nom", "Julie Martin")
        page.fill("#pv-orientation-pro_structure", "MJC de Pompey")
        page.fill("#pv-orientation-pro_contact", "julie@mjc.example")
        page.check("#pv-orientation-accord_jeune")
    if javascript:
        page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    # One number per sign-up: a number holds one place per event (the others wait, held).
    phone = f"06 12 34 {56 if javascript else 57} {70 + list(FORM_PAGES).index(form)}"
    fill_young_person(page, form, prenom=name, phone=phone)
    page.click("form.pv-form button[type=submit]")
    if not javascript:
        # From a static page without a script: the form comes back once, filled, to confirm.
        assert "Encore une étape" in page.locator(".pv-form-notice").inner_text()
        assert page.input_value(f"#pv-{form}-prenom") == name
        if page.locator("input[name=source]").input_value() == "":
            pytest.fail("the source from the QR code was lost")
        page.click("form.pv-form button[type=submit]")
    page.wait_for_url(re.compile(r"/merci/$"))
    assert "Merci" in page.locator("h1").inner_text()
    messages = wait_for_mail(live, before + 1)
    mail = next(
        m for m in messages if f"Prénom\u00a0: {name}" in m.get_payload(decode=True).decode()
    )
    body = mail.get_payload(decode=True).decode()
    assert f"Téléphone\u00a0: {phone}" in body and "Commune\u00a0: Frouard" in body
    row = stored(live, name)
    expected_source = re.search(r"source=([\w-]+)", FORM_PAGES[form](live))[1]
    assert row["source"] == expected_source
    context.close()


def test_campaign_page_passes_its_qr_source_on_to_the_form(
    live: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live.url}/campagnes/en-cours/?source=campagne-en-cours")
    page.click("article a[data-pv-source]")
    page.wait_for_url(re.compile(r"/rappel/\?source=campagne-en-cours$"))
    page.wait_for_function("document.querySelector('input[name=jeton]').value !== ''")
    assert page.locator("input[name=source]").input_value() == "campagne-en-cours"
    page.close()


def test_contributed_text_runs_nothing_in_the_browser(live: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live.url}/temoignages/contribue/")
    page.wait_for_load_state("networkidle")
    for link in page.locator(".pv-contribution a").all():
        link.click()  # a link that kept a javascript: address would fire here
    page.wait_for_timeout(300)
    assert "Mon histoire." in page.locator(".pv-contribution").inner_text()
    assert dialogs == []
    page.close()


def test_full_event_tells_the_waiting_list(live: LiveSite, browser: Browser) -> None:
    fill_full_event(live, browser)
    page = browser.new_page(viewport=PHONE)
    page.goto(open_event(live, 25, "complet"))
    page.wait_for_selector(".pv-places-left")
    assert "liste d'attente" in page.locator(".pv-places-left").inner_text()
    fill_young_person(page, "inscription", prenom="Attente")
    page.click("form.pv-form button[type=submit]")
    page.wait_for_url(re.compile(r"/merci/liste-d-attente/$"))
    assert stored(live, "Attente")["status"] == "liste_attente"
    page.close()


def test_open_event_shows_remaining_places(live: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(open_event(live, 20, "ouvert"))
    page.wait_for_selector(".pv-places-left")
    assert re.fullmatch(
        "Il reste \\d+\u00a0places\\.", page.locator(".pv-places-left").inner_text().strip()
    )
    page.close()


def test_nothing_overflows_at_360_px_and_text_zooms_to_200_percent(
    live: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport=PHONE)
    overflowing = []
    for name, url in page_types(live).items():
        page.goto(url)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(f"{name} à 360 px")
    # A 1280 px screen zoomed to 200 % lays pages out in 640 CSS pixels.
    zoomed = browser.new_page(viewport={"width": 640, "height": 400})
    for name, url in page_types(live).items():
        zoomed.goto(url)
        if zoomed.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(f"{name} zoomé à 200 %")
    page.close()
    zoomed.close()
    assert not overflowing, overflowing


def test_form_targets_are_at_least_44_px(live: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    small = []
    for url in [f"{live.url}/rappel/", open_event(live, 20, "ouvert"), f"{live.url}/orientation/"]:
        page.goto(url)
        targets = page.eval_on_selector_all(
            "form.pv-form input:not([type=hidden]):not([tabindex='-1']), form.pv-form button",
            """els => els.map(e => { const box = (e.type === 'radio' || e.type === 'checkbox') ? e.parentElement : e;
                const r = box.getBoundingClientRect(); return {name: e.name || e.textContent, w: r.width, h: r.height} })""",
        )
        small += [t for t in targets if t["w"] < 44 or t["h"] < 44]
    page.close()
    assert not small, small


def test_site_works_without_javascript(live: LiveSite, browser: Browser) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live.url}/")
    page.click("text=Tout l'agenda")
    assert page.url.endswith("/agenda/")
    page.click("article >> text=Atelier ouvert")
    assert "Atelier ouvert" in page.locator("h1").inner_text()
    assert page.locator("form.pv-form").is_visible()
    context.close()


def luminance(colour: tuple[int, int, int]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    channels = [c / 255 for c in colour]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_on_background(shot: Image.Image, box: dict[str, float]) -> tuple[float, float]:
    """In the region ``box`` of a capture: the contrast between its background (the commonest
    colour) and its ink (the colour furthest from it among those covering at least 0.5 % of the
    region, so that anti-aliasing does not count), and the share of pixels in ink."""
    region = shot.crop(
        (
            round(box["x"]),
            round(box["y"]),
            round(box["x"] + box["width"]),
            round(box["y"] + box["height"]),
        )
    )
    colours = sorted(region.getcolors(maxcolors=region.width * region.height), reverse=True)
    total = region.width * region.height
    background = colours[0][1]
    visible = [(count, colour) for count, colour in colours[1:] if count >= total * 0.005]
    if not visible:
        return 1.0, 0.0
    _, ink = max(visible, key=lambda item: contrast(item[1], background))
    near = sum(n for n, c in colours if contrast(c, background) >= contrast(ink, background) * 0.8)
    return contrast(ink, background), near / total


def test_screenshots_at_phone_width(live: LiveSite, browser: Browser) -> None:
    """What a phone user sees, read from the pixels of the capture: the page fits 360 px, its
    title is drawn in letters that stand out from their background, the site's bar is there,
    and an event's sign-up button is readable."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=PHONE)
    pages = [
        ("accueil", f"{live.url}/", "On peut t'aider", None),
        (
            "evenement",
            open_event(live, 20, "ouvert"),
            "Atelier ouvert",
            "form.pv-form button[type=submit]",
        ),
    ]
    for name, url, title, button in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        target = SCREENSHOTS / f"{name}-360.png"
        page.screenshot(path=str(target), full_page=True)
        shot = Image.open(target).convert("RGB")
        assert shot.width == PHONE["width"], f"{name} : la page déborde ({shot.width} px)"
        heading = page.locator("h1").first
        assert title in heading.inner_text()
        box = heading.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
        ratio, share = ink_on_background(shot, box)
        # Large text (WCAG 1.4.3): 3:1; and letters actually drawn, not a blank strip.
        assert ratio >= 3 and share >= 0.02, (
            f"{name} : titre peu lisible ({ratio:.1f}:1, {share:.0%}) — voir {target}"
        )
        bar = page.locator("header.md-header").bounding_box()
        assert bar and bar["height"] >= 40, name
        bar_colour = shot.getpixel((2, round(bar["y"] + bar["height"] / 2)))
        page_colour = shot.getpixel((2, round(box["y"] + box["height"] + 4)))
        assert contrast(bar_colour, page_colour) >= 1.5, (
            f"{name} : barre du site invisible — voir {target}"
        )
        if button:
            found = page.locator(button)
            found.scroll_into_view_if_needed()
            assert found.is_visible()
            # The capture is of the whole page: the button's place in it, not in the window.
            place = page.evaluate(
                "s => { const r = document.querySelector(s).getBoundingClientRect(); "
                "return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height} }",
                button,
            )
            ratio, share = ink_on_background(shot, place)
            assert ratio >= 4.5 and share >= 0.01, (
                f"bouton peu lisible ({ratio:.1f}:1) — voir {target}"
            )
    page.close()


def test_no_request_leaves_the_machine(live: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^\w+://([^/:]+).*", r"\1", request.url)))
    for url in page_types(live).values():
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.close()
    assert hosts <= {"127.0.0.1"}, hosts


def test_a_photo_over_the_limit_is_refused_before_sending(live: LiveSite, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.goto(f"{live.url}/participer/")
    page.wait_for_function(
        "document.querySelector('form[data-pv-form=temoignage] input[name=jeton]').value !== ''"
    )
    page.fill("#pv-temoignage-prenom", "Lourde")
    page.fill("#pv-temoignage-age", "19")
    page.fill("#pv-temoignage-commune", "Frouard")
    page.fill("#pv-temoignage-citation", "Ici, on m'a écoutée.")
    page.fill("#pv-temoignage-recit", "Une conseillère est venue au centre social.")
    page.check("#pv-temoignage-accord_publication")
    page.check("#pv-temoignage-accord_photo")
    heavy = {
        "name": "photo.jpg",
        "mimeType": "image/jpeg",
        "buffer": b"\xff" * (10 * 1024 * 1024 + 1),
    }
    page.set_input_files("#pv-temoignage-photo", heavy)
    message = page.locator("#pv-temoignage-photo-erreur")
    assert "Cette photo est trop lourde\u00a0: 10\u00a0Mo au plus." in message.inner_text()
    page.locator("#pv-temoignage-prenom").focus()
    page.click("form[data-pv-form=temoignage] button[type=submit]")
    assert "Cette photo est trop lourde\u00a0: 10\u00a0Mo au plus." in message.inner_text()
    assert page.evaluate("document.activeElement.id") == "pv-temoignage-photo"
    assert page.get_attribute("#pv-temoignage-photo", "aria-invalid") == "true"
    page.wait_for_timeout(500)  # a request, had one been made, would have started by now
    assert posts == []
    assert page.input_value("#pv-temoignage-prenom") == "Lourde"
    connection = sqlite3.connect(live.database)
    try:
        query = "SELECT COUNT(*) FROM contributions WHERE fields LIKE ?"
        assert connection.execute(query, ("%Lourde%",)).fetchone()[0] == 0
    finally:
        connection.close()
    page.close()


def test_the_parents_page_is_accessible_and_asks_for_the_declaration(
    live: LiveSite, browser: Browser
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live.url}/participer/")
    page.wait_for_function(
        "document.querySelector('form[data-pv-form=temoignage] input[name=jeton]').value !== ''"
    )
    page.fill("#pv-temoignage-prenom", "Zoé")
    page.fill("#pv-temoignage-age", "16")
    page.fill("#pv-temoignage-commune", "Frouard")
    page.fill("#pv-temoignage-citation", "Ici, on m'a écoutée.")
    page.fill("#pv-temoignage-recit", "Une conseillère est venue au centre social.")
    page.fill("#pv-temoignage-email_parent", "parent.de.zoe@exemple.fr")
    page.check("#pv-temoignage-accord_publication")
    page.click("form[data-pv-form=temoignage] button[type=submit]")
    page.wait_for_url(re.compile(r"/merci/contribution/"))
    deadline = time.monotonic() + 20
    letters: list = []
    while not letters and time.monotonic() < deadline:
        letters = [m for m in live.inbox.messages if m["To"] == "parent.de.zoe@exemple.fr"]
        time.sleep(0.1)
    (letter,) = letters
    token = re.search(r"accord-parent\?jeton=(\S+)", letter.get_content())[1]
    page.goto(f"{live.url}/formulaires/accord-parent?jeton={token}")
    problems = axe_violations(page, "page de l'accord d'un parent")
    assert "son prénom\u00a0: Zoé" in page.inner_text("main")
    # The browser asks for a choice first (required); without that check, the server does.
    page.evaluate(
        "document.querySelectorAll('input[name=autorite]').forEach(r => r.required = false)"
    )
    page.click("button[value=accepte]")
    page.wait_for_selector("#pv-accord-erreur")
    problems += axe_violations(page, "page de l'accord d'un parent, avec l'erreur")
    assert not problems, "\n".join(problems)
    assert (
        page.get_attribute("#pv-accord-accord-autre-parent", "aria-describedby")
        == "pv-accord-erreur"
    )
    page.check("#pv-accord-autorite-seule")
    page.click("button[value=accepte]")
    assert "votre accord est enregistré" in page.inner_text("main")
    connection = sqlite3.connect(live.database)
    try:
        query = "SELECT guardian_declaration FROM contributions WHERE fields LIKE ?"
        assert connection.execute(query, ("%Zoé%",)).fetchone()[0] == "autorite-seule"
    finally:
        connection.close()
    page.close()
